"""Each service writes its rows and exactly its one audit event, or refuses and writes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from claims import services
from claims.audit.actions import AuditAction
from claims.audit.chain import verify_chain
from claims.audit.sentences import describe
from claims.models import (
    Appearance,
    Assignment,
    AssignmentStatus,
    AuditEvent,
    Claim,
    Evidence,
    ReviewState,
    Source,
    Stance,
)
from tests.conftest import add_evidence
from tests.factories import SourceFactory, UserFactory


def events_of(claim):
    return list(AuditEvent.objects.filter(claim_id=claim.pk).order_by("sequence"))


def only_new_event(claim, before: int):
    """The single event written since the claim had ``before`` events."""
    events = events_of(claim)
    assert len(events) == before + 1, [e.action for e in events]
    return events[-1]


# Claims ------------------------------------------------------------------------------------------


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


# Evidence ----------------------------------------------------------------------------------------


def test_evidence_add_writes_link_counter_and_event(claim, editor):
    before, version = claim.audit_length, claim.version
    evidence = services.evidence_add(
        actor=editor,
        claim=claim,
        expected_version=claim.version,
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
            expected_version=claim.version,
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
            expected_version=claim.version,
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
    services.evidence_retract(
        actor=editor, evidence=link, expected_version=claim.version, reason="Wrong stance"
    )
    add_evidence(claim, editor, Stance.SUPPORTS, url="https://news.example/a")
    assert Evidence.objects.filter(claim=claim).count() == 2


def test_evidence_retract_keeps_the_link_with_who_when_why(claim, editor):
    link = add_evidence(claim, editor, Stance.SUPPORTS)
    before = claim.audit_length
    services.evidence_retract(
        actor=editor, evidence=link, expected_version=claim.version, reason="  Page was edited  "
    )
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
        services.evidence_retract(
            actor=editor, evidence=link, expected_version=claim.version, reason=" "
        )
    assert "reason" in refusal.value.message_dict
    link.refresh_from_db()
    assert link.is_standing


def test_evidence_cannot_be_retracted_twice(claim, editor):
    link = add_evidence(claim, editor)
    services.evidence_retract(
        actor=editor, evidence=link, expected_version=claim.version, reason="Wrong"
    )
    claim.refresh_from_db()
    with pytest.raises(ValidationError, match="already retracted"):
        services.evidence_retract(
            actor=editor, evidence=link, expected_version=claim.version, reason="Again"
        )


# Assignments -------------------------------------------------------------------------------------


def test_reviewer_assign_writes_open_assignment_and_event(claim, editor, reviewer):
    before = claim.audit_length
    assignment = services.reviewer_assign(
        actor=editor,
        claim=claim,
        expected_version=claim.version,
        reviewer=reviewer,
        due_on=datetime.date(2026, 12, 1),
    )
    assert assignment.status == AssignmentStatus.OPEN
    assert assignment.assigned_by == editor
    event = only_new_event(claim, before)
    assert event.action == AuditAction.REVIEWER_ASSIGNED
    assert event.actor == editor
    assert event.data["assignment_id"] == assignment.pk
    assert event.data["new"] == {
        "reviewer_id": reviewer.pk,
        "reviewer": "Rita Reviewer",
        "due_on": "2026-12-01",
        "status": "open",
    }


def test_reviewer_assign_refuses_a_second_open_assignment(assigned_claim, editor, reviewer):
    with pytest.raises(ValidationError) as refusal:
        services.reviewer_assign(
            actor=editor,
            claim=assigned_claim,
            expected_version=assigned_claim.version,
            reviewer=reviewer,
        )
    assert "already has an open assignment" in refusal.value.message_dict["reviewer"][0]
    assert Assignment.objects.filter(claim=assigned_claim).count() == 1


def test_reviewer_assign_refuses_users_who_cannot_review(claim, editor, viewer):
    with pytest.raises(ValidationError) as refusal:
        services.reviewer_assign(
            actor=editor, claim=claim, expected_version=claim.version, reviewer=viewer
        )
    assert "is not a reviewer" in refusal.value.message_dict["reviewer"][0]


def test_a_reviewer_can_be_assigned_again_after_completing(assigned_claim, editor, reviewer):
    assignment = Assignment.objects.get(claim=assigned_claim)
    services.reviewer_complete(
        actor=reviewer, assignment=assignment, expected_version=assigned_claim.version
    )
    assigned_claim.refresh_from_db()
    services.reviewer_assign(
        actor=editor,
        claim=assigned_claim,
        expected_version=assigned_claim.version,
        reviewer=reviewer,
    )
    assert Assignment.objects.filter(claim=assigned_claim, reviewer=reviewer).count() == 2


def test_database_allows_one_open_assignment_per_reviewer_per_claim(assigned_claim, reviewer):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(claim=assigned_claim, reviewer=reviewer)


def test_reviewer_complete_writes_done_and_event(assigned_claim, reviewer):
    assignment = Assignment.objects.get(claim=assigned_claim)
    before = assigned_claim.audit_length
    services.reviewer_complete(
        actor=reviewer,
        assignment=assignment,
        expected_version=assigned_claim.version,
        note="Checked both reports",
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DONE
    assert assignment.closed_by == reviewer
    assert assignment.closed_at is not None
    event = only_new_event(assigned_claim, before)
    assert event.action == AuditAction.REVIEWER_COMPLETED
    assert event.actor == reviewer
    assert event.data["old"] == {"status": "open"}
    assert event.data["new"] == {"status": "done"}
    assert event.data["reason"] == "Checked both reports"


def test_reviewer_withdraw_writes_withdrawn_and_event(assigned_claim, editor):
    assignment = Assignment.objects.get(claim=assigned_claim)
    before = assigned_claim.audit_length
    services.reviewer_withdraw(
        actor=editor,
        assignment=assignment,
        expected_version=assigned_claim.version,
        reason="Reassigned to the Middle East desk",
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.WITHDRAWN
    event = only_new_event(assigned_claim, before)
    assert event.action == AuditAction.REVIEWER_WITHDRAWN
    assert event.actor == editor
    assert event.data["new"] == {"status": "withdrawn"}
    assert event.data["reason"] == "Reassigned to the Middle East desk"


def test_closed_assignments_cannot_be_closed_again(assigned_claim, editor):
    assignment = Assignment.objects.get(claim=assigned_claim)
    services.reviewer_withdraw(
        actor=editor, assignment=assignment, expected_version=assigned_claim.version
    )
    assigned_claim.refresh_from_db()
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.reviewer_complete(
            actor=editor, assignment=assignment, expected_version=assigned_claim.version
        )


# Sources -----------------------------------------------------------------------------------------


def test_source_create_and_update(editor):
    source = services.source_create(
        actor=editor,
        title="Trump: Israel let us down",
        url="https://news.example/let-down",
        outlet="Example Post",
    )
    updated = services.source_update(
        actor=editor, source=source, expected_version=source.version, author="A. Reporter"
    )
    source.refresh_from_db()
    assert source.author == "A. Reporter"
    assert source.version == updated.version == 2


def test_a_source_edit_is_recorded_in_every_claim_that_cites_it(editor, source):
    def cite(text):
        return services.claim_create(
            actor=editor,
            text=text,
            claimant="Someone",
            appearances=[services.AppearanceInput(source, "quoted")],
        )

    citing = [cite("First claim"), cite("Second claim")]
    elsewhere = services.claim_create(
        actor=editor,
        text="Cites another source",
        claimant="Someone",
        appearances=[services.AppearanceInput(SourceFactory(), "quoted")],
    )
    old_title, old_date = source.title, source.published_on
    versions = {claim.pk: claim.version for claim in citing}

    services.source_update(
        actor=editor,
        source=source,
        expected_version=source.version,
        title="Corrected headline",
        published_on=datetime.date(2023, 10, 11),
    )

    for claim in citing:
        event = events_of(claim)[-1]
        assert event.action == AuditAction.SOURCE_EDITED
        assert event.actor == editor
        assert event.data == {
            "source_id": source.pk,
            "source": str(Source.objects.get(pk=source.pk)),
            "old": {"title": old_title, "published_on": old_date and old_date.isoformat()},
            "new": {"title": "Corrected headline", "published_on": "2023-10-11"},
        }
        claim.refresh_from_db()
        assert claim.version == versions[claim.pk] + 1
        head = (claim.audit_length, claim.audit_head)
        assert verify_chain(claim.pk, events_of(claim), head) is None
        assert describe(event).startswith("Edna Editor edited the source “Corrected headline")
    assert [e.action for e in events_of(elsewhere)] == [AuditAction.CLAIM_CREATED]

    # An edit that changes nothing records nothing.
    source.refresh_from_db()
    services.source_update(
        actor=editor, source=source, expected_version=source.version, title="Corrected headline"
    )
    assert len(events_of(citing[0])) == 2


def test_stale_source_edit_is_refused_with_the_current_source(editor, source):
    services.source_update(actor=editor, source=source, expected_version=1, title="First fix")
    with pytest.raises(services.SourceConflict) as conflict:
        services.source_update(actor=editor, source=source, expected_version=1, title="Old page")
    assert conflict.value.current.title == "First fix"
    source.refresh_from_db()
    assert source.title == "First fix"


def test_source_url_must_be_http(editor):
    with pytest.raises(ValidationError):
        services.source_create(actor=editor, title="x", url="javascript:alert(1)")
    assert not Source.objects.exists()


def test_actor_name_is_copied_from_username_when_no_full_name(claim, db):
    bare = UserFactory(username="bare_editor", first_name="", last_name="", role="Editors")
    services.claim_update(
        actor=bare,
        claim=claim,
        expected_version=claim.version,
        text="Changed text",
        claimant=claim.claimant,
        claimed_on=None,
    )
    assert events_of(claim)[-1].actor_name == "bare_editor"


def test_a_full_name_longer_than_the_audit_column_is_shortened_to_fit(claim, db):
    # 150 + space + 150 characters: Django allows it, the audit copy holds 300.
    wordy = UserFactory(username="wordy", first_name="F" * 150, last_name="L" * 150, role="Editors")
    services.claim_update(
        actor=wordy,
        claim=claim,
        expected_version=claim.version,
        text="Changed text",
        claimant=claim.claimant,
        claimed_on=None,
    )
    stored = events_of(claim)[-1]
    assert stored.actor_name == "F" * 150 + " " + "L" * 149
    claim.refresh_from_db()
    head = (claim.audit_length, claim.audit_head)
    assert verify_chain(claim.pk, events_of(claim), head) is None


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


def test_source_url_error_is_keyed_to_the_url_field(editor, source):
    with pytest.raises(ValidationError) as refusal:
        services.source_update(
            actor=editor, source=source, expected_version=1, url="ftp://files.example/a"
        )
    assert "url" in refusal.value.message_dict


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
