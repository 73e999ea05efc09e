"""Time in each stage (claims.signoff.stages): figures against values worked out by hand, per
proposer, at the period's edges, on an empty desk, the slowest claims behind each figure, and
the rows they are read from agreeing with the audit chain."""

import datetime
import random

import pytest
from django.utils import timezone

from claims import clock, services
from claims.audit.actions import AuditAction
from claims.demo.bulk import seed_bulk
from claims.models import AuditEvent, Claim, ReviewState, Stage, Stance
from claims.selectors.dashboard import Period
from claims.signoff.stages import (
    STAGES,
    nearest_rank,
    ranked,
    slowest_claims,
    slowest_url,
    stage_times,
)
from tests.conftest import add_evidence
from tests.factories import EditorFactory, SourceFactory

HOUR = datetime.timedelta(hours=1)
MONDAY = datetime.date(2026, 11, 2)  # D0; the desk's time zone is UTC
WEEK = Period(MONDAY, MONDAY + datetime.timedelta(days=6))


def at(day: int, hour: float) -> datetime.datetime:
    """``hour`` o'clock on day ``day`` after MONDAY (D0), in the desk's time zone."""
    midnight = datetime.datetime.combine(MONDAY + datetime.timedelta(days=day), datetime.time())
    return timezone.make_aware(midnight) + hour * HOUR


@pytest.fixture(autouse=True)
def signoff_on(settings):
    settings.FACTCHECK_SIGNOFF = True


@pytest.fixture
def chief(db):
    return EditorFactory(username="chen", first_name="Chen", last_name="Chief")


class Desk:
    """Writes through the services, each step at the moment it is given."""

    def __init__(self, editor):
        self.editor = editor
        self.source = SourceFactory()

    def claim(self, when, reviewer, text="A claim") -> Claim:
        with clock.replaying(when):
            claim = services.claim_create(
                actor=self.editor,
                text=text,
                claimant="A minister",
                appearances=[services.AppearanceInput(self.source, "as quoted")],
            )
            services.reviewer_assign(actor=self.editor, claim=claim, reviewer=reviewer)
            url = "https://records.example/" + text.replace(" ", "-")
            add_evidence(claim, reviewer, Stance.SUPPORTS, url=url)
        return Claim.objects.get(pk=claim.pk)

    def propose(self, when, claim, who, rationale="Two records agree.", **kwargs):
        claim.refresh_from_db()
        with clock.replaying(when):
            return services.verdict_propose(
                actor=who,
                claim=claim,
                expected_version=claim.version,
                state=ReviewState.CORROBORATED,
                rationale=rationale,
                **kwargs,
            )

    def sign_off(self, when, proposal, who=None):
        with clock.replaying(when):
            return services.verdict_sign_off(actor=who or self.editor, proposal=proposal)

    def send_back(self, when, proposal):
        with clock.replaying(when):
            services.verdict_return(actor=self.editor, proposal=proposal, note="Cite the table.")

    def withdraw(self, when, proposal):
        with clock.replaying(when):
            services.verdict_withdraw(actor=proposal.proposed_by, proposal=proposal)


@pytest.fixture
def desk(editor, reviewer, other_reviewer, chief):
    return build_stage_desk(editor, reviewer, other_reviewer, chief)


def build_stage_desk(editor, rita, omar, chief) -> dict[int, Claim]:
    """Five claims in the week of Monday 2 November (D0); hours from each claim's creation.

    claim  created   first proposal     sign-off of the proposal     published
    c1     D0 09:00  Rita D0 11:00 (2)  D0 12:00 (1)                 D0 12:00 (3)
           correction: Rita D4 09:00, signed off D4 10:00 (1)
    c2     D0 09:00  Rita D1 09:00 (24) returned D1 10:00; Rita again D1 14:00,
                                        signed off D2 14:00 (24)     D2 14:00 (53)
    c3     D0 09:00  Omar D0 15:00 (6)  D0 19:00 (4)                 D0 19:00 (10)
    c4     D1 09:00  Rita D3 09:00 (48) still waiting                -
    c5     D0 09:00  Omar D0 09:30 (½)  withdrawn D0 10:00; Omar again D0 12:00,
                                        signed off by Chen D0 20:00 (8)  D0 20:00 (11)
    """
    write = Desk(editor)
    c = {n: write.claim(at(0, 9), rita if n in (1, 2) else omar, f"c{n}") for n in (1, 2, 3, 5)}
    c[4] = write.claim(at(1, 9), rita, "c4")

    write.sign_off(at(0, 12), write.propose(at(0, 11), c[1], rita))
    write.send_back(at(1, 10), write.propose(at(1, 9), c[2], rita))
    write.sign_off(at(2, 14), write.propose(at(1, 14), c[2], rita))
    write.sign_off(at(0, 19), write.propose(at(0, 15), c[3], omar))
    write.propose(at(3, 9), c[4], rita)
    write.withdraw(at(0, 10), write.propose(at(0, 9.5), c[5], omar))
    write.sign_off(at(0, 20), write.propose(at(0, 12), c[5], omar), chief)
    correction = write.propose(
        at(4, 9), c[1], rita, rationale="Three records agree.", correction_note="Added one."
    )
    write.sign_off(at(4, 10), correction)
    return c


def figures_of(row) -> dict:
    """A row's figures as {stage: (median hours, 90th percentile hours, count)}."""
    return {
        figures.stage: (
            figures.median / HOUR if figures.median is not None else None,
            figures.top_decile / HOUR if figures.top_decile is not None else None,
            figures.count,
        )
        for figures in row.figures
    }


# Nearest rank -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "median", "top_decile"),
    [(1, 1, 1), (2, 1, 2), (3, 2, 3), (4, 2, 4), (5, 3, 5), (9, 5, 9), (10, 5, 9), (11, 6, 10)],
)
def test_nearest_rank_is_the_ceiling_of_the_share(count, median, top_decile):
    assert nearest_rank(50, count) == median
    assert nearest_rank(90, count) == top_decile


def test_a_rank_among_sorted_lists_is_the_rank_in_them_merged():
    generator = random.Random(12)
    for _case in range(200):
        runs = [
            sorted(generator.randrange(50) for _value in range(generator.randrange(1, 12)))
            for _run in range(generator.randrange(1, 5))
        ]
        merged = sorted(value for run in runs for value in run)
        for rank in range(1, len(merged) + 1):
            assert ranked(runs, rank) == merged[rank - 1]


# The figures ------------------------------------------------------------------------------------


def test_desk_figures_match_the_hand_worked_desk(desk):
    times = stage_times(WEEK)

    assert figures_of(times.desk) == {
        # c5 ½, c1 2, c3 6, c2 24, c4 48: the 3rd and the 5th of 5
        Stage.PROPOSAL: (6, 48, 5),
        # c1 1, correction of c1 1, c3 4, c5 8, c2 24 (its second proposal)
        Stage.SIGNOFF: (4, 24, 5),
        # c1 3, c3 10, c5 11, c2 53: the 2nd and the 4th of 4
        Stage.PUBLICATION: (10, 53, 4),
    }
    assert times.desk.person_id is None
    assert not times.is_empty


def test_each_proposer_has_a_row_by_name(desk, reviewer, other_reviewer):
    times = stage_times(WEEK)

    assert [(row.person_id, row.name) for row in times.people] == [
        (other_reviewer.pk, "Omar Other"),
        (reviewer.pk, "Rita Reviewer"),
    ]
    omar, rita = (figures_of(row) for row in times.people)
    assert rita == {
        Stage.PROPOSAL: (24, 48, 3),  # c1 2, c2 24, c4 48
        Stage.SIGNOFF: (1, 24, 3),  # c1 1, correction 1, c2 24
        Stage.PUBLICATION: (3, 53, 2),  # c1 3, c2 53
    }
    assert omar == {
        Stage.PROPOSAL: (0.5, 6, 2),  # c5 ½ (the withdrawn proposal was the first), c3 6
        Stage.SIGNOFF: (4, 8, 2),
        Stage.PUBLICATION: (10, 11, 2),
    }


def test_a_span_counts_in_the_period_it_ends_in(desk):
    first_three_days = stage_times(Period(MONDAY, MONDAY + datetime.timedelta(days=2)))
    assert figures_of(first_three_days.desk) == {
        Stage.PROPOSAL: (2, 24, 4),  # c4's proposal on D3 falls out
        Stage.SIGNOFF: (4, 24, 4),  # so does the correction, signed off on D4
        Stage.PUBLICATION: (10, 53, 4),
    }
    from_tuesday = stage_times(Period(MONDAY + datetime.timedelta(days=1), WEEK.last))
    assert figures_of(from_tuesday.desk) == {
        Stage.PROPOSAL: (24, 48, 2),  # c2 D1 09:00 and c4 D3; c2's counts though c2 is older
        Stage.SIGNOFF: (1, 24, 2),  # c2's on D2, the correction on D4
        Stage.PUBLICATION: (53, 53, 1),
    }


def test_midnight_belongs_to_the_day_it_starts(editor, reviewer):
    write = Desk(editor)
    claim = write.claim(at(0, 20), reviewer)
    write.sign_off(at(2, 0), write.propose(at(1, 0), claim, reviewer))

    monday = stage_times(Period(MONDAY, MONDAY))
    tuesday = stage_times(Period(MONDAY + datetime.timedelta(days=1), WEEK.last))

    assert figures_of(monday.desk)[Stage.PROPOSAL] == (None, None, 0)
    assert figures_of(tuesday.desk) == {
        Stage.PROPOSAL: (4, 4, 1),
        Stage.SIGNOFF: (24, 24, 1),
        Stage.PUBLICATION: (28, 28, 1),
    }
    wednesday_on = stage_times(Period(MONDAY + datetime.timedelta(days=2), WEEK.last))
    assert figures_of(wednesday_on.desk)[Stage.PROPOSAL] == (None, None, 0)
    assert figures_of(wednesday_on.desk)[Stage.SIGNOFF] == (24, 24, 1)


def test_an_empty_desk_has_no_figures(db):
    times = stage_times(WEEK)

    assert times.is_empty
    assert times.people == []
    assert figures_of(times.desk) == dict.fromkeys(STAGES, (None, None, 0))
    assert [figures.median_words for figures in times.desk.figures] == ["–"] * 3


def test_a_verdict_published_without_signoff_counts_for_whoever_moved_it(
    settings, editor, reviewer
):
    settings.FACTCHECK_SIGNOFF = False  # a one-person desk
    claim = Desk(editor).claim(at(0, 9), reviewer)
    claim.refresh_from_db()
    with clock.replaying(at(0, 14)):
        services.claim_change_state(
            actor=reviewer,
            claim=claim,
            expected_version=claim.version,
            state=ReviewState.CORROBORATED,
            rationale="It holds.",
        )

    times = stage_times(WEEK)

    assert figures_of(times.desk) == {
        Stage.PROPOSAL: (None, None, 0),
        Stage.SIGNOFF: (None, None, 0),
        Stage.PUBLICATION: (5, 5, 1),
    }
    assert [row.name for row in times.people] == ["Rita Reviewer"]


def test_figures_are_told_in_words(desk):
    publication = next(f for f in stage_times(WEEK).desk.figures if f.stage == Stage.PUBLICATION)
    assert (publication.median_words, publication.top_decile_words) == (
        "10\xa0hours",
        "2\xa0days, 5\xa0hours",
    )


def test_one_query_for_every_stage_and_person_however_many(
    desk, editor, reviewer, django_assert_num_queries
):
    with django_assert_num_queries(1):
        stage_times(WEEK)
    write = Desk(editor)
    for number in range(12):
        claim = write.claim(at(5, 9), reviewer, f"more {number}")
        write.sign_off(at(5, 12), write.propose(at(5, 10), claim, reviewer))
    with django_assert_num_queries(1):
        times = stage_times(WEEK)
    assert figures_of(times.desk)[Stage.SIGNOFF][2] == 5 + 12


# The slowest claims ------------------------------------------------------------------------------


def test_each_figure_links_to_its_stage_period_and_proposer(desk, reviewer):
    times = stage_times(WEEK)
    rita = next(row for row in times.people if row.person_id == reviewer.pk)
    desk_urls = [figures.url for figures in times.desk.figures]
    assert desk_urls == [
        f"/dashboard/stages/{stage}/?since=2026-11-02&until=2026-11-08" for stage in STAGES
    ]
    assert rita.figures[1].url == (
        f"/dashboard/stages/signoff/?since=2026-11-02&until=2026-11-08&reviewer={reviewer.pk}"
    )
    assert rita.figures[1].url == slowest_url(Stage.SIGNOFF, WEEK, reviewer.pk)


def test_slowest_claims_come_longest_first_with_their_times(desk):
    slowest = slowest_claims(Stage.PUBLICATION, WEEK)

    assert [(claim.text, claim.duration / HOUR) for claim in slowest] == [
        ("c2", 53),
        ("c5", 11),
        ("c3", 10),
        ("c1", 3),
    ]
    c2 = slowest[0]
    assert (c2.started, c2.ended) == (at(0, 9), at(2, 14))
    assert c2.person == "Rita Reviewer"
    assert c2.url == f"/claims/{desk[2].pk}/"
    assert c2.duration_words == "2\xa0days, 5\xa0hours"


def test_slowest_claims_of_one_proposer_and_a_limit(desk, reviewer, other_reviewer):
    rita = slowest_claims(Stage.SIGNOFF, WEEK, reviewer.pk)
    assert [(claim.text, claim.duration / HOUR) for claim in rita] == [
        ("c2", 24),
        ("c1", 1),  # the correction and the first sign-off, both one hour
        ("c1", 1),
    ]
    omar = slowest_claims(Stage.PROPOSAL, WEEK, other_reviewer.pk, limit=1)
    assert [(claim.text, claim.duration / HOUR) for claim in omar] == [("c3", 6)]
    weekend = Period(MONDAY + datetime.timedelta(days=5), WEEK.last)
    assert slowest_claims(Stage.PROPOSAL, weekend, reviewer.pk) == []


def test_slowest_claims_in_one_query(desk, django_assert_num_queries):
    with django_assert_num_queries(1):
        slowest = slowest_claims(Stage.PROPOSAL, WEEK)
    assert len(slowest) == 5


# The rows say what the audit chain says ---------------------------------------------------------


def spans_from_events() -> dict[str, list[tuple[int, datetime.timedelta]]]:
    """Each stage's spans worked out from the audit events alone, as (claim, duration)."""
    found = {stage: [] for stage in STAGES}
    by_claim: dict[int, list[AuditEvent]] = {}
    for event in AuditEvent.objects.order_by("claim_id", "sequence"):
        by_claim.setdefault(event.claim_id, []).append(event)
    for claim_id, events in by_claim.items():
        created = events[0].created_at
        assert events[0].action in (AuditAction.CLAIM_CREATED, AuditAction.CLAIM_IMPORTED)
        proposed = {
            e.data["proposal"]: e.created_at for e in events if e.action == "verdict.proposed"
        }
        if proposed:
            found[Stage.PROPOSAL].append((claim_id, min(proposed.values()) - created))
        for event in events:
            if event.action == AuditAction.VERDICT_APPROVED:
                since = proposed[event.data["proposal"]]
                found[Stage.SIGNOFF].append((claim_id, event.created_at - since))
        published = [e for e in events if "published_at" in e.data]
        if published:
            found[Stage.PUBLICATION].append((claim_id, published[0].created_at - created))
    return {stage: sorted(spans) for stage, spans in found.items()}


def spans_from_rows(period: Period) -> dict[str, list[tuple[int, datetime.timedelta]]]:
    return {
        stage: sorted(
            (claim.claim_id, claim.duration)
            for claim in slowest_claims(stage, period, limit=100_000)
        )
        for stage in STAGES
    }


def test_the_rows_agree_with_the_audit_chain(desk):
    assert spans_from_rows(WEEK) == spans_from_events()


def test_the_rows_agree_with_the_audit_chain_of_seeded_claims(db):
    """seed_bulk writes every kind of story: returned, withdrawn, waiting, corrected."""
    seed_bulk(claims=80, seed=5, workers=0)
    everything = Period(datetime.date(2000, 1, 1), timezone.localdate())
    from_events = spans_from_events()

    assert all(from_events.values())
    rounded = {
        stage: [
            (claim, datetime.timedelta(seconds=round(span.total_seconds())))
            for claim, span in spans
        ]
        for stage, spans in from_events.items()
    }
    assert spans_from_rows(everything) == rounded
