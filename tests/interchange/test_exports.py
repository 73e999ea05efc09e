"""Verdict exports: every format's content, formula neutralization, filters, access and queries."""

import codecs
import csv
import datetime
import html
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext, override_settings

from claims import services
from claims.interchange import exports
from claims.interchange.exports import csv as csv_format
from claims.interchange.exports import reader
from claims.interchange.exports.reader import export_selection, iter_claims
from claims.models import AuditEvent, Claim, Evidence, ReviewState, Stance
from tests.conftest import add_evidence, change_state
from tests.factories import SourceFactory, UserFactory

ORG = {
    "FACTCHECK_ORGANIZATION_NAME": "Test Desk",
    "FACTCHECK_ORGANIZATION_URL": "https://desk.test/",
}


@pytest.fixture
def export_desk(editor, reviewer, other_reviewer):
    """Three claims: corroborated (with a retracted link), disputed (formula-like text), open."""
    early = SourceFactory(
        title="Early report",
        url="https://news.test/early",
        outlet="Early News",
        author="Ann Author",
        published_on=datetime.date(2021, 1, 5),
    )
    late = SourceFactory(
        title="Late report",
        url="https://news.test/late",
        outlet="",
        author="",
        published_on=datetime.date(2022, 3, 1),
    )
    corroborated = services.claim_create(
        actor=editor,
        text="The bridge opened in <b>1999</b>.",
        claimant="Mayor Jones",
        claimed_on=datetime.date(2021, 2, 1),
        appearances=[
            services.AppearanceInput(late, "opened in 1999"),
            services.AppearanceInput(early, "the bridge, opened 1999"),
        ],
    )
    services.reviewer_assign(actor=editor, claim=corroborated, reviewer=reviewer)
    corroborated.refresh_from_db()
    add_evidence(
        corroborated,
        editor,
        Stance.SUPPORTS,
        "https://records.test/bridge",
        title="City records",
        publisher="City",
        excerpt="Opened 12 May 1999",
    )
    wrong = add_evidence(corroborated, editor, Stance.SUPPORTS, "https://wrong.test/page")
    add_evidence(corroborated, editor, Stance.CONTRADICTS, "https://blog.test/bridge-2000")
    services.evidence_retract(
        actor=editor,
        evidence=wrong,
        reason="Wrong bridge.",
    )
    change_state(corroborated, reviewer, ReviewState.CORROBORATED, "Records show 1999.")

    disputed = services.claim_create(
        actor=editor,
        text='=HYPERLINK("http://evil.test")',
        claimant="@handle",
        appearances=[services.AppearanceInput(early, "+1 for this")],
    )
    add_evidence(disputed, editor, Stance.CONTRADICTS, "https://facts.test/no")
    change_state(disputed, editor, ReviewState.DISPUTED, "-5% is not what the data says.")

    unverified = services.claim_create(
        actor=editor,
        text="Nobody has checked this yet.",
        claimant="Someone",
        appearances=[services.AppearanceInput(late, "checked")],
    )
    return {
        "corroborated": Claim.objects.get(pk=corroborated.pk),
        "disputed": Claim.objects.get(pk=disputed.pk),
        "unverified": Claim.objects.get(pk=unverified.pk),
        "early": early,
        "late": late,
    }


def run_export(format_name, **options) -> str:
    out = io.StringIO()
    call_command("export_verdicts", format=format_name, stdout=out, **options)
    return out.getvalue()


def csv_rows(text):
    """The CSV export's rows, after checking it starts with the byte-order mark Excel needs."""
    assert text.startswith(csv_format.BYTE_ORDER_MARK)
    return list(csv.DictReader(io.StringIO(text.removeprefix(csv_format.BYTE_ORDER_MARK))))


# The formats ------------------------------------------------------------------------------------

READER_KINDS = {
    reader.APPEARANCES,
    reader.CORRECTIONS,
    reader.COMMENTS,
    reader.EVIDENCE,
    reader.STANDING_URLS,
    reader.ASSIGNMENTS,
    reader.REVIEWERS,
    reader.HISTORY,
    reader.ROWS,
    reader.ISO_TIMES,
    reader.WHOLE_SECONDS,
}


@pytest.mark.parametrize("format_name", sorted(exports.FORMATS))
def test_every_format_declares_what_the_protocol_asks(format_name):
    export_format = exports.FORMATS[format_name]
    assert isinstance(export_format, exports.ExportFormat)
    assert format_name == export_format.NAME
    assert export_format.INCLUDE <= READER_KINDS
    assert export_format.CONTENT_TYPE.partition(";")[0].count("/") == 1
    assert export_format.EXTENSION.isalnum()


# CSV ----------------------------------------------------------------------------------------------


def test_csv_has_one_row_per_claim_with_every_column(export_desk):
    rows = csv_rows(run_export("csv"))
    assert list(rows[0]) == list(csv_format.COLUMNS)
    assert [int(row["id"]) for row in rows] == [
        export_desk["corroborated"].pk,
        export_desk["disputed"].pk,
        export_desk["unverified"].pk,
    ]
    claim = export_desk["corroborated"]
    assert rows[0] == {
        "id": str(claim.pk),
        "text": "The bridge opened in <b>1999</b>.",
        "claimant": "Mayor Jones",
        "claim_date": "2021-02-01",
        "state": "corroborated",
        "rationale": "Records show 1999.",
        "supporting_count": "1",
        "contradicting_count": "1",
        "supporting_urls": "https://records.test/bridge",  # the retracted link is not standing
        "contradicting_urls": "https://blog.test/bridge-2000",
        "reviewers": "Rita Reviewer",
        "verdict_date": claim.state_changed_at.replace(microsecond=0).isoformat(),
        "first_verdict_date": claim.first_verdict_at.replace(microsecond=0).isoformat(),
        "created_at": claim.created_at.replace(microsecond=0).isoformat(),
        "last_change": claim.updated_at.replace(microsecond=0).isoformat(),
        "published_at": claim.published_at.replace(microsecond=0).isoformat(),
        "corrected_at": "",
        "corrections": "",
    }
    open_row = rows[2]
    assert open_row["state"] == "unverified"
    assert open_row["verdict_date"] == open_row["first_verdict_date"] == ""
    assert open_row["published_at"] == open_row["corrected_at"] == ""
    assert open_row["supporting_urls"] == open_row["reviewers"] == ""


def test_csv_reviewers_are_those_not_withdrawn_once_each_in_assignment_order(
    export_desk, editor, reviewer, other_reviewer
):
    claim = export_desk["unverified"]

    def assign(user):
        claim.refresh_from_db()
        return services.reviewer_assign(actor=editor, claim=claim, reviewer=user)

    first = assign(other_reviewer)
    claim.refresh_from_db()
    services.reviewer_complete(actor=other_reviewer, assignment=first)
    withdrawn = assign(reviewer)
    claim.refresh_from_db()
    services.reviewer_withdraw(actor=editor, assignment=withdrawn, reason="Busy.")
    assign(other_reviewer)  # again, after completing: named once
    row = csv_rows(run_export("csv"))[2]
    assert row["reviewers"] == other_reviewer.get_full_name()
    assign(reviewer)
    row = csv_rows(run_export("csv"))[2]
    assert row["reviewers"].split("; ") == [
        other_reviewer.get_full_name(),
        reviewer.get_full_name(),
    ]


def test_csv_neutralizes_cells_a_spreadsheet_would_run(export_desk):
    row = csv_rows(run_export("csv"))[1]
    assert row["text"] == '\'=HYPERLINK("http://evil.test")'
    assert row["claimant"] == "'@handle"
    assert row["rationale"] == "'-5% is not what the data says."
    for value in ("+1", "\tx", "\rx", "-x", "@x", "=x"):
        assert csv_format.neutralize(value) == "'" + value
        assert csv_format.unneutralize(csv_format.neutralize(value)) == value
    assert csv_format.neutralize("plain 'quoted'") == "plain 'quoted'"
    assert csv_format.unneutralize("'plain") == "'plain"


def spreadsheet_cells(text: str, separator: str) -> list[str]:
    """The cells a spreadsheet reads, its list separator being ``separator``: a separator or a
    line break counts only outside double quotes, and a doubled quote inside them is one."""
    cells, cell, quoted, position = [], [], False, 0
    while position < len(text):
        char = text[position]
        if char == '"' and quoted and text[position + 1 : position + 2] == '"':
            cell.append(char)
            position += 1
        elif char == '"':
            quoted = not quoted
        elif char in (separator, "\n") and not quoted:
            cells.append("".join(cell).removesuffix("\r"))
            cell = []
        else:
            cell.append(char)
        position += 1
    return [*cells, "".join(cell)]


def test_csv_cells_cannot_become_formulas_whatever_the_list_separator(editor, source, tmp_path):
    """Some spreadsheets split CSV at ';' (their list separator): only a quoted cell keeps a
    ';' inside it, and a cell starting after it could run as a formula."""
    claim = services.claim_create(
        actor=editor,
        text="x;=cmd|' /C calc'!A0",
        claimant="Someone;@SUM(1+1)",
        appearances=[services.AppearanceInput(source, "said; -2+3")],
    )
    add_evidence(claim, editor, Stance.CONTRADICTS, "https://facts.test/no;=1")
    change_state(claim, editor, ReviewState.DISPUTED, "a;+1\tb;-1")
    path = tmp_path / "out.csv"
    call_command("export_verdicts", format="csv", output=str(path), stderr=io.StringIO())
    text = path.read_text(encoding="utf-8")

    for separator in (",", ";", "\t", "|"):
        cells = spreadsheet_cells(text, separator)
        assert not [cell for cell in cells if cell.startswith(csv_format.FORMULA_TRIGGERS)]

    path.write_text(text.replace("x;=cmd", "y;=cmd"), encoding="utf-8")
    call_command("import_claims", str(path), actor=editor.username, stdout=io.StringIO())
    copy = Claim.objects.get(text="y;=cmd|' /C calc'!A0")
    assert (copy.claimant, copy.rationale) == ("Someone;@SUM(1+1)", "a;+1\tb;-1")
    assert list(copy.evidence.values_list("url", flat=True)) == ["https://facts.test/no;=1"]


def test_csv_lists_several_urls_joined_by_semicolon_and_space(export_desk, editor):
    add_evidence(export_desk["corroborated"], editor, Stance.SUPPORTS, "https://second.test/a;b;")
    row = csv_rows(run_export("csv"))[0]
    assert row["supporting_urls"] == "https://records.test/bridge; https://second.test/a;b;"


def test_csv_has_no_line_breaks_inside_cells(export_desk, editor, other_reviewer):
    """Excel shows a line break inside a cell only once the row is resized by hand."""
    claim = export_desk["corroborated"]
    add_evidence(claim, editor, Stance.SUPPORTS, "https://second.test/source")
    claim.refresh_from_db()
    services.reviewer_assign(actor=editor, claim=claim, reviewer=other_reviewer)
    text = run_export("csv")
    assert text.count("\n") == 1 + 3  # the header and three claims, one line each
    assert csv_rows(text)[0]["reviewers"] == "Rita Reviewer; " + other_reviewer.get_full_name()


ISO_SECOND = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")


def test_csv_times_are_whole_seconds_in_utc(export_desk):
    """A spreadsheet shows six digits of fraction as noise; the time is still ISO 8601."""
    cells = [
        row[name]
        for row in csv_rows(run_export("csv"))
        for name in (
            "verdict_date",
            "first_verdict_date",
            "created_at",
            "last_change",
            "published_at",
        )
        if row[name]
    ]
    assert len(cells) == 2 * 5 + 2
    assert all(ISO_SECOND.fullmatch(cell) for cell in cells), cells


def test_csv_download_starts_with_the_utf8_byte_order_mark(client, export_desk, viewer):
    client.force_login(viewer)
    body = b"".join(client.get("/claims/export/csv/").streaming_content)
    assert body.startswith(codecs.BOM_UTF8 + b'"id","text"')
    assert body.count(codecs.BOM_UTF8) == 1


# JSON ---------------------------------------------------------------------------------------------


def test_json_holds_claims_appearances_evidence_assignments_and_history(
    export_desk, editor, reviewer
):
    data = json.loads(run_export("json"))
    assert [item["id"] for item in data] == [
        export_desk["corroborated"].pk,
        export_desk["disputed"].pk,
        export_desk["unverified"].pk,
    ]
    claim = export_desk["corroborated"]
    item = data[0]
    assert {
        key: item[key]
        for key in (
            "text",
            "claimant",
            "claimed_on",
            "state",
            "rationale",
            "supporting_count",
            "contradicting_count",
            "created_at",
            "updated_at",
            "state_changed_at",
            "first_verdict_at",
        )
    } == {
        "text": claim.text,
        "claimant": "Mayor Jones",
        "claimed_on": "2021-02-01",
        "state": "corroborated",
        "rationale": "Records show 1999.",
        "supporting_count": 1,
        "contradicting_count": 1,
        "created_at": claim.created_at.isoformat(),
        "updated_at": claim.updated_at.isoformat(),
        "state_changed_at": claim.state_changed_at.isoformat(),
        "first_verdict_at": claim.first_verdict_at.isoformat(),
    }
    assert item["created_by"] == {"username": "edna", "name": "Edna Editor"}
    assert item["appearances"] == [
        {
            "quote": "opened in 1999",
            "source": {
                "title": "Late report",
                "url": "https://news.test/late",
                "outlet": "",
                "author": "",
                "published_on": "2022-03-01",
                "text": export_desk["late"].text,
            },
        },
        {
            "quote": "the bridge, opened 1999",
            "source": {
                "title": "Early report",
                "url": "https://news.test/early",
                "outlet": "Early News",
                "author": "Ann Author",
                "published_on": "2021-01-05",
                "text": export_desk["early"].text,
            },
        },
    ]
    evidence = {e["url"]: e for e in item["evidence"]}
    assert len(item["evidence"]) == 3
    records = evidence["https://records.test/bridge"]
    assert records["stance"] == "supports"
    assert (records["title"], records["publisher"], records["excerpt"]) == (
        "City records",
        "City",
        "Opened 12 May 1999",
    )
    assert records["added_by"] == {"username": "edna", "name": "Edna Editor"}
    assert records["retracted"] is False
    assert records["retracted_at"] is None
    retracted = evidence["https://wrong.test/page"]
    stored = Evidence.objects.get(claim=claim, url="https://wrong.test/page")
    assert retracted["retracted"] is True
    assert retracted["retracted_at"] == stored.retracted_at.isoformat()
    assert retracted["retracted_by"] == {"username": "edna", "name": "Edna Editor"}
    assert retracted["retraction_reason"] == "Wrong bridge."
    assert evidence["https://blog.test/bridge-2000"]["stance"] == "contradicts"
    [assignment] = item["assignments"]
    assert assignment["reviewer"] == {"username": "rita", "name": "Rita Reviewer"}
    assert assignment["assigned_by"]["username"] == "edna"
    assert assignment["status"] == "open"
    assert assignment["closed_at"] is None
    events = list(AuditEvent.objects.filter(claim_id=claim.pk).order_by("sequence"))
    assert [h["action"] for h in item["history"]] == [e.action for e in events]
    assert [h["hash"] for h in item["history"]] == [e.hash for e in events]
    last = item["history"][-1]
    assert last["actor_name"] == "Rita Reviewer"
    assert last["time"] == events[-1].created_at.isoformat()
    assert last["data"]["new"] == {"state": "corroborated", "rationale": "Records show 1999."}
    assert last["previous_hash"] == events[-2].hash


# Everything JSON escapes, and text it leaves as it is.
AWKWARD = 'Quote " backslash \\ lines\r\n tab\t bell\x07 \x1f \x7f “curly” ✓ 😀 </script>'


def test_json_is_the_text_json_dumps_would_write(export_desk, editor, reviewer):
    # Encoded by orjson: compact, and escaped as json.dumps escapes, event data included.
    editor.first_name, editor.last_name = AWKWARD, ""
    editor.save()
    claim = services.claim_create(
        actor=editor,
        text=AWKWARD,
        claimant=AWKWARD[:200],
        appearances=[
            services.AppearanceInput(
                SourceFactory(title=AWKWARD, outlet=AWKWARD, author=AWKWARD, text=AWKWARD),
                AWKWARD,
            )
        ],
    )
    services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer)
    add_evidence(
        claim,
        editor,
        Stance.SUPPORTS,
        "https://awkward.test/page",
        title=AWKWARD,
        publisher=AWKWARD,
        excerpt=AWKWARD,
        note=AWKWARD,
    )
    lines = run_export("json").removesuffix("\n").split("\n")
    assert lines[0] == "["
    assert lines[-1] == "]"
    events = 0
    for line in lines[1:-1]:
        text = line.removesuffix(",")
        item = json.loads(text)
        assert text == json.dumps(item, ensure_ascii=False, separators=(",", ":"))
        events += len(item["history"])
    assert events == AuditEvent.objects.count()
    awkward = json.loads(lines[4])
    assert awkward["text"] == AWKWARD
    assert awkward["appearances"][0]["source"]["text"] == AWKWARD
    assert awkward["created_by"]["name"] == AWKWARD
    assert awkward["evidence"][0]["title"] == AWKWARD
    assert awkward["evidence"][0]["added_by"]["name"] == AWKWARD
    assert awkward["history"][-1]["actor_name"] == AWKWARD


def test_json_history_holds_each_events_data_as_stored(export_desk):
    data = json.loads(run_export("json"))
    stored = {(event.claim_id, event.sequence): event.data for event in AuditEvent.objects.all()}
    exported = {
        (item["id"], event["sequence"]): event["data"] for item in data for event in item["history"]
    }
    assert exported == stored


def test_json_is_the_same_text_written_to_a_file_or_a_text_stream(export_desk, tmp_path):
    path = tmp_path / "out.json"
    call_command("export_verdicts", format="json", output=str(path), stderr=io.StringIO())
    assert path.read_text(encoding="utf-8") == run_export("json")


def test_json_of_no_claims_is_an_empty_array(db):
    assert json.loads(run_export("json")) == []


# ClaimReview --------------------------------------------------------------------------------------

# Google's Fact Check markup: required, then recommended properties of a ClaimReview.
REQUIRED = {"claimReviewed", "reviewRating", "url", "author"}
RECOMMENDED = {"datePublished", "itemReviewed"}


@override_settings(**ORG)
def test_claimreview_has_required_and_recommended_properties(export_desk):
    document = json.loads(run_export("claimreview"))
    assert document["@context"] == "https://schema.org"
    reviews = document["@graph"]
    assert [r["claimReviewed"] for r in reviews] == [
        export_desk["corroborated"].text,
        export_desk["disputed"].text,
    ]  # the unverified claim is left out
    for review in reviews:
        assert review["@type"] == "ClaimReview"
        assert set(review) >= REQUIRED | RECOMMENDED
        assert review["author"] == {
            "@type": "Organization",
            "name": "Test Desk",
            "url": "https://desk.test/",
        }
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating"
        assert {"alternateName", "ratingValue", "bestRating", "worstRating"} <= set(rating)
        assert (rating["bestRating"], rating["worstRating"]) == (5, 1)
        assert review["itemReviewed"]["@type"] == "Claim"
        assert {"author", "appearance", "firstAppearance"} <= set(review["itemReviewed"])

    claim = export_desk["corroborated"]
    first = reviews[0]
    assert first["url"] == f"https://desk.test/claims/{claim.pk}/"
    assert first["datePublished"] == claim.published_at.date().isoformat()
    assert first["dateModified"] == claim.published_at.date().isoformat()  # never corrected
    assert "correction" not in first
    assert first["reviewBody"] == "Records show 1999."
    assert first["reviewRating"]["ratingValue"] == 5
    assert first["reviewRating"]["alternateName"] == "Corroborated"
    item = first["itemReviewed"]
    assert item["author"] == {"@type": "Person", "name": "Mayor Jones"}
    assert item["datePublished"] == "2021-02-01"
    assert item["appearance"] == [
        {
            "@type": "CreativeWork",
            "headline": "Late report",
            "url": "https://news.test/late",
            "datePublished": "2022-03-01",
        },
        {
            "@type": "CreativeWork",
            "headline": "Early report",
            "url": "https://news.test/early",
            "datePublished": "2021-01-05",
            "author": {"@type": "Person", "name": "Ann Author"},
            "publisher": {"@type": "Organization", "name": "Early News"},
        },
    ]
    assert item["firstAppearance"] == item["appearance"][1]  # the earliest published

    disputed = reviews[1]
    assert disputed["reviewRating"]["ratingValue"] == 1
    assert disputed["reviewRating"]["alternateName"] == "Disputed"
    assert "datePublished" not in disputed["itemReviewed"]  # no date given for the claim


@override_settings(**ORG, FACTCHECK_VERDICT_URL="https://news.example/fact-checks/{id}/")
def test_claimreview_points_at_where_the_desk_publishes_its_verdicts(export_desk):
    reviews = json.loads(run_export("claimreview"))["@graph"]
    assert [review["url"] for review in reviews] == [
        f"https://news.example/fact-checks/{export_desk[key].pk}/"
        for key in ("corroborated", "disputed")
    ]


def test_claimreview_can_be_pasted_into_a_script_element(editor, source):
    hostile = "Officials said </script><script>alert(document.domain)</script> & more"
    claim = services.claim_create(
        actor=editor,
        text=hostile,
        claimant="<b>Minister</b>",
        appearances=[services.AppearanceInput(source, "as quoted")],
    )
    add_evidence(claim, editor, Stance.SUPPORTS)
    change_state(claim, editor, ReviewState.CORROBORATED, "True & checked <twice>.")

    text = run_export("claimreview")

    assert not set("<>&") & set(text)  # escaped as \u003c, \u003e, \u0026
    (review,) = json.loads(text)["@graph"]
    assert review["claimReviewed"] == hostile
    assert review["itemReviewed"]["author"]["name"] == "<b>Minister</b>"
    assert review["reviewBody"] == "True & checked <twice>."


# Printable report ---------------------------------------------------------------------------------


def test_report_lists_verdicts_evidence_reviewers_and_history_escaped(export_desk):
    page = run_export("html")
    assert page.startswith("<!doctype html>")
    assert page.rstrip().endswith("</html>")
    assert "size: A4" in page
    assert "break-before: page" in page
    assert page.count('<article class="claim"') == 3
    assert "The bridge opened in &lt;b&gt;1999&lt;/b&gt;." in page
    assert "<b>1999</b>" not in page
    assert "Records show 1999." in page
    assert "https://records.test/bridge" in page
    assert "https://blog.test/bridge-2000" in page
    assert "Retracted" in page
    assert "Wrong bridge." in page
    assert "Evidence for (1)" in page
    assert "Evidence against (1)" in page
    assert "Rita Reviewer" in page
    assert "Unverified → Corroborated" in page
    assert "Unverified → Disputed" in page
    assert "3 claims" in page
    assert page.count("<script") == 1  # the print button's, written in (one file, no links)
    assert "<link" not in page


def report_header(page: str) -> str:
    return page[page.index("<body>") : page.index("<main>")]


def test_report_header_names_the_filters_sort_and_time(export_desk):
    page = run_export("html", state="corroborated", reviewer="rita", sort="updated")
    header = html.unescape(report_header(page))
    assert "State: Corroborated · Reviewer: Rita Reviewer · " in header
    assert "Claims, most recently changed first" in header
    assert re.search(r"generated \d{1,2} \w{3} \d{4} \d\d:\d\d", header)
    assert "1 claim" in header

    header = html.unescape(report_header(run_export("html", created_from="2020-01-31")))
    assert "Created from: 31 Jan 2020 · Claims by number, oldest first" in header
    assert "All claims · Claims by number, oldest first" in report_header(run_export("html"))


def test_report_header_names_yes_no_filters_in_words(export_desk):
    _total, pieces = exports.export("html", QueryDict("supporting=yes&overdue=on&q=bridge"))
    header = html.unescape(report_header("".join(pieces)))
    assert "Search: bridge · Has supporting evidence: Yes · Overdue only: yes · " in header


@pytest.mark.parametrize(
    ("options", "title"),
    [
        ({}, "Claims report"),
        ({"state": "unverified"}, "Claims report"),
        ({"state": "disputed"}, "Verdict report"),
        ({"search": "bridge"}, "Verdict report"),  # no state filter: the claims are counted
        ({"search": "nobody"}, "Claims report"),  # nothing selected
    ],
)
def test_report_is_titled_by_what_it_holds(export_desk, options, title):
    page = run_export("html", **options)
    assert f"<h1>{title}</h1>" in page
    assert f"<title>{title} · " in page


def test_report_title_costs_at_most_one_query(export_desk):
    def queries(params):
        with CaptureQueriesContext(connection) as captured:
            _total, chunks = exports.export("html", QueryDict(params))
            for _chunk in chunks:
                pass
        return len(captured)

    assert queries("state=disputed") + 1 == queries("q=hyperlink")


def test_report_in_the_browser_prints_and_leads_back_to_the_queue(client, export_desk, reviewer):
    client.force_login(reviewer)
    response = client.get("/claims/export/html/", {"state": "corroborated", "reviewer": "me"})
    page = b"".join(response.streaming_content).decode()
    assert "State: Corroborated · Reviewer: Rita Reviewer" in html.unescape(report_header(page))
    # Hidden until the report's script (js/report.js, written in) wires it to window.print().
    assert '<button type="button" data-print hidden>Print</button>' in page
    assert "Or use your browser’s Print command." in page
    assert '<a href="/claims/?state=corroborated&amp;reviewer=me">' in page
    print_css = page[page.index("@media print") : page.index("</style>")]
    assert re.search(r"\.report-actions \{ display: none; \}", print_css)
    assert page.index("data-print") < page.index("<main>")


def test_report_written_to_a_file_has_no_link_back(export_desk):
    page = run_export("html")
    assert "window.print()" in page
    assert "Back to the queue" not in page


# Filters ------------------------------------------------------------------------------------------


def test_command_applies_the_queue_filters(export_desk, reviewer):
    def ids(**options):
        return [int(row["id"]) for row in csv_rows(run_export("csv", **options))]

    assert ids(state="disputed") == [export_desk["disputed"].pk]
    assert ids(claimant="mayor") == [export_desk["corroborated"].pk]
    assert ids(search="bridge") == [export_desk["corroborated"].pk]
    assert ids(reviewer="rita") == [export_desk["corroborated"].pk]
    assert ids(reviewer=str(reviewer.pk)) == [export_desk["corroborated"].pk]
    assert ids(reviewer="unassigned") == [export_desk["disputed"].pk, export_desk["unverified"].pk]
    assert ids(source=str(export_desk["late"].pk)) == [
        export_desk["corroborated"].pk,
        export_desk["unverified"].pk,
    ]
    today = datetime.date.today()
    assert ids(created_from=str(today + datetime.timedelta(days=1))) == []
    assert len(ids(created_to=str(today + datetime.timedelta(days=1)))) == 3
    assert ids(sort="-claimant")[0] == export_desk["unverified"].pk


def test_command_refuses_invalid_filters(export_desk):
    with pytest.raises(CommandError, match="state"):
        run_export("csv", state="maybe")
    with pytest.raises(CommandError, match="created_from"):
        run_export("csv", created_from="yesterday")
    with pytest.raises(CommandError, match="nobody"):
        run_export("csv", reviewer="nobody")


def test_command_writes_to_a_file(export_desk, tmp_path, capsys):
    path = tmp_path / "out.json"
    out = io.StringIO()
    call_command("export_verdicts", format="json", output=str(path), stdout=out)
    assert out.getvalue() == ""
    assert len(json.loads(path.read_text(encoding="utf-8"))) == 3


def test_download_exports_what_the_queue_filters_show(client, export_desk, viewer):
    client.force_login(viewer)
    response = client.get("/claims/export/csv/", {"state": "corroborated", "page": "2"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="verdicts-')
    assert response["Content-Disposition"].endswith('.csv"')
    body = b"".join(response.streaming_content).decode()
    assert [int(row["id"]) for row in csv_rows(body)] == [export_desk["corroborated"].pk]

    response = client.get("/claims/export/claimreview/", {"q": "hyperlink"})
    assert response["Content-Type"] == "application/ld+json"
    graph = json.loads(b"".join(response.streaming_content))["@graph"]
    assert [r["claimReviewed"] for r in graph] == [export_desk["disputed"].text]

    response = client.get("/claims/export/json/", {"state": "disputed"})
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].endswith('.json"')
    body = json.loads(b"".join(response.streaming_content))
    assert [item["id"] for item in body] == [export_desk["disputed"].pk]

    response = client.get("/claims/export/html/")
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"].startswith("inline;")


def test_queue_links_to_downloads_with_its_filters(client, export_desk, viewer):
    client.force_login(viewer)
    page = client.get("/claims/", {"state": "disputed", "page": "1"}).content.decode()
    assert 'href="/claims/export/csv/?state=disputed&amp;sort=updated"' in page
    assert 'href="/claims/export/html/?state=disputed&amp;sort=updated"' in page


@pytest.mark.parametrize("sort", [None, "claimant", "-created"])
def test_download_link_lists_the_claims_in_the_queues_order(client, export_desk, viewer, sort):
    client.force_login(viewer)
    response = client.get("/claims/", {"sort": sort} if sort else {})
    shown = [row.claim.pk for row in response.context["queue"].rows]
    link = re.search(r'href="(/claims/export/csv/[^"]*)"', response.content.decode()).group(1)

    download = client.get(html.unescape(link))

    body = b"".join(download.streaming_content).decode()
    assert [int(row["id"]) for row in csv_rows(body)] == shown


def test_download_requires_login_and_a_role(client, export_desk):
    response = client.get("/claims/export/csv/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    client.force_login(UserFactory(username="no_role"))
    assert client.get("/claims/export/csv/").status_code == 403


def test_unknown_format_is_not_found(client, export_desk, viewer):
    client.force_login(viewer)
    assert client.get("/claims/export/xlsx/").status_code == 404


# Queries ------------------------------------------------------------------------------------------


def _export_queries(format_name: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        _total, chunks = exports.export(format_name, QueryDict())
        for _chunk in chunks:
            pass
    return len(queries)


@pytest.mark.parametrize("format_name", sorted(exports.FORMATS))
def test_export_queries_do_not_grow_with_claims(export_desk, editor, format_name):
    before = _export_queries(format_name)
    for number in range(5):
        claim = services.claim_create(
            actor=editor,
            text=f"Extra claim {number}",
            claimant="Someone",
            appearances=[services.AppearanceInput(export_desk["early"], "quoted")],
        )
        add_evidence(claim, editor)
        add_evidence(claim, editor, Stance.CONTRADICTS)
        change_state(claim, editor, ReviewState.CORROBORATED, "First look.")
        change_state(claim, editor, ReviewState.DISPUTED, "Second look.", "We looked again.")
    assert _export_queries(format_name) == before


def test_claims_are_read_in_chunks_with_bounded_queries(export_desk, django_assert_num_queries):
    selection = export_selection(params=QueryDict())
    # The users once; then for each chunk one query for the claims and one per kind of row
    # (appearances, evidence, assignments, history, corrections; on SQLite, three more to
    # shrink the page cache and restore it).
    pragmas = 3 if connection.vendor == "sqlite" else 0
    with django_assert_num_queries(pragmas + 1 + 2 * 6):
        claims = list(iter_claims(selection, chunk_size=2))
    assert [c.pk for c in claims] == selection.ids


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's page cache only")
def test_export_restores_the_connections_page_cache(export_desk):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size = -32768")
    _export_queries("csv")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == -32768
