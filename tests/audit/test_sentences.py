"""Audit sentences: one formatter per action, registered once, worded when shown."""

import datetime

import pytest
from django.utils import translation

from claims.audit.actions import AuditAction
from claims.audit.sentences import SentenceRegistry, describe, sentences
from claims.models import AuditEvent


def event(action, data=None, actor_id=7, actor_name="Rosa Reviewer"):
    return AuditEvent(action=action, data=data or {}, actor_id=actor_id, actor_name=actor_name)


def test_every_action_has_its_formatter():
    assert sentences.registered() == frozenset(AuditAction.values)


def test_an_action_cannot_be_registered_twice():
    registry = SentenceRegistry()
    registry.register("claim.created")(lambda event, data: "one")
    with pytest.raises(ValueError, match="registered already"):
        registry.register("claim.created")(lambda event, data: "two")


def test_an_unknown_action_still_reads_as_who_and_what():
    assert describe(event("claim.vanished")) == "Rosa Reviewer: claim.vanished."


@pytest.mark.parametrize(
    ("action", "data", "sentence"),
    [
        (AuditAction.CLAIM_CREATED, {}, "Rosa Reviewer created the claim."),
        (AuditAction.CLAIM_IMPORTED, {"line": 3}, "Rosa Reviewer imported the claim."),
        (
            AuditAction.CLAIM_EDITED,
            {"new": {"text": "x", "claimant": "y"}},
            "Rosa Reviewer edited the claim (claimant, text).",
        ),
        (
            AuditAction.SOURCE_EDITED,
            {"source": "Axios report", "new": {"title": "t"}},
            "Rosa Reviewer edited the source “Axios report” where the claim appeared (title).",
        ),
        (
            AuditAction.CLAIM_STATE_CHANGED,
            {
                "old": {"state": "unverified"},
                "new": {"state": "disputed"},
                "reason": "Two sources.",
            },
            "Rosa Reviewer changed the state from Unverified to Disputed: “Two sources.”",
        ),
        (
            AuditAction.EVIDENCE_ADDED,
            {"new": {"stance": "contradicts", "url": "https://a.example/"}},
            "Rosa Reviewer added contradicting evidence https://a.example/.",
        ),
        (
            AuditAction.EVIDENCE_RETRACTED,
            {"stance": "supports", "url": "https://b.example/", "reason": "Misread."},
            "Rosa Reviewer retracted supporting evidence https://b.example/: “Misread.”",
        ),
        (
            AuditAction.REVIEWER_ASSIGNED,
            {"new": {"reviewer": "Omar", "due_on": "2026-11-05"}},
            "Rosa Reviewer assigned Omar, due 5 Nov 2026.",
        ),
        (AuditAction.REVIEWER_ASSIGNED, {"new": {}}, "Rosa Reviewer assigned a reviewer."),
        (
            AuditAction.REVIEWER_COMPLETED,
            {"reviewer_id": 7, "reviewer": "Rosa Reviewer"},
            "Rosa Reviewer marked their review done.",
        ),
        (
            AuditAction.REVIEWER_COMPLETED,
            {"reviewer_id": 8, "reviewer": "Omar"},
            "Rosa Reviewer marked the review by Omar done.",
        ),
        (
            AuditAction.REVIEWER_WITHDRAWN,
            {"reviewer": "Omar", "reason": "On leave."},
            "Rosa Reviewer withdrew Omar from the claim: “On leave.”",
        ),
        (
            AuditAction.COMMENT_ADDED,
            {"comment_id": 3, "author_id": 7, "text": "Ask @omar <b>now</b>", "mentions": [8]},
            "Rosa Reviewer commented.",  # not quoted: a hidden comment's text would stay here
        ),
        (
            AuditAction.COMMENT_EDITED,
            {"comment_id": 3, "author_id": 7, "old": {"text": "a"}, "new": {"text": "b"}},
            "Rosa Reviewer edited their comment.",
        ),
        (
            AuditAction.COMMENT_HIDDEN,
            {"comment_id": 3, "author_id": 7, "author": "Rosa Reviewer", "reason": "Wrong claim."},
            "Rosa Reviewer hid their comment: “Wrong claim.”",
        ),
        (
            AuditAction.COMMENT_HIDDEN,
            {"comment_id": 4, "author_id": 8, "author": "Omar", "reason": "A phone number."},
            "Rosa Reviewer hid a comment by Omar: “A phone number.”",
        ),
    ],
)
def test_each_action_reads_as_a_sentence(action, data, sentence):
    assert describe(event(action, data)) == sentence


def test_sentences_are_worded_in_the_active_language(monkeypatch):
    """The formatters translate when the sentence is shown, not when they were registered."""
    from django.utils.translation import trans_real

    with translation.override("en"):
        catalog = trans_real.translation("en")
        monkeypatch.setattr(catalog, "gettext", lambda message: f"[{message}]")
        worded = describe(event(AuditAction.CLAIM_CREATED))
    # Both the action's sentence and the full stop's pattern went through the catalog.
    assert worded == "[[Rosa Reviewer created the claim].]"


def test_a_due_date_is_written_by_django_not_strftime():
    sentence = describe(
        event(AuditAction.REVIEWER_ASSIGNED, {"new": {"reviewer": "Omar", "due_on": "2026-01-09"}})
    )
    assert sentence.endswith("due 9 Jan 2026.")  # no zero padding, on any C library
    assert datetime.date(2026, 1, 9).isoformat() not in sentence
