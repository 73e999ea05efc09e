"""Importing claims from the CSV and JSON exports: all or nothing, problems named, round trip."""

import builtins
import codecs
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from claims import services
from claims.audit.actions import AuditAction
from claims.audit.chain import verify_chain
from claims.interchange.imports import MAX_ERRORS
from claims.interchange.imports.fields import MAX_RECORD_PROBLEMS
from claims.models import (
    Appearance,
    AuditEvent,
    Claim,
    Evidence,
    Publication,
    ReviewState,
    Source,
    Stance,
)
from claims.services.claims import appearance_quote
from tests.conftest import add_evidence
from tests.factories import SourceFactory

ROOT = Path(__file__).resolve().parents[2]


def claim_json(**overrides) -> dict:
    data = {
        "id": 7,
        "text": "The bridge opened in 1999.",
        "claimant": "Mayor Jones",
        "claimed_on": "2021-02-01",
        "state": "corroborated",
        "rationale": "Records show 1999.",
        "created_at": "2024-01-02T03:04:05.000006+00:00",
        "state_changed_at": "2024-02-01T10:00:00+00:00",
        "first_verdict_at": "2024-01-15T10:00:00+00:00",
        "appearances": [
            {
                "quote": "opened in 1999",
                "source": {
                    "title": "City paper",
                    "url": "https://news.test/bridge",
                    "outlet": "City Paper",
                    "author": "Ann Author",
                    "published_on": "2021-01-05",
                    "text": "",
                },
            }
        ],
        "evidence": [
            {
                "stance": "supports",
                "url": "https://records.test/bridge",
                "title": "City records",
                "publisher": "City",
                "excerpt": "Opened 12 May 1999",
                "note": "primary",
                "added_by": {"username": "edna", "name": "Edna Editor"},
                "added_at": "2024-01-10T09:00:00+00:00",
                "retracted_at": None,
                "retraction_reason": "",
            },
            {
                "stance": "supports",
                "url": "https://wrong.test/page",
                "added_at": "2024-01-11T09:00:00+00:00",
                "retracted_at": "2024-01-12T09:00:00+00:00",
                "retracted_by": {"username": "gone", "name": "Someone who left"},
                "retraction_reason": "Wrong bridge.",
            },
        ],
    }
    data.update(overrides)
    return data


def write_json(tmp_path, items, name="claims.json") -> Path:
    path = tmp_path / name
    path.write_text(
        "[\n" + ",\n".join(json.dumps(item) for item in items) + "\n]\n", encoding="utf-8"
    )
    return path


def write_csv(tmp_path, text, name="claims.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def import_file(path, actor) -> str:
    out = io.StringIO()
    call_command("import_claims", str(path), actor=actor.username, stdout=out)
    return out.getvalue()


def counts():
    return (
        Claim.objects.count(),
        Evidence.objects.count(),
        Source.objects.count(),
        Publication.objects.count(),
        AuditEvent.objects.count(),
    )


# Imports that succeed -----------------------------------------------------------------------------


def test_json_import_writes_claims_sources_evidence_and_an_import_event(tmp_path, editor):
    existing = SourceFactory(url="https://news.test/bridge", title="Already on file")
    other = claim_json(
        id=8,
        text="Nobody checked this.",
        state="unverified",
        rationale="",
        state_changed_at=None,
        first_verdict_at=None,
        evidence=[],
        appearances=[
            {"quote": "q", "source": {"title": "No address", "outlet": "Radio", "url": ""}}
        ],
    )
    path = write_json(tmp_path, [claim_json(), other])

    assert "Imported 2 claims" in import_file(path, editor)

    claim = Claim.objects.get(text="The bridge opened in 1999.")
    assert (claim.claimant, str(claim.claimed_on), claim.state, claim.rationale) == (
        "Mayor Jones",
        "2021-02-01",
        ReviewState.CORROBORATED,
        "Records show 1999.",
    )
    assert claim.created_at.isoformat() == "2024-01-02T03:04:05.000006+00:00"
    assert claim.state_changed_at.isoformat() == "2024-02-01T10:00:00+00:00"
    assert claim.first_verdict_at.isoformat() == "2024-01-15T10:00:00+00:00"
    assert (claim.supporting_count, claim.contradicting_count) == (1, 0)
    assert claim.created_by == editor
    [appearance] = claim.appearances.all()
    assert appearance.source == existing  # matched by its URL, not created again
    assert appearance.quote == "opened in 1999"
    standing, retracted = claim.evidence.order_by("added_at")
    assert (standing.url, standing.title, standing.publisher, standing.excerpt) == (
        "https://records.test/bridge",
        "City records",
        "City",
        "Opened 12 May 1999",
    )
    assert standing.note == "primary"
    assert standing.normalized_url == "https://records.test/bridge"
    assert standing.added_by == editor  # "edna" exists here
    assert retracted.retracted_at.isoformat() == "2024-01-12T09:00:00+00:00"
    assert retracted.retracted_by is None  # "gone" does not
    assert retracted.retraction_reason == "Wrong bridge."

    [event] = AuditEvent.objects.filter(claim_id=claim.pk)
    assert event.action == AuditAction.CLAIM_IMPORTED
    assert event.actor_id == editor.pk
    assert event.data["file"] == "claims.json"
    assert event.data["line"] == 2
    assert event.data["original_id"] == 7
    assert event.data["new"]["state"] == "corroborated"
    assert event.data["new"]["evidence"] == 2
    assert verify_chain(claim.pk, [event], (claim.audit_length, claim.audit_head)) is None

    second = Claim.objects.get(text="Nobody checked this.")
    assert second.state == ReviewState.UNVERIFIED
    assert second.first_verdict_at is None
    assert second.appearances.get().source.title == "No address"  # a new source
    assert AuditEvent.objects.get(claim_id=second.pk).data["line"] == 3


def test_csv_import_reads_the_csv_export_as_earlier_versions_wrote_it(tmp_path, editor):
    """Lists one per line and no byte-order mark, as exports wrote them before issue 11."""
    path = write_csv(
        tmp_path,
        "id,text,claimant,claim_date,state,rationale,supporting_count,contradicting_count,"
        "supporting_urls,contradicting_urls,reviewers,verdict_date,first_verdict_date,"
        "created_at,last_change\n"
        "1,\"'=1+1 is two\",'@handle,2021-02-01,disputed,'-5% is wrong,0,2,,"
        '"https://a.test/one\nhttps://b.test/two",Rita Reviewer,'
        "2024-02-01T10:00:00+00:00,2024-01-01T10:00:00+00:00,2023-12-01T00:00:00+00:00,x\n"
        "2,Plain claim,Someone,,unverified,,0,0,,,,,,,\n",
    )
    import_file(path, editor)
    claim = Claim.objects.get(claimant="@handle")
    assert claim.text == "=1+1 is two"  # the export's defusing quote is taken off again
    assert claim.rationale == "-5% is wrong"
    assert claim.state == ReviewState.DISPUTED
    assert claim.contradicting_count == 2
    assert sorted(claim.evidence.values_list("url", flat=True)) == [
        "https://a.test/one",
        "https://b.test/two",
    ]
    assert set(claim.evidence.values_list("stance", flat=True)) == {Stance.CONTRADICTS}
    assert claim.first_verdict_at.isoformat() == "2024-01-01T10:00:00+00:00"
    plain = Claim.objects.get(text="Plain claim")
    assert AuditEvent.objects.get(claim_id=plain.pk).data["line"] == 4  # after a 2-line record


def test_csv_export_imports_back(tmp_path, editor, claim):
    add_evidence(claim, editor, Stance.CONTRADICTS, "https://facts.test/no")
    services.claim_change_state(
        actor=editor,
        claim=claim,
        expected_version=claim.version,
        state=ReviewState.DISPUTED,
        rationale="=cmd|' /C calc'!A0",
    )
    path = tmp_path / "out.csv"
    call_command("export_verdicts", format="csv", output=str(path))
    text = path.read_text(encoding="utf-8").replace(claim.text, "A different claim")
    path.write_text(text, encoding="utf-8")
    import_file(path, editor)
    copy = Claim.objects.get(text="A different claim")
    assert copy.rationale == "=cmd|' /C calc'!A0"
    assert copy.state == ReviewState.DISPUTED
    assert list(copy.evidence.values_list("url", flat=True)) == ["https://facts.test/no"]


def test_csv_export_with_its_byte_order_mark_and_url_lists_imports_back_unchanged(
    tmp_path, editor, claim
):
    """URLs may hold ";" (even at their end) but never a space: "; " splits them back exactly."""
    urls = ["https://a.test/x;y", "https://b.test/end;", "https://c.test/?q=1;2"]
    for url in urls:
        add_evidence(claim, editor, Stance.SUPPORTS, url)
    path = tmp_path / "out.csv"
    call_command("export_verdicts", format="csv", output=str(path))
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    assert "; ".join(urls).encode() in raw
    path.write_bytes(raw.replace(claim.text.encode(), b"The same claim, copied"))

    import_file(path, editor)

    copy = Claim.objects.get(text="The same claim, copied")
    assert copy.claimant == claim.claimant  # the first column's name was read past the mark
    assert list(copy.evidence.order_by("id").values_list("url", flat=True)) == urls


# Problems: reported with line and field, nothing written -----------------------------------------


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([claim_json(state="maybe")], "line 2, state: unknown state 'maybe'"),
        (
            [claim_json(evidence=[{**claim_json()["evidence"][0], "url": "ftp://x.test/f"}])],
            "line 2, evidence 1 url: bad URL 'ftp://x.test/f'",
        ),
        ([claim_json(text="  ")], "line 2, text: missing"),
        ([claim_json(claimant=None)], "line 2, claimant: missing"),
        ([claim_json(claimed_on="yesterday")], "line 2, claimed_on: not a date"),
        ([claim_json(claimant="x" * 201)], "line 2, claimant: longer than 200 characters"),
        ([claim_json(), claim_json(text="Other")], "line 3, id: duplicate claim 7"),
        (
            [claim_json(), claim_json(id=9)],
            "line 3, text: duplicate claim (same text, claimant and date as line 2)",
        ),
        ([claim_json(evidence=[])], "line 2, state: corroborated needs at least one"),
        (
            [claim_json(evidence=[claim_json()["evidence"][0]] * 2)],
            "line 2, evidence 2: duplicate supports link",
        ),
        ([claim_json(evidence=[{"stance": "neutral", "url": "https://x.test"}])], "stance"),
        ([["not", "an", "object"]], "line 2: expected an object"),
    ],
)
def test_json_problems_are_named_and_nothing_is_written(tmp_path, editor, items, expected):
    before = counts()
    with pytest.raises(CommandError, match="Nothing imported") as error:
        import_file(write_json(tmp_path, items), editor)
    assert expected in str(error.value)
    assert counts() == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[\n{"text": "a", "claimant": "b", "state": "unverified"}', "not closed"),
        ('[\n{"text": "a", "claimant": "b", "state": }\n]', "line 2: malformed JSON"),
        ('{"text": "a"}', "line 1: malformed file: expected a JSON array"),
        ("", "line 1: malformed file: expected a JSON array"),
        ("[]", "no claims in the file"),
    ],
)
def test_malformed_json_is_refused(tmp_path, editor, content, expected):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError, match="Nothing imported") as error:
        import_file(path, editor)
    assert expected in str(error.value)
    assert counts() == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("text,claimant\nA,B\n", "line 1: missing column state"),
        ("text,claimant,state\nA,B,maybe\n", "line 2, state: unknown state 'maybe'"),
        ("text,claimant,state\n,B,unverified\n", "line 2, text: missing"),
        (
            "text,claimant,state,supporting_urls\nA,B,corroborated,not a url\n",
            "line 2, supporting_urls: bad URL 'not a url'",
        ),
        ("text,claimant,state\nA,B,unverified,extra\n", "line 2: more cells than columns"),
        ("text,claimant,state\nA,B,unverified\nA,B,unverified\n", "line 3, text: duplicate"),
        ('text,claimant,state\nA,B,unverified\n"C,D,unverified\n', "line 3"),
    ],
)
def test_csv_problems_are_named_and_nothing_is_written(tmp_path, editor, content, expected):
    before = counts()
    with pytest.raises(CommandError, match="Nothing imported") as error:
        import_file(write_csv(tmp_path, content), editor)
    assert expected in str(error.value)
    assert counts() == before


def test_every_problem_is_reported_not_just_the_first(tmp_path, editor):
    items = [claim_json(state="maybe"), claim_json(id=8, text="B", claimant="")]
    with pytest.raises(CommandError) as error:
        import_file(write_json(tmp_path, items), editor)
    assert "line 2, state" in str(error.value)
    assert "line 3, claimant: missing" in str(error.value)


def test_one_record_shows_its_first_problems_and_counts_the_rest(tmp_path, editor):
    """A URL repeated in one cell is a duplicate link each time: the report stays short."""
    urls = "\n".join(["https://x.test/same"] * 5_000)
    path = write_csv(tmp_path, f'text,claimant,state,supporting_urls\nA,B,unverified,"{urls}"\n')

    lines = import_refused(path, editor).splitlines()

    shown = MAX_RECORD_PROBLEMS
    assert lines[0] == f"Nothing imported: 4,999 problems in {path}:"
    assert lines[1:-1] == ["line 2, evidence 2: duplicate supports link https://x.test/same"] + [
        f"line 2, evidence {number}: duplicate supports link https://x.test/same"
        for number in range(3, shown + 2)
    ]
    assert lines[-1] == f"line 2: {4_999 - shown:,} more problems in this record not shown"


def test_a_file_stops_being_checked_after_enough_problems(tmp_path, editor):
    rows = "".join(f"Claim {number},B,maybe\n" for number in range(MAX_ERRORS + 50))
    lines = import_refused(write_csv(tmp_path, "text,claimant,state\n" + rows), editor).splitlines()
    assert lines[0].startswith(f"Nothing imported: {MAX_ERRORS} problems in ")
    assert len(lines) == 1 + MAX_ERRORS + 1
    assert lines[-1] == f"... stopped after {MAX_ERRORS} problems"


def test_a_claim_already_on_file_is_a_duplicate(tmp_path, editor, claim):
    item = claim_json(text=claim.text, claimant=claim.claimant, claimed_on=None)
    before = counts()
    with pytest.raises(CommandError, match="already on file"):
        import_file(write_json(tmp_path, [item]), editor)
    assert counts() == before


def _colliding_hash(monkeypatch):
    """Every claim's text, claimant and date hash alike, as two of 2**64 values may."""
    real = builtins.hash

    def colliding(value):
        if isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], str):
            return 0
        return real(value)

    monkeypatch.setattr(builtins, "hash", colliding)


def test_claims_that_share_a_hash_are_not_duplicates(tmp_path, editor, claim, monkeypatch):
    _colliding_hash(monkeypatch)
    items = [claim_json(), claim_json(id=8, text="A different claim.")]

    assert "Imported 2 claims" in import_file(write_json(tmp_path, items), editor)

    assert Claim.objects.count() == 3


def test_duplicates_are_still_found_when_hashes_collide(tmp_path, editor, claim, monkeypatch):
    _colliding_hash(monkeypatch)
    on_file = claim_json(id=9, text=claim.text, claimant=claim.claimant, claimed_on=None)
    items = [claim_json(), claim_json(id=8), on_file]

    message = import_refused(write_json(tmp_path, items, "twice.json"), editor)

    assert "line 3, text: duplicate claim (same text, claimant and date as line 2)" in message
    assert "line 4, text: duplicate: this claim (same text, claimant and date) is already" in (
        message
    )
    assert "line 2, text" not in message


def test_only_editors_may_import(tmp_path, reviewer):
    before = counts()
    with pytest.raises(CommandError, match="permission"):
        import_file(write_json(tmp_path, [claim_json()]), reviewer)
    assert counts() == before


def test_a_problem_met_while_writing_rolls_everything_back(tmp_path, editor, monkeypatch):
    """The file changed between the check and the import: the second pass stops, nothing stays."""
    from claims.interchange import imports

    path = write_json(tmp_path, [claim_json(), claim_json(id=8, text="Second")])
    real = imports.valid_claims

    def changed_file(file):
        for number, claim in enumerate(real(file)):
            if number == 1:
                raise imports.ImportFileError(["line 3, state: unknown state 'maybe'"])
            yield claim

    monkeypatch.setattr(imports, "valid_claims", changed_file)
    monkeypatch.setattr(services, "IMPORT_BATCH_SIZE", 1)
    before = counts()
    with pytest.raises(CommandError, match="Nothing imported"):
        import_file(path, editor)
    assert counts() == before


def test_a_refusal_by_the_database_is_a_clear_error(tmp_path, editor, monkeypatch):
    """A last resort: should the check miss something the database refuses, still no traceback."""

    def refused(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: claims_appearance.claim_id")

    monkeypatch.setattr(services, "claim_import", refused)
    with pytest.raises(CommandError, match="Nothing imported: the database refused a row"):
        import_file(write_json(tmp_path, [claim_json()]), editor)


# Inputs the check once crashed on or let through --------------------------------------------------


def import_refused(path, actor) -> str:
    """The import's error, once it is known to have written nothing."""
    before = counts()
    with pytest.raises(CommandError, match="Nothing imported") as error:
        import_file(path, actor)
    assert counts() == before
    return str(error.value)


def json_text(item: dict, old: str, new: str) -> str:
    """A claim's JSON with one piece of its text swapped: for what ``json.dumps`` cannot write."""
    text = json.dumps(item)
    assert old in text
    return text.replace(old, new, 1)


def write_file(tmp_path, name, content) -> Path:
    """A claim object as ``write_json`` writes it, or a claim's JSON text, or a file's text."""
    if isinstance(content, dict):
        return write_json(tmp_path, [content], name)
    if content.startswith("{"):
        content = f"[\n{content}\n]\n"
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "claims",
            b"text,claimant,state\nA,B,unverified\nCaf\xe9,D,unverified\n",
            "line 3: malformed file: not UTF-8 text",
        ),
        ("claims", b"\xff\xfe[\x00\n\x00]\x00", "line 1: malformed file: not UTF-8 text"),
        ("claims.json", b'[\n{"text": "caf\xe9"}\n]\n', "line 2: malformed file: not UTF-8 text"),
    ],
)
def test_a_file_that_is_not_utf8_is_refused_naming_its_line(
    tmp_path, editor, name, content, expected
):
    path = tmp_path / name
    path.write_bytes(content)
    assert expected in import_refused(path, editor)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("missing", "No such file or directory"),
        ("missing.csv", "No such file or directory"),
        ("missing.json", "No such file or directory"),
        ("", "Is a directory"),
    ],
)
def test_a_file_that_cannot_be_read_is_a_clear_error(tmp_path, editor, name, reason):
    path = tmp_path / name
    assert f"{path}: cannot be read: {reason}" in import_refused(path, editor)


_EVIDENCE = claim_json()["evidence"]


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (claim_json(appearances=5), "line 2, appearances: expected a list"),
        (claim_json(evidence=5), "line 2, evidence: expected a list"),
        (claim_json(assignments="none"), "line 2, assignments: expected a list"),
        (claim_json(assignments=[None]), "line 2, assignment 1: expected an object"),
        (claim_json(history={"sequence": 1}), "line 2, history: expected a list"),
        (claim_json(history=[5]), "line 2, history 1: expected an object"),
        (claim_json(appearances=[5]), "line 2, appearance 1: expected an object"),
        (
            claim_json(appearances=[{"quote": "q", "source": "City paper"}]),
            "line 2, appearance 1 source: expected an object",
        ),
        (
            claim_json(evidence=[{**_EVIDENCE[0], "stance": ["supports"]}]),
            "line 2, evidence 1 stance: unknown stance ['supports']",
        ),
        (
            claim_json(evidence=[{**_EVIDENCE[0], "added_by": "edna"}]),
            "line 2, evidence 1 added_by: expected an object or null",
        ),
        (
            claim_json(evidence=[{**_EVIDENCE[0], "retracted": "no"}]),
            "line 2, evidence 1 retracted: expected true or false",
        ),
        (
            claim_json(evidence=[_EVIDENCE[0], {**_EVIDENCE[1], "retracted": False}]),
            "line 2, evidence 2 retracted: false but retracted_at is set",
        ),
        (claim_json(created_by="edna"), "line 2, created_by: expected an object or null"),
        (claim_json(state=["corroborated"]), "line 2, state: unknown state ['corroborated']"),
        (claim_json(claimant=5), "line 2, claimant: expected text"),
    ],
)
def test_json_fields_of_the_wrong_type_are_named(tmp_path, editor, item, expected):
    assert expected in import_refused(write_json(tmp_path, [item]), editor)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "claims.json",
            json_text(claim_json(), '"id": 7', '"id": 1e400'),
            "line 2, id: not a whole number: inf",
        ),
        ("claims.json", claim_json(id=7.5), "line 2, id: not a whole number: 7.5"),
        ("claims.json", claim_json(id=True), "line 2, id: not a whole number: True"),
        ("claims.json", claim_json(id=[7]), "line 2, id: not a whole number: [7]"),
        (
            "claims.json",
            claim_json(id=0),
            f"line 2, id: out of range (1 to {2**63 - 1})",
        ),
        ("claims.json", claim_json(id=2**63), "line 2, id: out of range"),
        (
            "claims.json",
            claim_json(supporting_count=-1),
            "line 2, supporting_count: out of range (0 to 2147483647)",
        ),
        (
            "claims.json",
            claim_json(evidence=[{**_EVIDENCE[0], "id": "one"}]),
            "line 2, evidence 1 id: not a whole number: 'one'",
        ),
        (
            "claims.json",
            claim_json(history=[{"sequence": 1.5}]),
            "line 2, history 1 sequence: not a whole number: 1.5",
        ),
        (
            "claims.csv",
            "id,text,claimant,state\n99999999999999999999,A,B,unverified\n",
            "line 2, id: out of range",
        ),
        (
            "claims.csv",
            "id,text,claimant,state,contradicting_count\n1,A,B,unverified,lots\n",
            "line 2, contradicting_count: not a whole number: 'lots'",
        ),
    ],
)
def test_numbers_are_checked_for_type_and_range(tmp_path, editor, name, content, expected):
    assert expected in import_refused(write_file(tmp_path, name, content), editor)


def test_a_source_listed_twice_in_one_claim_is_refused(tmp_path, editor):
    appearance = claim_json()["appearances"][0]
    same_address = {**appearance, "source": {**appearance["source"], "title": "Another title"}}
    no_address = {"quote": "q", "source": {"title": "Speech", "outlet": "Radio"}}
    item = claim_json(appearances=[appearance, no_address, same_address, no_address])
    message = import_refused(write_json(tmp_path, [item]), editor)
    assert "line 2, appearance 3 source: “Another title” is listed twice (also appearance 1)" in (
        message
    )
    assert "line 2, appearance 4 source: “Speech” is listed twice (also appearance 2)" in message


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "claims.json",
            claim_json(created_at="9999-12-31T23:00:00-05:00"),
            "line 2, created_at: out of range in UTC (years 1 to 9999)",
        ),
        (
            "claims.json",
            claim_json(first_verdict_at="0001-01-01T00:30:00+01:00"),
            "line 2, first_verdict_at: out of range in UTC",
        ),
        (
            "claims.json",
            claim_json(evidence=[{**_EVIDENCE[0], "added_at": "9999-12-31T23:59-00:01"}]),
            "line 2, evidence 1 added_at: out of range in UTC",
        ),
        (
            "claims.csv",
            "text,claimant,state,created_at\nA,B,unverified,9999-12-31T23:00:00-05:00\n",
            "line 2, created_at: out of range in UTC",
        ),
    ],
)
def test_times_must_fit_the_database_once_in_utc(tmp_path, editor, name, content, expected):
    assert expected in import_refused(write_file(tmp_path, name, content), editor)


def test_times_are_stored_in_utc(tmp_path, editor):
    import_file(write_json(tmp_path, [claim_json(created_at="9999-12-31T23:00:00+05:00")]), editor)
    assert Claim.objects.get().created_at.isoformat() == "9999-12-31T18:00:00+00:00"


_ONE = json.dumps(claim_json())


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[" * 100_000 + "]" * 100_000, "line 1: malformed JSON: nested too deeply"),
        (
            '[\n{"text": "a", "evidence": ' + "[" * 100_000 + "]" * 100_000 + "}\n]",
            "line 2: malformed JSON: nested too deeply",
        ),
        (f"[\n{_ONE}\n] garbage\n", "line 3: malformed JSON: text after the closing ']'"),
        (f"[\n{_ONE}\n]\n]\n", "line 4: malformed JSON: text after the closing ']'"),
        (f"[\n{_ONE}\n{_ONE}\n]\n", "line 3: malformed JSON: expected ',' or ']' after a claim"),
        (f"[\n{_ONE},\n]\n", "line 3: malformed JSON: a comma before the closing ']'"),
        (f"[,\n{_ONE}\n]\n", "line 1: malformed JSON: Expecting value"),
        ('[\n{"id": 1' + "0" * 5000 + "}\n]", "line 2: malformed JSON: a number too long to read"),
    ],
)
def test_json_that_is_not_one_well_formed_array_is_refused(tmp_path, editor, content, expected):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    assert expected in import_refused(path, editor)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "claims.csv",
            "text,claimant,state,rationale,supporting_urls\n"
            f"A,B,corroborated,Yes,https://x.test/{'a' * 2020}\n",
            "line 2, supporting_urls: longer than 2000 characters",
        ),
        (
            "claims.csv",
            "text,claimant,state,rationale,contradicting_urls\n"
            f"A,B,disputed,No,https://x.test/?q={'ä' * 990}\n",
            "line 2, contradicting_urls: longer than 2000 characters once normalized",
        ),
        (
            "claims.json",
            claim_json(evidence=[{**_EVIDENCE[0], "url": f"https://x.test/{'a' * 2020}"}]),
            "line 2, evidence 1 url: longer than 2000 characters",
        ),
        (
            "claims.json",
            claim_json(
                appearances=[
                    {
                        "quote": "q",
                        "source": {"title": "T", "url": "https://x.test/" + "a" * 2020},
                    }
                ]
            ),
            "line 2, appearance 1 source url: longer than 2000 characters",
        ),
    ],
)
def test_urls_must_fit_their_column_in_either_format(tmp_path, editor, name, content, expected):
    assert expected in import_refused(write_file(tmp_path, name, content), editor)


def test_a_url_as_long_as_its_column_imports(tmp_path, editor):
    url = "https://x.test/" + "a" * 1985
    path = write_csv(
        tmp_path, f"text,claimant,state,rationale,supporting_urls\nA,B,corroborated,Yes,{url}\n"
    )
    import_file(path, editor)
    assert Evidence.objects.get().url == url


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "claims.json",
            claim_json(appearances=[{**claim_json()["appearances"][0], "quote": ""}]),
            "line 2, appearance 1 quote: missing",
        ),
        (
            "claims.json",
            claim_json(appearances=[{**claim_json()["appearances"][0], "quote": " "}]),
            "line 2, appearance 1 quote: missing",
        ),
        (
            "claims.json",
            claim_json(rationale=" "),
            "line 2, rationale: missing: a claim that is corroborated needs its rationale",
        ),
        (
            "claims.json",
            claim_json(evidence=[_EVIDENCE[0], {**_EVIDENCE[1], "retraction_reason": ""}]),
            "line 2, evidence 2 retraction_reason: missing: a retracted link needs its reason",
        ),
        (
            "claims.json",
            claim_json(text="a\x00b"),
            "line 2, text: contains a NUL character",
        ),
        (
            "claims.json",
            claim_json(claimant="\ud800"),
            "line 2, claimant: not valid Unicode text (a lone surrogate)",
        ),
        (
            "claims.csv",
            "text,claimant,state,rationale\nA\x00,B,unverified,\n",
            "line 2, text: contains a NUL character",
        ),
    ],
)
def test_the_import_applies_the_rules_the_services_apply(tmp_path, editor, name, content, expected):
    assert expected in import_refused(write_file(tmp_path, name, content), editor)


@pytest.mark.parametrize("quote", ["", " ", "\t\n", "\u00a0", "\u3000", "\u200b", " as said "])
def test_the_import_takes_a_quote_by_the_services_rule(tmp_path, editor, quote):
    """What the services keep of a quote, or refuse as none, the import keeps or refuses too."""
    item = claim_json(appearances=[{**claim_json()["appearances"][0], "quote": quote}])
    path = write_json(tmp_path, [item])
    if appearance_quote(quote):
        import_file(path, editor)
        assert Appearance.objects.get().quote == appearance_quote(quote)
    else:
        assert "line 2, appearance 1 quote: missing" in import_refused(path, editor)


def test_a_csv_export_with_a_long_text_imports_back(tmp_path, editor, source):
    """Python's csv module stops at 131,072 characters a cell unless told otherwise."""
    long_text = "Long. " + "x" * 140_000
    services.claim_create(
        actor=editor,
        text=long_text,
        claimant="Someone",
        appearances=[services.AppearanceInput(source, "said so")],
    )
    path = tmp_path / "out.csv"
    call_command("export_verdicts", format="csv", output=str(path))
    other = "Other. " + "y" * 140_000
    path.write_text(path.read_text(encoding="utf-8").replace(long_text, other), encoding="utf-8")
    default_limit = csv.field_size_limit()

    import_file(path, editor)

    assert Claim.objects.get(claimant="Someone", text=other)
    assert csv.field_size_limit() == default_limit  # raised for the import only


def test_a_csv_cell_over_the_limit_names_its_line(tmp_path, editor, monkeypatch):
    from claims.interchange.imports import csv as csv_import

    monkeypatch.setattr(csv_import, "CSV_FIELD_LIMIT", 1000)
    path = write_csv(
        tmp_path, "text,claimant,state\nA,B,unverified\n" + "x" * 1500 + ",B,unverified\n"
    )
    message = import_refused(path, editor)
    assert "line 3: malformed CSV: field larger than field limit (1000)" in message


def test_a_reopened_claim_keeps_when_it_first_got_a_verdict(tmp_path, editor):
    item = claim_json(state="unverified", rationale="Reopened: the records were misread.")
    import_file(write_json(tmp_path, [item]), editor)
    claim = Claim.objects.get()
    assert claim.state == ReviewState.UNVERIFIED
    assert claim.first_verdict_at.isoformat() == "2024-01-15T10:00:00+00:00"
    assert claim.state_changed_at.isoformat() == "2024-02-01T10:00:00+00:00"


# Publication and corrections ----------------------------------------------------------------------


def correction_json(**overrides) -> dict:
    data = {
        "published_at": "2024-03-01T10:00:00+00:00",
        "previous_state": "disputed",
        "state": "corroborated",
        "previous_rationale": "The first count said 2000.",
        "rationale": "Records show 1999.",
        "correction_note": "We had misread the first count.",
        "proposed_by": {"username": "rita", "name": "Rita Reviewer"},
        "approved_by": {"username": "edna", "name": "Edna Editor"},
        "without_signoff": False,
    }
    data.update(overrides)
    return data


def published_json(**overrides) -> dict:
    """A verdict first published on 1 February and corrected on 1 March 2024."""
    return claim_json(
        **{
            "published_at": "2024-02-01T10:00:00+00:00",
            "corrected_at": "2024-03-01T10:00:00+00:00",
            "corrections": [correction_json()],
            **overrides,
        }
    )


def test_json_import_brings_the_publication_and_its_corrections(tmp_path, editor, reviewer):
    import_file(write_json(tmp_path, [published_json()]), editor)

    claim = Claim.objects.get()
    assert claim.published_at.isoformat() == "2024-02-01T10:00:00+00:00"
    assert claim.corrected_at.isoformat() == "2024-03-01T10:00:00+00:00"
    assert claim.is_published
    first, correction = Publication.objects.filter(claim=claim).order_by("published_at")
    # The first publication is what the correction corrected; who made it, no file says.
    assert (first.is_correction, first.state, first.rationale) == (
        False,
        "disputed",
        "The first count said 2000.",
    )
    assert first.published_at == claim.published_at
    assert (first.proposed_by, first.approved_by) == (None, None)
    assert correction.is_correction
    assert correction.published_at == claim.corrected_at
    assert (correction.previous_state, correction.state) == ("disputed", "corroborated")
    assert correction.previous_rationale == "The first count said 2000."
    assert correction.rationale == "Records show 1999."
    assert correction.correction_note == "We had misread the first count."
    assert (correction.proposed_by, correction.approved_by) == (reviewer, editor)
    assert not correction.without_signoff
    assert correction.proposal is None
    event = AuditEvent.objects.get(claim_id=claim.pk)
    assert event.data["new"]["published_at"] == "2024-02-01T10:00:00+00:00"
    assert event.data["new"]["corrections"] == 1


def test_the_latest_correction_is_when_the_verdict_was_corrected(tmp_path, editor):
    later = correction_json(
        published_at="2024-04-01T10:00:00+00:00",
        previous_state="corroborated",
        previous_rationale="Records show 1999.",
        correction_note="The records were revised; the verdict stands.",
    )
    item = published_json(corrected_at=None, corrections=[later, correction_json()])
    import_file(write_json(tmp_path, [item]), editor)
    claim = Claim.objects.get()
    assert claim.corrected_at.isoformat() == "2024-04-01T10:00:00+00:00"
    corrections = Publication.objects.filter(claim=claim, is_correction=True)
    assert [c.published_at.month for c in corrections.order_by("published_at")] == [3, 4]
    first = Publication.objects.get(claim=claim, is_correction=False)
    assert first.state == "disputed"  # what the earliest correction corrected, whatever the order


def test_a_verdict_from_an_export_without_publication_comes_in_published(tmp_path, editor):
    """Exports from before publication existed: published since the verdict's last move, as
    migration 0016 published the desk's verdicts."""
    unverified = claim_json(id=8, text="Open", state="unverified", rationale="", evidence=[])
    import_file(write_json(tmp_path, [claim_json(), unverified]), editor)

    claim = Claim.objects.get(text="The bridge opened in 1999.")
    assert claim.published_at == claim.state_changed_at
    assert claim.corrected_at is None
    publication = Publication.objects.get(claim=claim)
    assert (publication.state, publication.rationale) == ("corroborated", "Records show 1999.")
    assert not publication.is_correction
    still_open = Claim.objects.get(text="Open")
    assert still_open.published_at is None
    assert not Publication.objects.filter(claim=still_open).exists()


def test_csv_import_keeps_when_the_verdict_was_published_and_corrected(tmp_path, editor):
    path = write_csv(
        tmp_path,
        "text,claimant,state,rationale,supporting_urls,verdict_date,published_at,corrected_at,"
        "corrections\n"
        "Corrected,B,corroborated,Checked,https://a.test/x,2024-03-01T10:00:00+00:00,"
        "2024-02-01T10:00:00+00:00,2024-03-01T10:00:00+00:00,"
        '"2024-03-01T10:00:00+00:00: disputed → corroborated: We misread it."\n'
        "Plain,B,corroborated,Checked,https://a.test/y,2024-02-05T10:00:00+00:00,"
        "2024-02-05T10:00:00+00:00,,\n",
    )
    import_file(path, editor)
    corrected = Claim.objects.get(text="Corrected")
    assert corrected.published_at.isoformat() == "2024-02-01T10:00:00+00:00"
    assert corrected.corrected_at.isoformat() == "2024-03-01T10:00:00+00:00"
    # The CSV's corrections are for people: from what the verdict was corrected, and its
    # rationales, it does not say, so neither its corrections nor its first publication come in.
    assert not Publication.objects.filter(claim=corrected).exists()
    plain = Claim.objects.get(text="Plain")
    assert plain.published_at.isoformat() == "2024-02-05T10:00:00+00:00"
    assert Publication.objects.get(claim=plain).state == "corroborated"


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            published_json(published_at=None),
            "line 2, published_at: missing: a corrected verdict was published before",
        ),
        (
            claim_json(corrected_at="2024-03-01T10:00:00+00:00"),
            "line 2, published_at: missing: a corrected verdict was published before",
        ),
        (
            published_json(corrections=[correction_json(correction_note="  ")]),
            "line 2, correction 1 correction_note: missing: a correction needs its public note",
        ),
        (
            published_json(corrections=[correction_json(published_at="2024-01-01T00:00:00Z")]),
            "line 2, correction 1 published_at: before the verdict was first published",
        ),
        (
            published_json(corrections=[correction_json(published_at=None)]),
            "line 2, correction 1 published_at: missing",
        ),
        (
            published_json(corrections=[correction_json(published_at="soon")]),
            "line 2, correction 1 published_at: not a date and time",
        ),
        (
            published_json(corrections=[correction_json(state="maybe")]),
            "line 2, correction 1 state: unknown state 'maybe'",
        ),
        (
            published_json(corrections=[correction_json(previous_state=None)]),
            "line 2, correction 1 previous_state: unknown state None",
        ),
        (
            published_json(corrections=[correction_json(without_signoff="no")]),
            "line 2, correction 1 without_signoff: expected true or false",
        ),
        (
            published_json(corrections=[correction_json(approved_by="edna")]),
            "line 2, correction 1 approved_by: expected an object or null",
        ),
        (published_json(corrections=["fixed"]), "line 2, correction 1: expected an object"),
        (published_json(corrections={"a": 1}), "line 2, corrections: expected a list"),
        (published_json(published_at="2024-13-01"), "line 2, published_at: not a date and time"),
    ],
)
def test_a_publication_the_database_would_refuse_is_named(tmp_path, editor, item, expected):
    before = counts()
    with pytest.raises(CommandError, match="Nothing imported") as error:
        import_file(write_json(tmp_path, [item]), editor)
    assert expected in str(error.value)
    assert counts() == before


# Round trip ---------------------------------------------------------------------------------------


def _manage(database: Path, *args, check=True) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_DEBUG": "true",
        "DJANGO_SUPERUSER_PASSWORD": "pw-for-the-round-trip",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and result.returncode:
        raise AssertionError(result.stderr)
    return result.stdout


def comparable(export: list[dict]) -> list[dict]:
    """What a round trip keeps: claims, sources, evidence, states and publications (not ids,
    people, history, the proof that history is signed)."""
    kept = []
    for item in export:
        claim = {
            key: value
            for key, value in item.items()
            if key
            not in ("id", "created_by", "updated_at", "assignments", "history", "audit_proof")
        }
        claim["evidence"] = [
            {k: v for k, v in e.items() if k not in ("id", "added_by", "retracted_by")}
            for e in item["evidence"]
        ]
        claim["corrections"] = [
            {k: v for k, v in c.items() if k not in ("proposed_by", "approved_by")}
            for c in item["corrections"]
        ]
        kept.append(claim)
    return kept


def test_json_round_trip_into_an_empty_database(tmp_path, editor, reviewer, claim):
    """JSON export, import into an empty database, JSON export again: the same claims."""
    add_evidence(claim, editor, Stance.SUPPORTS, "https://records.test/a", title="A", excerpt="x")
    wrong = add_evidence(claim, editor, Stance.SUPPORTS, "https://wrong.test/b")
    add_evidence(claim, editor, Stance.CONTRADICTS, "https://blog.test/c", note="weak")
    services.evidence_retract(actor=editor, evidence=wrong, reason="Wrong page.")
    claim.refresh_from_db()
    services.claim_change_state(
        actor=editor,
        claim=claim,
        expected_version=claim.version,
        state=ReviewState.CORROBORATED,
        rationale="Confirmed.",
    )
    services.claim_create(
        actor=editor,
        text="Still open, “quoted” and ünïcode.",
        claimant="Someone",
        appearances=[services.AppearanceInput(SourceFactory(url=""), "said so")],
    )
    # Corroborated, then reopened: unverified now, but it had a verdict once.
    reopened = services.claim_create(
        actor=editor,
        text="Reopened after a correction.",
        claimant="Someone else",
        appearances=[services.AppearanceInput(SourceFactory(), "it was said")],
    )
    add_evidence(reopened, editor, Stance.SUPPORTS, "https://records.test/d")
    reopened.refresh_from_db()
    reopened = services.claim_change_state(
        actor=editor,
        claim=reopened,
        expected_version=reopened.version,
        state=ReviewState.CORROBORATED,
        rationale="Looked right.",
    )
    services.claim_change_state(
        actor=editor,
        claim=reopened,
        expected_version=reopened.version,
        state=ReviewState.UNVERIFIED,
        rationale="The record was corrected.",
        correction_note="Our verdict rested on a record since corrected.",
    )
    first = tmp_path / "first.json"
    call_command("export_verdicts", format="json", output=str(first))

    database = tmp_path / "empty.sqlite3"
    _manage(database, "migrate", "-v0")
    _manage(database, "createsuperuser", "--noinput", "--username", "mover", "--email", "m@x.test")
    _manage(database, "import_claims", str(first), "--actor", "mover")
    second = json.loads(_manage(database, "export_verdicts", "--format", "json"))

    original = json.loads(first.read_text(encoding="utf-8"))
    assert len(second) == 3
    assert comparable(second) == comparable(original)
    assert second[2]["state"] == ReviewState.UNVERIFIED
    assert second[2]["first_verdict_at"] == original[2]["first_verdict_at"] is not None
    # Published, then corrected back to unverified: both times and the correction come back.
    assert second[2]["published_at"] == original[2]["published_at"] is not None
    assert second[2]["corrected_at"] == original[2]["corrected_at"] is not None
    assert [c["correction_note"] for c in second[2]["corrections"]] == [
        "Our verdict rested on a record since corrected."
    ]
    assert second[0]["published_at"] == original[0]["published_at"] is not None
    assert second[1]["published_at"] is None
    assert [e["retracted"] for e in second[0]["evidence"]] == [False, True, False]
    assert [h["action"] for h in second[0]["history"]] == [AuditAction.CLAIM_IMPORTED]

    # Importing the same file again is refused: every claim is already there.
    output = _manage(database, "import_claims", str(first), "--actor", "mover", check=False)
    assert "Imported" not in output
