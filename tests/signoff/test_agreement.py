"""The agreement figures of independent reviews against values worked out by hand: which
proposal is a reviewer's judgement, which reviews fall in a period, the share agreed, Cohen's
kappa per pair (undefined, and left out under the minimum), and the queries they cost."""

import datetime
from fractions import Fraction

import pytest
from django.utils import timezone

from claims import services
from claims.models import ProposalStatus, ReviewState, Stance
from claims.selectors.dashboard import Period
from claims.signoff.agreement import (
    agreement,
    cohen_kappa,
    disagreement_claims,
    disagreements_url,
    independent_reviews,
    reviewed_claims,
    reviews_of,
    two_places,
    with_claims,
)
from tests.conftest import AGREEMENT_PERIOD, add_evidence, judge, november
from tests.factories import ClaimFactory, IndependentProposalFactory

C, D, U = ReviewState.CORROBORATED, ReviewState.DISPUTED, ReviewState.UNVERIFIED
PERIOD = AGREEMENT_PERIOD


def test_cohen_kappa_of_two_raters_by_hand():
    # p_o = 1/2; each rater gave C and D once: p_e = (1/2)(1/2) + (1/2)(1/2) = 1/2; kappa 0.
    figures = cohen_kappa([(C, C), (C, D)])
    assert (figures.observed, figures.chance, figures.kappa) == (Fraction(1, 2),) * 2 + (0,)
    # Never alike, each state as often: p_o = 0, p_e = 1/2, kappa = (0 - 1/2) / (1/2) = -1.
    assert cohen_kappa([(C, D), (D, C)]).kappa == -1
    # Always alike over three states, a third each: p_e = 3 (1/3)(1/3) = 1/3, kappa = 1.
    assert cohen_kappa([(C, C), (D, D), (U, U)]).kappa == 1


def test_kappa_is_undefined_when_chance_agreement_is_certain():
    figures = cohen_kappa([(C, C)] * 5)  # p_o = 1, p_e = (5/5)(5/5) = 1: 0/0
    assert (figures.observed, figures.chance, figures.kappa) == (1, 1, None)


def test_kappa_needs_a_shared_claim():
    with pytest.raises(ValueError, match="at least one claim"):
        cohen_kappa([])


@pytest.mark.parametrize(
    ("value", "text"),
    [(Fraction(2, 3), "0.67"), (Fraction(1, 8), "0.13"), (Fraction(-1, 8), "-0.13"), (0, "0.00")],
)
def test_kappa_reads_to_two_places_halves_away_from_zero(value, text):
    assert two_places(Fraction(value)) == text


def test_share_agreed_and_kappa_per_pair_match_the_hand_worked_table(six_judged_claims, judges):
    figures = agreement(PERIOD)

    assert (figures.reviews, figures.agreed, figures.agreed_percent) == (6, 3, 50)
    pairs = {(pair.first, pair.second): pair for pair in figures.pairs}
    assert list(pairs) == [
        ("Ana Alves", "Ben Brown"),
        ("Ana Alves", "Cy Costa"),
        ("Ben Brown", "Cy Costa"),
    ]
    expected = {
        ("Ana Alves", "Ben Brown"): (6, Fraction(5, 6), Fraction(1, 2), Fraction(2, 3), "0.67"),
        ("Ana Alves", "Cy Costa"): (6, Fraction(2, 3), Fraction(5, 9), Fraction(1, 4), "0.25"),
        ("Ben Brown", "Cy Costa"): (6, Fraction(1, 2), Fraction(1, 2), Fraction(0), "0.00"),
    }
    for names, (shared, observed, chance, kappa, text) in expected.items():
        pair = pairs[names]
        assert pair.figures.shared == shared
        assert (pair.figures.observed, pair.figures.chance, pair.figures.kappa) == (
            observed,
            chance,
            kappa,
        )
        assert pair.kappa_text == text
    assert [pair.observed_percent for pair in pairs.values()] == [83, 66, 50]
    assert figures.left_out == 3  # Dee with each of the others, two shared claims each
    assert figures.min_shared == 5


def test_each_figure_links_to_its_disagreements(six_judged_claims, judges):
    figures = agreement(PERIOD)
    ana, ben = judges["ana"], judges["ben"]
    assert figures.url == "/dashboard/disagreements/?since=2026-11-02&until=2026-11-15"
    assert figures.pairs[0].url == (
        f"/dashboard/disagreements/?since=2026-11-02&until=2026-11-15&a={ana.pk}&b={ben.pk}"
    )
    assert disagreements_url(PERIOD, (ben.pk, ana.pk)).endswith(f"a={ben.pk}&b={ana.pk}")


def test_a_judgement_is_the_first_proposal_not_withdrawn(six_judged_claims, judges):
    reviews = {review.claim_id: review for review in independent_reviews(PERIOD)}
    second = reviews[six_judged_claims[2].pk]
    # Ana's later D on claim 2 is not her judgement; her returned C is.
    assert second.state_of(judges["ana"].pk) == C
    assert [j.reviewer for j in second.judgements] == [
        "Ana Alves",
        "Ben Brown",
        "Cy Costa",
        "Dee Diaz",
    ]
    # Cy withdrew a D on claim 4 before proposing C: the C is the judgement.
    assert reviews[six_judged_claims[4].pk].state_of(judges["cy"].pk) == C


def test_a_reviewer_whose_only_proposal_was_withdrawn_has_not_judged(judges):
    claim = ClaimFactory()
    judge(claim, judges["ana"], C, november(3))
    judge(claim, judges["ben"], D, november(4), ProposalStatus.WITHDRAWN)
    assert independent_reviews(PERIOD) == []  # one judgement is no review yet
    judge(claim, judges["ben"], C, november(5))
    [review] = independent_reviews(PERIOD)
    assert review.agreed
    assert review.at == november(5)


def test_proposals_outside_an_independent_review_and_of_deleted_accounts_do_not_count(judges):
    claim = ClaimFactory()
    judge(claim, judges["ana"], C, november(3))
    IndependentProposalFactory(
        claim=claim, proposed_by=judges["ben"], state=D, proposed_at=november(4), independent=False
    )
    IndependentProposalFactory(claim=claim, proposed_by=None, state=D, proposed_at=november(5))
    assert agreement(PERIOD).reviews == 0


def test_a_review_falls_in_the_period_of_its_latest_judgement(judges):
    ana, ben, cy = judges["ana"], judges["ben"], judges["cy"]
    claims = [ClaimFactory(text=f"Boundary {n}") for n in range(5)]
    # Begun before the period, made comparable on its first moment: in.
    judge(claims[0], ana, C, november(-10))
    judge(claims[0], ben, D, november(2, 0))
    # Comparable one second before the period: out.
    judge(claims[1], ana, C, november(0, 9))
    judge(claims[1], ben, C, november(1, 23, 59, 59))
    # Comparable in the last second of the period: in.
    judge(claims[2], ana, C, november(3))
    judge(claims[2], ben, C, november(15, 23, 59, 59))
    # Comparable on the first moment after it: out.
    judge(claims[3], ana, C, november(3))
    judge(claims[3], ben, C, november(16, 0))
    # Two judged in the period, a third after it: the review moves out with its last judgement.
    judge(claims[4], ana, C, november(3))
    judge(claims[4], ben, C, november(4))
    judge(claims[4], cy, D, november(20))

    found = independent_reviews(PERIOD)

    assert [review.claim_id for review in found] == [claims[0].pk, claims[2].pk]
    assert agreement(PERIOD).agreed == 1
    later = independent_reviews(Period(datetime.date(2026, 11, 16), datetime.date(2026, 11, 30)))
    assert [review.claim_id for review in later] == [claims[3].pk, claims[4].pk]


def test_the_minimum_of_shared_claims_is_a_setting(six_judged_claims, settings):
    settings.FACTCHECK_AGREEMENT_MIN_SHARED = 7
    figures = agreement(PERIOD)
    assert (figures.pairs, figures.left_out, figures.min_shared) == ([], 6, 7)
    settings.FACTCHECK_AGREEMENT_MIN_SHARED = 2
    figures = agreement(PERIOD)
    assert (len(figures.pairs), figures.left_out) == (6, 0)
    dee_and_ben = next(p for p in figures.pairs if (p.first, p.second) == ("Ben Brown", "Dee Diaz"))
    # Claims 1 (C, C) and 2 (C, U): p_o = 1/2; Ben C twice: p_e = (2/2)(1/2) = 1/2; kappa 0.
    assert (dee_and_ben.figures.observed, dee_and_ben.figures.kappa) == (Fraction(1, 2), 0)


def test_a_pair_that_always_gave_one_state_has_no_kappa(judges, settings):
    settings.FACTCHECK_AGREEMENT_MIN_SHARED = 5
    for number in range(5):
        claim = ClaimFactory()
        judge(claim, judges["ana"], C, november(3 + number, 9))
        judge(claim, judges["ben"], C, november(3 + number, 10))
    [pair] = agreement(PERIOD).pairs
    assert (pair.figures.observed, pair.figures.chance, pair.figures.kappa) == (1, 1, None)
    assert pair.kappa_text == "—"


def test_no_independent_reviews_makes_empty_figures(db):
    figures = agreement(PERIOD)
    assert (figures.reviews, figures.agreed, figures.agreed_percent) == (0, 0, 0)
    assert (figures.pairs, figures.left_out) == ([], 0)


def test_disagreements_newest_first_and_between_a_pair(six_judged_claims, judges):
    claims = {pk: number for number, pk in ((n, c.pk) for n, c in six_judged_claims.items())}
    ana, ben, cy, dee = (judges[name].pk for name in ("ana", "ben", "cy", "dee"))

    def numbers(found):
        return [claims[pk] for pk in found]

    assert numbers(reviewed_claims(PERIOD)) == [6, 5, 4, 3, 2, 1]
    assert numbers(disagreement_claims(PERIOD)) == [5, 4, 2]
    assert numbers(disagreement_claims(PERIOD, (ana, ben))) == [4]
    assert numbers(disagreement_claims(PERIOD, (ben, ana))) == [4]
    assert numbers(disagreement_claims(PERIOD, (cy, ben))) == [5, 4, 2]
    # Dee and Cy disagree on claim 2 (U against D); Dee never judged claim 4.
    assert numbers(disagreement_claims(PERIOD, (dee, cy))) == [2]


def test_disagreements_carry_their_claims_and_every_judgement(six_judged_claims, judges):
    pair = (judges["ana"].pk, judges["ben"].pk)
    [row] = with_claims(reviews_of(disagreement_claims(PERIOD, pair)))
    assert (row.claim_text, row.url) == ("Claim 4", f"/claims/{six_judged_claims[4].pk}/")
    assert [(j.reviewer, j.state_label) for j in row.judgements] == [
        ("Ana Alves", "Corroborated"),
        ("Ben Brown", "Disputed"),
        ("Cy Costa", "Corroborated"),
    ]
    assert row.at == november(6, 11)


def test_figures_read_in_one_query_however_many_reviews(
    six_judged_claims, judges, django_assert_num_queries
):
    with django_assert_num_queries(1):
        agreement(PERIOD)
    for number in range(20):
        claim = ClaimFactory()
        for offset, name in enumerate(("ana", "ben", "cy")):
            state = (C, D)[(number + offset) % 2]
            judge(claim, judges[name], state, november(10, 9, number, offset))
    with django_assert_num_queries(1):
        figures = agreement(PERIOD)
    assert figures.reviews == 26
    with django_assert_num_queries(3):
        claims = disagreement_claims(PERIOD)
        assert len(with_claims(reviews_of(claims))) == 23


def test_figures_agree_with_the_reviews_listed(judges, settings):
    """The figures, counted in SQL, against the same worked out here from the listed reviews."""
    settings.FACTCHECK_AGREEMENT_MIN_SHARED = 1
    states = (C, D, U)
    people = list(judges.values())
    for number in range(30):
        claim = ClaimFactory()
        for offset, person in enumerate(people[: 2 + number % 3]):
            when = november(3 + number % 10, 9 + offset)
            judge(claim, person, states[(number * (offset + 1)) % 3], when)
    reviews = independent_reviews(PERIOD)
    figures = agreement(PERIOD)
    assert figures.reviews == len(reviews) == 30
    assert figures.agreed == sum(review.agreed for review in reviews)
    for pair in figures.pairs:
        rated = [
            (review.state_of(pair.first_id), review.state_of(pair.second_id))
            for review in reviews
            if review.state_of(pair.first_id) and review.state_of(pair.second_id)
        ]
        assert pair.figures == cohen_kappa(rated)
    assert len(figures.pairs) == 6


def test_an_unbounded_period_reads_every_review(six_judged_claims):
    everything = Period(datetime.date.min, datetime.date.max)
    assert len(independent_reviews(everything)) == 6
    assert timezone.is_aware(independent_reviews(everything)[0].at)


def test_reviews_made_through_the_services_count_their_blind_judgements(
    claim, editor, reviewer, other_reviewer, settings
):
    """Rita proposes corroborated and withdraws it, then proposes disputed; Omar proposes
    disputed; the editor signs off Omar's. Rita's judgement is her disputed (the withdrawn one
    never counted), and Rita's proposal, set aside as not chosen, still does."""
    settings.FACTCHECK_SIGNOFF = True
    settings.FACTCHECK_AGREEMENT_MIN_SHARED = 1
    for who in (reviewer, other_reviewer):
        services.reviewer_assign(actor=editor, claim=claim, reviewer=who)
    add_evidence(claim, editor, Stance.SUPPORTS)
    add_evidence(claim, editor, Stance.CONTRADICTS)
    services.claim_set_review_mode(actor=editor, claim=claim, independent=True)

    def propose(actor, state):
        claim.refresh_from_db()
        return services.verdict_propose(
            actor=actor,
            claim=claim,
            expected_version=claim.version,
            state=state,
            rationale="Judged blind.",
        )

    taken_back = propose(reviewer, C)
    services.verdict_withdraw(actor=reviewer, proposal=taken_back)
    propose(reviewer, D)
    chosen = propose(other_reviewer, D)
    services.verdict_sign_off(actor=editor, proposal=chosen)

    statuses = set(claim.proposals.values_list("status", flat=True))
    assert statuses == {
        ProposalStatus.WITHDRAWN,
        ProposalStatus.NOT_CHOSEN,
        ProposalStatus.APPROVED,
    }
    figures = agreement(Period.recent_weeks(timezone.localdate()))
    assert (figures.reviews, figures.agreed) == (1, 1)
    [pair] = figures.pairs
    assert (pair.first, pair.second, pair.figures.same) == ("Omar Other", "Rita Reviewer", 1)
