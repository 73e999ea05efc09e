"""The audit trail is append-only, chained by hash, and outlives users and claims."""

import pytest
from django.db import DatabaseError, connection, transaction

from claims.audit import chain as audit
from claims.audit.actions import AuditAction
from claims.audit.chain import event_hash, verify_chain
from claims.audit.sentences import describe
from claims.models import AuditEvent, AuditTrailIsAppendOnly, Claim, Stance
from tests.conftest import add_evidence, postgres_only


def chain_problem(claim):
    claim.refresh_from_db()
    events = AuditEvent.objects.filter(claim_id=claim.pk).order_by("sequence")
    return verify_chain(claim.pk, events, (claim.audit_length, claim.audit_head))


def test_each_event_links_to_its_predecessor(claim, editor):
    add_evidence(claim, editor, Stance.SUPPORTS)
    add_evidence(claim, editor, Stance.CONTRADICTS)
    events = list(AuditEvent.objects.filter(claim_id=claim.pk).order_by("sequence"))
    assert [e.sequence for e in events] == [1, 2, 3]
    assert events[0].previous_hash == ""
    assert events[1].previous_hash == events[0].hash
    assert events[2].previous_hash == events[1].hash
    assert all(event_hash(e) == e.hash for e in events)
    assert chain_problem(claim) is None


def test_verify_chain_finds_an_edited_event_in_memory(claim, editor):
    add_evidence(claim, editor)
    events = list(AuditEvent.objects.filter(claim_id=claim.pk).order_by("sequence"))
    events[0].data["new"]["text"] = "Something else"
    problem = verify_chain(claim.pk, events, (claim.audit_length, claim.audit_head))
    assert problem.event_id == events[0].pk
    assert "edited" in problem.message


def test_orm_refuses_to_update_an_event(claim):
    event = AuditEvent.objects.get(claim_id=claim.pk)
    event.actor_name = "Someone else"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(actor_name="Someone else")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.bulk_update([event], ["actor_name"])
    assert AuditEvent.objects.get(pk=event.pk).actor_name == "Edna Editor"


def test_a_forged_event_cannot_be_written_over_a_recorded_one(claim):
    """A new instance carrying a recorded event's id is no update in disguise."""
    recorded = AuditEvent.objects.get(claim_id=claim.pk)
    fields = {
        field.attname: getattr(recorded, field.attname)
        for field in AuditEvent._meta.concrete_fields
    }
    forged = AuditEvent(**{**fields, "actor_name": "FORGED"})
    with pytest.raises(DatabaseError), transaction.atomic():
        forged.save()  # inserted, so refused as a duplicate id
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent(**{**fields, "actor_name": "FORGED"}).save(update_fields=["actor_name"])
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.bulk_create(
            [AuditEvent(**{**fields, "actor_name": "FORGED"})],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["actor_name"],
        )
    assert AuditEvent.objects.get(pk=recorded.pk).actor_name == "Edna Editor"
    assert chain_problem(claim) is None


def test_orm_refuses_to_delete_an_event(claim):
    event = AuditEvent.objects.get(claim_id=claim.pk)
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@postgres_only
def test_postgres_trigger_refuses_raw_update(claim):
    event = AuditEvent.objects.get(claim_id=claim.pk)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE claims_auditevent SET actor_name = %s WHERE id = %s", ["x", event.pk]
        )
    assert AuditEvent.objects.get(pk=event.pk).actor_name == "Edna Editor"


@postgres_only
def test_postgres_trigger_refuses_raw_delete(claim):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM claims_auditevent WHERE claim_id = %s", [claim.pk])
    assert AuditEvent.objects.filter(claim_id=claim.pk).count() == 1


def test_deleting_a_user_keeps_their_history(claim, editor):
    editor.delete()
    event = AuditEvent.objects.get(claim_id=claim.pk)
    assert event.actor_id is not None  # the id stays as recorded: the hash covers it
    assert event.actor_name == "Edna Editor"
    assert AuditEvent.objects.select_related("actor").get(pk=event.pk).actor is None
    assert chain_problem(claim) is None


def test_deleting_a_claim_keeps_its_history(claim):
    claim_id = claim.pk
    Claim.objects.filter(pk=claim_id).delete()
    events = AuditEvent.objects.filter(claim_id=claim_id).order_by("sequence")
    assert events.count() == 1
    assert verify_chain(claim_id, events, head=None) is None


def test_unknown_actions_are_refused(claim, editor):
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit.build_event(claim, actor=editor, action="claim.vanished", data={})


@pytest.mark.parametrize(
    ("action", "data", "sentence"),
    [
        (AuditAction.CLAIM_CREATED, {"new": {}}, "Edna Editor created the claim."),
        (
            AuditAction.CLAIM_STATE_CHANGED,
            {
                "old": {"state": "unverified"},
                "new": {"state": "disputed"},
                "reason": "The second report contradicts it.",
            },
            "Edna Editor changed the state from Unverified to Disputed: "
            "“The second report contradicts it.”",
        ),
        (
            AuditAction.EVIDENCE_ADDED,
            {"new": {"stance": "supports", "url": "https://a.example/"}},
            "Edna Editor added supporting evidence https://a.example/.",
        ),
        (
            AuditAction.REVIEWER_ASSIGNED,
            {"new": {"reviewer": "Rita Reviewer", "due_on": "2026-12-01"}},
            "Edna Editor assigned Rita Reviewer, due 1 Dec 2026.",
        ),
    ],
)
def test_events_read_as_sentences(action, data, sentence):
    event = AuditEvent(action=action, actor_name="Edna Editor", data=data)
    assert describe(event) == sentence


def test_a_reviewer_completing_their_own_review_reads_naturally():
    own = AuditEvent(
        action=AuditAction.REVIEWER_COMPLETED,
        actor_id=7,
        actor_name="Rita Reviewer",
        data={"reviewer_id": 7, "reviewer": "Rita Reviewer"},
    )
    assert describe(own) == "Rita Reviewer marked their review done."
    for_them = AuditEvent(
        action=AuditAction.REVIEWER_COMPLETED,
        actor_id=1,
        actor_name="Edna Editor",
        data={"reviewer_id": 7, "reviewer": "Rita Reviewer"},
    )
    assert describe(for_them) == "Edna Editor marked the review by Rita Reviewer done."
