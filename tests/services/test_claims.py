"""Claim services: creating, editing and moving claims write their rows and one audit event,
or refuse and write nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from claims import services
from claims.audit.actions import AuditAction
from claims.models import (
    Appearance,
    Assignment,
    AssignmentStatus,
    AuditEvent,
    Claim,
    ReviewState,
    Source,
    Stance,
)
from tests.conftest import add_evidence, events_of, only_new_event
from tests.factories import SourceFactory


def test_claim_create_writes_claim_appearances_and_created_event(editor, source):
    claim = services.claim_create(
        actor=editor,
        text="  Israel withdrew from the operation a day before.  ",
        claimant="Donald Trump",
        claimed_on=datetime.date(2023, 10, 11),
        appearances=[services.AppearanceInput(source, "the night before it happened")],
    )
    assert claim.text == "Israel withdrew from the operation a day before."
    assert claim.state == ReviewState.UNVERIFIED
    assert claim.created_by == editor
    assert claim.version == 1
    assert list(claim.appearances.values_list("source_id", "quote")) == [
        (source.pk, "the night before it happened")
    ]
    [event] = events_of(claim)
    assert event.action == AuditAction.CLAIM_CREATED
    assert event.actor == editor
    assert event.actor_name == "Edna Editor"
    assert event.sequence == 1
    assert event.previous_hash == ""
    assert event.data["new"]["text"] == claim.text
    assert event.data["new"]["claimed_on"] == "2023-10-11"
    assert event.data["new"]["appearances"][0]["source_id"] == source.pk
    assert claim.audit_head == event.hash
    assert claim.audit_length == 1


@pytest.mark.parametrize(
    ("text", "claimant", "field"),
    [("", "Someone", "text"), ("   ", "Someone", "text"), ("A claim", "", "claimant")],
)
def test_claim_create_refuses_missing_fields_at_the_field(editor, source, text, claimant, field):
    with pytest.raises(ValidationError) as refusal:
        services.claim_create(
            actor=editor,
            text=text,
            claimant=claimant,
            appearances=[services.AppearanceInput(source, "quoted")],
        )
    assert set(refusal.value.message_dict) == {field}
    assert not Claim.objects.exists()
    assert not AuditEvent.objects.exists()


def test_claim_create_refuses_the_same_source_twice(editor, source):
    with pytest.raises(ValidationError, match="listed twice"):
        services.claim_create(
            actor=editor,
            text="A claim",
            claimant="Someone",
            appearances=[
                services.AppearanceInput(source, "one"),
                services.AppearanceInput(source, "two"),
            ],
        )
    assert not Claim.objects.exists()


def test_claim_update_records_only_changed_fields_with_old_and_new(claim, editor):
    before = claim.audit_length
    updated = services.claim_update(
        actor=editor,
        claim=claim,
        expected_version=claim.version,
        text=claim.text,
        claimant="Former President Donald Trump",
        claimed_on=datetime.date(2023, 10, 11),
    )
    assert updated.version == claim.version + 1
    event = only_new_event(claim, before)
    assert event.action == AuditAction.CLAIM_EDITED
    assert event.actor == editor
    assert event.data["old"] == {"claimant": "Donald Trump", "claimed_on": None}
    assert event.data["new"] == {
        "claimant": "Former President Donald Trump",
        "claimed_on": "2023-10-11",
    }


def test_claim_update_changes_appearances(claim, editor, source):
    second = SourceFactory(title="Second report")
    before = claim.audit_length
    services.claim_update(
        actor=editor,
        claim=claim,
        expected_version=claim.version,
        text=claim.text,
        claimant=claim.claimant,
        claimed_on=claim.claimed_on,
        appearances=[
            services.AppearanceInput(source, "a corrected quote"),
            services.AppearanceInput(second, "new quote"),
        ],
    )
    assert set(Appearance.objects.filter(claim=claim).values_list("source_id", "quote")) == {
        (source.pk, "a corrected quote"),
        (second.pk, "new quote"),
    }
    event = only_new_event(claim, before)
    assert event.data["old"]["appearances"][0]["quote"] == "Israel will not be participating"
    assert len(event.data["new"]["appearances"]) == 2
    claim.refresh_from_db()
    services.claim_update(
        actor=editor,
        claim=claim,
        expected_version=claim.version,
        text=claim.text,
        claimant=claim.claimant,
        claimed_on=claim.claimed_on,
        appearances=[services.AppearanceInput(second, "new quote")],
    )
    assert list(Appearance.objects.filter(claim=claim).values_list("source_id", flat=True)) == [
        second.pk
    ]


def test_claim_update_without_changes_writes_nothing(claim, editor):
    result = services.claim_update(
        actor=editor,
        claim=claim,
        expected_version=claim.version,
        text=claim.text,
        claimant=claim.claimant,
        claimed_on=claim.claimed_on,
    )
    assert result.version == claim.version
    assert len(events_of(claim)) == 1


def test_claim_change_state_writes_state_changed_event(claim, editor):
    add_evidence(claim, editor, Stance.SUPPORTS)
    before = claim.audit_length
    updated = services.claim_change_state(
        actor=editor,
        claim=claim,
        expected_version=claim.version,
        state=ReviewState.CORROBORATED,
        rationale="  Both reports agree on the date.  ",
    )
    assert updated.state == ReviewState.CORROBORATED
    assert updated.rationale == "Both reports agree on the date."
    assert updated.state_changed_at is not None
    event = only_new_event(claim, before)
    assert event.action == AuditAction.CLAIM_STATE_CHANGED
    assert event.actor == editor
    assert event.data["old"] == {"state": "unverified", "rationale": ""}
    assert event.data["new"] == {
        "state": "corroborated",
        "rationale": "Both reports agree on the date.",
    }
    assert event.data["reason"] == "Both reports agree on the date."


def test_claim_create_needs_at_least_one_appearance(editor):
    with pytest.raises(ValidationError) as refusal:
        services.claim_create(actor=editor, text="A claim", claimant="Someone")
    assert "at least one source" in refusal.value.message_dict["appearances"][0]
    assert not Claim.objects.exists()


def test_claim_create_reports_field_and_appearance_errors_together(editor):
    with pytest.raises(ValidationError) as refusal:
        services.claim_create(actor=editor, text="", claimant="Someone")
    assert set(refusal.value.message_dict) == {"text", "appearances"}


def test_each_appearance_needs_its_quoted_passage(editor, source):
    with pytest.raises(ValidationError) as refusal:
        services.claim_create(
            actor=editor,
            text="A claim",
            claimant="Someone",
            appearances=[services.AppearanceInput(source, "   ")],
        )
    assert "Quote the passage" in refusal.value.message_dict["appearances"][0]


def test_claim_update_cannot_remove_every_appearance(claim, editor):
    with pytest.raises(ValidationError) as refusal:
        services.claim_update(
            actor=editor,
            claim=claim,
            expected_version=claim.version,
            text=claim.text,
            claimant=claim.claimant,
            claimed_on=None,
            appearances=[],
        )
    assert "appearances" in refusal.value.message_dict
    assert claim.appearances.count() == 1


def test_claim_create_records_a_new_source_with_the_claim(editor):
    claim = services.claim_create(
        actor=editor,
        text="A claim",
        claimant="Someone",
        appearances=[services.AppearanceInput(Source(title="Evening bulletin"), "quoted")],
    )
    source = Source.objects.get(title="Evening bulletin")
    assert claim.appearances.get().source == source


def test_a_bad_new_source_writes_nothing(editor):
    with pytest.raises(ValidationError) as refusal:
        services.claim_create(
            actor=editor,
            text="A claim",
            claimant="Someone",
            appearances=[
                services.AppearanceInput(Source(title="x", url="javascript:alert(1)"), "quoted")
            ],
        )
    assert "New source" in refusal.value.message_dict["appearances"][0]
    assert not Source.objects.exists()
    assert not Claim.objects.exists()


def test_a_verdict_and_the_end_of_the_review_are_one_step_and_two_events(assigned_claim, reviewer):
    add_evidence(assigned_claim, reviewer, Stance.SUPPORTS)
    before = len(events_of(assigned_claim))
    services.claim_change_state(
        actor=reviewer,
        claim=assigned_claim,
        expected_version=Claim.objects.get(pk=assigned_claim.pk).version,
        state=ReviewState.CORROBORATED,
        rationale="Two sources agree.",
        close_my_review=True,
        review_note="Done with the sensor logs.",
    )
    actions = [event.action for event in events_of(assigned_claim)[before:]]
    assert actions == [AuditAction.CLAIM_STATE_CHANGED, AuditAction.REVIEWER_COMPLETED]
    assignment = Assignment.objects.get(claim=assigned_claim, reviewer=reviewer)
    assert assignment.status == AssignmentStatus.DONE
    assert assignment.close_reason == "Done with the sensor logs."


def test_closing_a_review_one_does_not_hold_refuses_the_move_too(claim, editor):
    add_evidence(claim, editor, Stance.SUPPORTS)
    with pytest.raises(ValidationError) as refusal:
        services.claim_change_state(
            actor=editor,
            claim=claim,
            expected_version=Claim.objects.get(pk=claim.pk).version,
            state=ReviewState.CORROBORATED,
            rationale="r",
            close_my_review=True,
        )
    assert "close_review" in refusal.value.message_dict
    assert Claim.objects.get(pk=claim.pk).state == ReviewState.UNVERIFIED
