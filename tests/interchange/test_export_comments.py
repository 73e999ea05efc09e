"""Comments in the exports: the JSON carries each claim's discussion (a hidden comment without
its text, in its history too), the public formats never do, and a blind reviewer's download
leaves out what the claim page keeps from them."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.audit.actions import COMMENT_EVENTS
from tests.conftest import add_evidence, change_state, login, propose

pytestmark = pytest.mark.django_db


def run_export(format_name) -> str:
    out = io.StringIO()
    call_command("export_verdicts", format=format_name, stdout=out)
    return out.getvalue()


def downloaded(client, user, format_name) -> str:
    response = login(client, user).get(reverse("claims:export", args=[format_name]))
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def discussed(claim, editor, reviewer):
    """A published verdict with a comment, an edited one and one hidden by an editor."""
    add_evidence(claim, editor)
    change_state(claim, editor, "corroborated", "The record agrees.")
    kept = services.comment_add(actor=reviewer, claim=claim, text="Kept, @edna: https://a.example/")
    edited = services.comment_add(actor=editor, claim=claim, text="First words")
    services.comment_edit(actor=editor, comment=edited, text="Second words")
    gone = services.comment_add(actor=reviewer, claim=claim, text="A source's phone: 555-0100")
    services.comment_hide(actor=editor, comment=gone, reason="Personal data.")
    return {"kept": kept, "edited": edited, "gone": gone}


def test_json_carries_each_comment_and_a_hidden_one_without_its_text(discussed, editor, reviewer):
    (claim,) = json.loads(run_export("json"))
    kept, edited, gone = claim["comments"]
    assert kept == {
        "id": discussed["kept"].pk,
        "author": {"username": "rita", "name": "Rita Reviewer"},
        "created_at": discussed["kept"].created_at.isoformat(),
        "edited_at": None,
        "hidden": False,
        "text": "Kept, @edna: https://a.example/",
    }
    assert edited["text"] == "Second words"
    assert edited["edited_at"] is not None
    assert gone["hidden"] is True
    assert gone["hidden_by"] == {"username": "edna", "name": "Edna Editor"}
    assert gone["hidden_reason"] == "Personal data."
    assert "text" not in gone


def test_a_hidden_comments_text_is_nowhere_in_the_json(discussed):
    text = run_export("json")
    assert "555-0100" not in text
    (claim,) = json.loads(text)
    events = [e for e in claim["history"] if e["action"] in COMMENT_EVENTS]
    of_hidden = [e for e in events if e["data"]["comment_id"] == discussed["gone"].pk]
    assert [e["action"] for e in of_hidden] == ["comment.added", "comment.hidden"]
    assert all(e["data"]["redacted"] for e in of_hidden)
    assert of_hidden[1]["data"]["reason"] == "Personal data."
    # The others keep their texts, the edit both of them.
    edit = next(e for e in events if e["action"] == "comment.edited")
    assert (edit["data"]["old"], edit["data"]["new"]) == (
        {"text": "First words"},
        {"text": "Second words"},
    )
    assert "redacted" not in edit["data"]


@pytest.mark.parametrize("format_name", ["claimreview", "csv", "html"])
def test_the_other_formats_carry_no_comment(discussed, format_name):
    text = run_export(format_name)
    for written in ("Kept, @edna", "Second words", "First words", "555-0100", "Personal data."):
        assert written not in text


def test_claimreview_has_no_comment_key(discussed):
    document = json.loads(run_export("claimreview"))
    assert "comment" not in json.dumps(document).lower()


def test_a_blind_reviewer_downloads_no_comment_of_the_other_reviewers(
    client, independent_claim, editor, reviewer, other_reviewer
):
    services.comment_add(actor=other_reviewer, claim=independent_claim, text="Omar leans no")
    services.comment_add(actor=editor, claim=independent_claim, text="Edna: due Friday")

    (claim,) = json.loads(downloaded(client, reviewer, "json"))
    assert [c["text"] for c in claim["comments"]] == ["Edna: due Friday"]
    authors = {e["actor_name"] for e in claim["history"] if e["action"] in COMMENT_EVENTS}
    assert authors == {"Edna Editor"}

    for user in (editor, other_reviewer):
        (claim,) = json.loads(downloaded(client, user, "json"))
        assert "Omar leans no" in [c["text"] for c in claim["comments"]]

    propose(independent_claim, reviewer)
    (claim,) = json.loads(downloaded(client, reviewer, "json"))
    assert len(claim["comments"]) == 2


def test_the_json_reads_comments_in_a_fixed_number_of_queries(claim, editor, reviewer):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            run_export("json")
        return len(captured)

    services.comment_add(actor=editor, claim=claim, text="one")
    few = queries()
    for number in range(15):
        services.comment_add(actor=reviewer, claim=claim, text=f"more {number} @edna")
    assert queries() == few
