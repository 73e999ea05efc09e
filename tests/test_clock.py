"""Replaying a moment: what the services record inside ``clock.replaying``, and only there."""

import datetime

import pytest
from django.utils import timezone

from claims import clock, services
from claims.audit.chain import verify_chain
from claims.models import Assignment, AuditEvent, Stance

from .conftest import add_evidence

THEN = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30))


def test_services_record_the_replayed_moment_everywhere(editor, reviewer, source):
    with clock.replaying(THEN):
        claim = services.claim_create(
            actor=editor,
            text="Fares fell.",
            claimant="Transport authority",
            appearances=[services.AppearanceInput(source, "fares fell")],
        )
        evidence = add_evidence(claim, editor, Stance.SUPPORTS)
        claim.refresh_from_db()
        services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer)

    claim.refresh_from_db()
    assert (claim.created_at, claim.updated_at) == (THEN, THEN)
    assert evidence.added_at == THEN
    assert Assignment.objects.get(claim=claim).assigned_at == THEN
    events = list(AuditEvent.objects.filter(claim_id=claim.pk).order_by("sequence"))
    assert {event.created_at for event in events} == {THEN}
    assert verify_chain(claim.pk, events, (claim.audit_length, claim.audit_head)) is None


def test_outside_a_replay_the_time_is_now(editor, claim):
    with clock.replaying(THEN):
        pass
    before = timezone.now()
    add_evidence(claim, editor, Stance.SUPPORTS)
    claim.refresh_from_db()
    assert claim.updated_at >= before
    assert clock.now() >= before


def test_a_replay_needs_an_aware_moment():
    with pytest.raises(ValueError, match="aware"), clock.replaying(datetime.datetime(2026, 3, 2)):
        pass
