"""Exports of published verdicts and their corrections: ClaimReview publishes only what the public
has seen, with its dates; CSV, JSON and the report carry each correction; --corrected-since."""

import datetime
import html
import json
import re

import pytest
from django.core.management import CommandError
from django.http import QueryDict

from claims import clock, services
from claims.interchange import exports
from claims.models import Claim, ReviewState, Stance
from tests.conftest import add_evidence, change_state
from tests.factories import EditorFactory
from tests.interchange.test_exports import csv_rows, report_header, run_export

FIRST_DAY = datetime.datetime(2024, 3, 1, 12, tzinfo=datetime.UTC)


def day(number: int) -> datetime.datetime:
    """Noon (UTC, the desk's zone in the tests) ``number`` days after 1 March 2024."""
    return FIRST_DAY + datetime.timedelta(days=number)


def _claim(editor, source, text, *, on: int, stances=(Stance.SUPPORTS,)):
    with clock.replaying(day(on)):
        claim = services.claim_create(
            actor=editor,
            text=text,
            claimant="Mayor Jones",
            appearances=[services.AppearanceInput(source, "as quoted")],
        )
        for stance in stances:
            add_evidence(claim, editor, stance)
    return claim


def _move(claim, actor, state, rationale, note="", *, on: int):
    with clock.replaying(day(on)):
        return change_state(claim, actor, state, rationale, note)


@pytest.fixture
def corrected_desk(editor, source, settings):
    """A verdict published on 2 March and corrected on 10 and 20 April 2024; one published on
    4 March and never corrected; one corrected back to unverified on 15 April; one waiting for
    sign-off; one never judged."""
    both = (Stance.SUPPORTS, Stance.CONTRADICTS)
    corrected = _claim(editor, source, "The bridge opened in 1999.", on=0, stances=both)
    _move(corrected, editor, ReviewState.CORROBORATED, "Records agree.", on=1)
    _move(
        corrected,
        editor,
        ReviewState.DISPUTED,
        "The city ledger says 2000.",
        "We had missed the city ledger; <b>sorry</b>.",
        on=40,
    )
    _move(
        corrected,
        editor,
        ReviewState.DISPUTED,
        "The audit office's figures say 2000.",
        "The ledger was revised; the verdict now rests on the audit office.",
        on=50,
    )
    plain = _claim(editor, source, "The tunnel opened in 2005.", on=2)
    _move(plain, editor, ReviewState.CORROBORATED, "Opening records.", on=3)
    reopened = _claim(editor, source, "The ferry stopped in 2010.", on=1)
    _move(reopened, editor, ReviewState.CORROBORATED, "Timetables agree.", on=2)
    _move(
        reopened,
        editor,
        ReviewState.UNVERIFIED,
        "The timetables were wrong.",
        "Our verdict rested on timetables since withdrawn.",
        on=45,
    )
    waiting = _claim(editor, source, "The port closed in 2015.", on=4)
    settings.FACTCHECK_SIGNOFF = True
    waiting.refresh_from_db()
    services.verdict_propose(
        actor=editor,
        claim=waiting,
        expected_version=waiting.version,
        state=ReviewState.CORROBORATED,
        rationale="Port records.",
    )
    settings.FACTCHECK_SIGNOFF = False
    unjudged = _claim(editor, source, "Nobody checked this.", on=5)
    return {
        name: Claim.objects.get(pk=claim.pk)
        for name, claim in {
            "corrected": corrected,
            "plain": plain,
            "reopened": reopened,
            "waiting": waiting,
            "unjudged": unjudged,
        }.items()
    }


def _rows_by_text(text: str) -> dict[str, dict]:
    return {row["text"]: row for row in csv_rows(text)}


# ClaimReview --------------------------------------------------------------------------------------


def test_claimreview_holds_published_verdicts_only(corrected_desk):
    reviews = json.loads(run_export("claimreview"))["@graph"]
    # Not the proposal waiting for sign-off, the verdict corrected back to unverified, or the
    # claim never judged.
    assert [review["claimReviewed"] for review in reviews] == [
        corrected_desk["corrected"].text,
        corrected_desk["plain"].text,
    ]


def test_claimreview_leaves_out_a_verdict_that_was_never_published(corrected_desk):
    # A verdict the public has not seen (here set behind the services' back: they publish
    # every verdict they apply) is not published by the export either.
    Claim.objects.filter(pk=corrected_desk["waiting"].pk).update(state=ReviewState.CORROBORATED)
    reviews = json.loads(run_export("claimreview"))["@graph"]
    assert corrected_desk["waiting"].text not in [r["claimReviewed"] for r in reviews]


def test_claimreview_is_dated_by_its_publication_not_its_first_verdict(corrected_desk):
    # Migration 0016 published the verdicts reached before sign-off as of their last move; a
    # claim corroborated, reopened and corroborated again then had its first verdict earlier.
    plain = corrected_desk["plain"]
    Claim.objects.filter(pk=plain.pk).update(first_verdict_at=day(-20), published_at=day(6))
    reviews = {r["claimReviewed"]: r for r in json.loads(run_export("claimreview"))["@graph"]}
    assert reviews[plain.text]["datePublished"] == "2024-03-07"
    assert reviews[plain.text]["dateModified"] == "2024-03-07"


def test_claimreview_dates_are_the_first_publication_and_the_latest_correction(corrected_desk):
    reviews = {r["claimReviewed"]: r for r in json.loads(run_export("claimreview"))["@graph"]}
    corrected = reviews[corrected_desk["corrected"].text]
    assert corrected["datePublished"] == "2024-03-02"
    assert corrected["dateModified"] == "2024-04-20"
    assert corrected["reviewBody"] == "The audit office's figures say 2000."
    assert corrected["reviewRating"]["alternateName"] == "Disputed"
    assert corrected["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "We had missed the city ledger; <b>sorry</b>.",
            "datePublished": "2024-04-10",
        },
        {
            "@type": "CorrectionComment",
            "text": "The ledger was revised; the verdict now rests on the audit office.",
            "datePublished": "2024-04-20",
        },
    ]
    plain = reviews[corrected_desk["plain"].text]
    assert plain["datePublished"] == plain["dateModified"] == "2024-03-04"
    assert "correction" not in plain


def test_claimreview_counts_only_the_claims_it_publishes(corrected_desk):
    total, _pieces = exports.export("claimreview", QueryDict())
    assert total == 2
    assert exports.export("csv", QueryDict())[0] == 5


# CSV ----------------------------------------------------------------------------------------------


def test_csv_has_publication_times_and_each_correction(corrected_desk):
    rows = _rows_by_text(run_export("csv"))
    corrected = rows["The bridge opened in 1999."]
    assert corrected["published_at"] == "2024-03-02T12:00:00+00:00"
    assert corrected["corrected_at"] == "2024-04-20T12:00:00+00:00"
    assert corrected["corrections"] == (
        "2024-04-10T12:00:00+00:00: corroborated → disputed: "
        "We had missed the city ledger; <b>sorry</b>.; "
        "2024-04-20T12:00:00+00:00: disputed → disputed: "
        "The ledger was revised; the verdict now rests on the audit office."
    )
    reopened = rows["The ferry stopped in 2010."]
    assert (reopened["state"], reopened["published_at"], reopened["corrected_at"]) == (
        "unverified",
        "2024-03-03T12:00:00+00:00",
        "2024-04-15T12:00:00+00:00",
    )
    assert reopened["corrections"] == (
        "2024-04-15T12:00:00+00:00: corroborated → unverified: "
        "Our verdict rested on timetables since withdrawn."
    )
    plain = rows["The tunnel opened in 2005."]
    assert (plain["published_at"], plain["corrected_at"], plain["corrections"]) == (
        "2024-03-04T12:00:00+00:00",
        "",
        "",
    )
    waiting = rows["The port closed in 2015."]
    assert (waiting["state"], waiting["published_at"], waiting["corrections"]) == (
        "unverified",
        "",
        "",
    )


# JSON ---------------------------------------------------------------------------------------------


def test_json_lists_each_correction_with_who_proposed_and_signed_it_off(corrected_desk):
    items = {item["text"]: item for item in json.loads(run_export("json"))}
    corrected = items["The bridge opened in 1999."]
    assert corrected["published_at"] == day(1).isoformat()
    assert corrected["corrected_at"] == day(50).isoformat()
    edna = {"username": "edna", "name": "Edna Editor"}
    assert corrected["corrections"] == [
        {
            "published_at": day(40).isoformat(),
            "previous_state": "corroborated",
            "state": "disputed",
            "previous_rationale": "Records agree.",
            "rationale": "The city ledger says 2000.",
            "correction_note": "We had missed the city ledger; <b>sorry</b>.",
            "proposed_by": edna,
            "approved_by": edna,
            "without_signoff": True,  # the tests' one-person desk
        },
        {
            "published_at": day(50).isoformat(),
            "previous_state": "disputed",
            "state": "disputed",
            "previous_rationale": "The city ledger says 2000.",
            "rationale": "The audit office's figures say 2000.",
            "correction_note": "The ledger was revised; the verdict now rests on the audit office.",
            "proposed_by": edna,
            "approved_by": edna,
            "without_signoff": True,
        },
    ]
    plain = items["The tunnel opened in 2005."]
    assert (plain["published_at"], plain["corrected_at"], plain["corrections"]) == (
        day(3).isoformat(),
        None,
        [],
    )
    waiting = items["The port closed in 2015."]
    assert (waiting["published_at"], waiting["corrections"]) == (None, [])


# The printable report -----------------------------------------------------------------------------


def _articles(page: str) -> dict[str, str]:
    """Each claim's article of the report, by the claim's number."""
    return {
        int(number): article
        for number, article in re.findall(
            r'<article class="claim" id="claim-(\d+)">(.*?)</article>', page, re.S
        )
    }


def test_report_has_a_corrections_section_for_each_corrected_claim(corrected_desk):
    articles = _articles(run_export("html"))
    corrected = articles[corrected_desk["corrected"].pk]
    section = corrected[corrected.index("<h3>Corrections</h3>") :]
    section = section[: section.index("</table>")]
    assert "10 Apr 2024 12:00" in section
    assert "Corroborated → Disputed" in section
    assert "We had missed the city ledger; &lt;b&gt;sorry&lt;/b&gt;." in section  # escaped
    assert "20 Apr 2024 12:00" in section
    assert "Disputed → Disputed" in section
    assert "first published 2 Mar 2024" in corrected
    assert "Corroborated → Unverified" in articles[corrected_desk["reopened"].pk]
    assert "<h3>Corrections</h3>" in articles[corrected_desk["reopened"].pk]
    for name in ("plain", "waiting", "unjudged"):
        assert "<h3>Corrections</h3>" not in articles[corrected_desk[name].pk], name


def test_report_history_names_who_proposed_and_who_signed_off_a_move(
    settings, editor, reviewer, source
):
    settings.FACTCHECK_SIGNOFF = True
    chief = EditorFactory(username="chen", first_name="Chen", last_name="Chief")
    claim = _claim(editor, source, "The dam burst in 1980.", on=0)
    services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer)
    claim.refresh_from_db()
    proposal = services.verdict_propose(
        actor=reviewer,
        claim=claim,
        expected_version=claim.version,
        state=ReviewState.CORROBORATED,
        rationale="Flood records.",
    )
    services.verdict_sign_off(actor=chief, proposal=proposal)

    (article,) = _articles(run_export("html")).values()
    history = html.unescape(article[article.index("History of the verdict") :])
    assert "Unverified → Corroborated" in history
    assert 'Rita Reviewer<br><span class="small">signed off by Chen Chief</span>' in history
    assert "Flood records." in history


# --corrected-since --------------------------------------------------------------------------------


def _ids(**options) -> list[int]:
    return [int(row["id"]) for row in csv_rows(run_export("csv", **options))]


def test_corrected_since_exports_the_claims_corrected_on_that_day_or_later(corrected_desk):
    corrected, reopened = corrected_desk["corrected"].pk, corrected_desk["reopened"].pk
    assert _ids(corrected_since="2024-04-01") == [corrected, reopened]
    assert _ids(corrected_since="2024-04-15") == [corrected, reopened]  # the day itself counts
    # Corrected on 10 April too, but a claim counts by its corrections on or after the day.
    assert _ids(corrected_since="2024-04-16") == [corrected]
    assert _ids(corrected_since="2024-04-20") == [corrected]
    assert _ids(corrected_since="2024-04-21") == []


def test_corrected_since_goes_with_the_queue_filters_and_every_format(corrected_desk):
    assert _ids(corrected_since="2024-04-01", state="unverified") == [corrected_desk["reopened"].pk]
    items = json.loads(run_export("json", corrected_since="2024-04-16"))
    assert [item["id"] for item in items] == [corrected_desk["corrected"].pk]
    reviews = json.loads(run_export("claimreview", corrected_since="2024-04-01"))["@graph"]
    # The claim corrected back to unverified is not a published verdict any more.
    assert [r["claimReviewed"] for r in reviews] == [corrected_desk["corrected"].text]


def test_corrected_since_is_named_in_the_reports_header(corrected_desk):
    page = run_export("html", corrected_since="2024-04-15")
    header = html.unescape(report_header(page))
    assert "Corrected since: 15 Apr 2024 · " in header
    assert "2 claims" in header
    assert "<h1>Claims report</h1>" in page  # one of the two is unverified again
    assert "<h1>Verdict report</h1>" in run_export("html", corrected_since="2024-04-16")


@pytest.mark.parametrize("value", ["yesterday", "2024-02-30", "15/04/2024"])
def test_a_mistyped_corrected_since_is_refused_before_anything_is_written(
    corrected_desk, tmp_path, value
):
    path = tmp_path / "out.csv"
    with pytest.raises(CommandError, match=r"--corrected-since: not a date \(YYYY-MM-DD\)"):
        run_export("csv", corrected_since=value, output=str(path))
    assert not path.exists()
