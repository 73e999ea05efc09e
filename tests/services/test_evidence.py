"""Evidence services: adding and retracting links write the link, the claim's counter and one
audit event, or refuse and write nothing."""

import pytest
from django.core.exceptions import ValidationError

from claims import services
from claims.audit.actions import AuditAction
from claims.models import (
    Evidence,
    Stance,
)
from tests.conftest import add_evidence, events_of, only_new_event


def test_evidence_add_writes_link_counter_and_event(claim, editor):
    before, version = claim.audit_length, claim.version
    evidence = services.evidence_add(
        actor=editor,
        claim=claim,
        stance=Stance.CONTRADICTS,
        url="HTTPS://News.Example/report/?utm_source=feed",
        title="Report",
        publisher="Example News",
        excerpt="Israel proposed a more active role",
        note="Contradicts the withdrawal account",
    )
    assert evidence.added_by == editor
    assert evidence.normalized_url == "https://news.example/report"
    claim.refresh_from_db()
    assert claim.contradicting_count == 1
    assert claim.supporting_count == 0
    assert claim.version == version + 1
    event = only_new_event(claim, before)
    assert event.action == AuditAction.EVIDENCE_ADDED
    assert event.actor == editor
    assert event.data["evidence_id"] == evidence.pk
    assert event.data["new"]["stance"] == "contradicts"
    assert event.data["new"]["url"] == "HTTPS://News.Example/report/?utm_source=feed"
    assert event.data["new"]["excerpt"] == "Israel proposed a more active role"


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://files.example/x", "file:///etc/passwd", "not a url", ""],
)
def test_evidence_add_refuses_non_http_urls_at_the_url_field(claim, editor, url):
    with pytest.raises(ValidationError) as refusal:
        services.evidence_add(
            actor=editor,
            claim=claim,
            stance=Stance.SUPPORTS,
            url=url,
        )
    assert "url" in refusal.value.message_dict
    assert not Evidence.objects.exists()
    assert len(events_of(claim)) == 1


def test_evidence_add_refuses_an_address_too_long_once_written_out(claim, editor):
    # 421 characters as typed; each "ü" becomes "%C3%BC" in the comparable form.
    url = "https://a.example/?q=" + "ü" * 400
    with pytest.raises(ValidationError) as refusal:
        add_evidence(claim, editor, Stance.SUPPORTS, url=url)
    assert refusal.value.message_dict["url"] == [
        "This address is too long once written out in full (2421 characters; at most 2000)."
    ]
    assert not Evidence.objects.exists()


def test_the_same_page_written_two_ways_is_one_page(claim, editor):
    add_evidence(claim, editor, Stance.SUPPORTS, url="https://bücher.example/café")
    with pytest.raises(ValidationError) as refusal:
        add_evidence(claim, editor, Stance.SUPPORTS, url="https://xn--bcher-kva.example/caf%C3%A9")
    assert "already supporting evidence" in refusal.value.message_dict["url"][0]
    claim.refresh_from_db()
    assert claim.supporting_count == 1


def test_evidence_add_refuses_unknown_stance(claim, editor):
    with pytest.raises(ValidationError) as refusal:
        services.evidence_add(
            actor=editor,
            claim=claim,
            stance="neutral",
            url="https://a.example/",
        )
    assert "stance" in refusal.value.message_dict


def test_evidence_add_refuses_the_same_page_twice_with_the_same_stance(claim, editor):
    add_evidence(claim, editor, Stance.SUPPORTS, url="https://news.example/a")
    with pytest.raises(ValidationError) as refusal:
        add_evidence(claim, editor, Stance.SUPPORTS, url="https://NEWS.example/a/#top")
    assert "already supporting evidence" in refusal.value.message_dict["url"][0]
    claim.refresh_from_db()
    assert claim.supporting_count == 1


def test_the_same_page_may_support_and_contradict(claim, editor):
    add_evidence(claim, editor, Stance.SUPPORTS, url="https://news.example/a")
    add_evidence(claim, editor, Stance.CONTRADICTS, url="https://news.example/a")
    claim.refresh_from_db()
    assert (claim.supporting_count, claim.contradicting_count) == (1, 1)


def test_a_retracted_page_can_be_added_again(claim, editor):
    link = add_evidence(claim, editor, Stance.SUPPORTS, url="https://news.example/a")
    services.evidence_retract(actor=editor, evidence=link, reason="Wrong stance")
    add_evidence(claim, editor, Stance.SUPPORTS, url="https://news.example/a")
    assert Evidence.objects.filter(claim=claim).count() == 2


def test_evidence_retract_keeps_the_link_with_who_when_why(claim, editor):
    link = add_evidence(claim, editor, Stance.SUPPORTS)
    before = claim.audit_length
    services.evidence_retract(actor=editor, evidence=link, reason="  Page was edited  ")
    link.refresh_from_db()
    assert not link.is_standing
    assert link.retracted_by == editor
    assert link.retracted_at is not None
    assert link.retraction_reason == "Page was edited"
    claim.refresh_from_db()
    assert claim.supporting_count == 0
    event = only_new_event(claim, before)
    assert event.action == AuditAction.EVIDENCE_RETRACTED
    assert event.actor == editor
    assert event.data["evidence_id"] == link.pk
    assert event.data["old"] == {"retracted": False}
    assert event.data["new"] == {"retracted": True}
    assert event.data["reason"] == "Page was edited"


def test_evidence_retract_needs_a_reason(claim, editor):
    link = add_evidence(claim, editor)
    with pytest.raises(ValidationError) as refusal:
        services.evidence_retract(actor=editor, evidence=link, reason=" ")
    assert "reason" in refusal.value.message_dict
    link.refresh_from_db()
    assert link.is_standing


def test_evidence_cannot_be_retracted_twice(claim, editor):
    link = add_evidence(claim, editor)
    services.evidence_retract(actor=editor, evidence=link, reason="Wrong")
    claim.refresh_from_db()
    with pytest.raises(ValidationError, match="already retracted"):
        services.evidence_retract(actor=editor, evidence=link, reason="Again")
