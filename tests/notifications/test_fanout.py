"""Who hears of each event: the people each kind is for, never the actor, never an outsider,
each once, by the channel they chose."""

import pytest

from claims import services
from claims.audit.actions import AuditAction
from claims.models import (
    AuditEvent,
    Channel,
    EmailState,
    Notification,
    NotificationKind,
    ReviewState,
    Stance,
)
from claims.notifications.fanout import fan_out
from claims.notifications.services import (
    claim_watch,
    notification_preferences_update,
)
from tests.conftest import add_evidence
from tests.factories import EditorFactory, ReviewerFactory


def last_event(claim, action):
    return AuditEvent.objects.filter(claim_id=claim.pk, action=action).latest("sequence")


def told(event) -> dict[str, str]:
    """username -> kind of the notifications ``event`` wrote."""
    fan_out(event)
    return {
        n.recipient.username: n.kind
        for n in Notification.objects.filter(event=event).select_related("recipient")
    }


@pytest.fixture
def chief(db):
    return EditorFactory(username="chen", first_name="Chen", last_name="Chief")


def test_assigned_and_withdrawn_tell_the_reviewer_only(claim, editor, reviewer, viewer):
    assignment = services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer)
    assert told(last_event(claim, AuditAction.REVIEWER_ASSIGNED)) == {
        "rita": NotificationKind.ASSIGNED
    }
    services.reviewer_withdraw(actor=editor, assignment=assignment, reason="Out sick")
    assert told(last_event(claim, AuditAction.REVIEWER_WITHDRAWN)) == {
        "rita": NotificationKind.ASSIGNMENT_WITHDRAWN
    }


def test_nobody_is_told_of_their_own_action(claim, editor):
    services.reviewer_assign(actor=editor, claim=claim, reviewer=editor)
    assert told(last_event(claim, AuditAction.REVIEWER_ASSIGNED)) == {}


def test_evidence_tells_reviewers_and_watchers_not_others(
    assigned_claim, editor, reviewer, other_reviewer, viewer
):
    claim_watch(actor=viewer, claim=assigned_claim)
    add_evidence(assigned_claim, editor, Stance.SUPPORTS)
    assert told(last_event(assigned_claim, AuditAction.EVIDENCE_ADDED)) == {
        "rita": NotificationKind.EVIDENCE_ADDED,
        "vic": NotificationKind.EVIDENCE_ADDED,
    }
    # The reviewer adding a link is not told of it; the watcher still is.
    add_evidence(assigned_claim, reviewer, Stance.CONTRADICTS)
    assert told(last_event(assigned_claim, AuditAction.EVIDENCE_ADDED)) == {
        "vic": NotificationKind.EVIDENCE_ADDED
    }


def test_a_state_change_tells_followers(assigned_claim, editor, reviewer):
    add_evidence(assigned_claim, editor, Stance.SUPPORTS)
    assigned_claim.refresh_from_db()
    services.claim_change_state(
        actor=editor,
        claim=assigned_claim,
        expected_version=assigned_claim.version,
        state=ReviewState.CORROBORATED,
        rationale="Records agree.",
    )
    assert told(last_event(assigned_claim, AuditAction.CLAIM_STATE_CHANGED)) == {
        "rita": NotificationKind.STATE_CHANGED
    }


@pytest.fixture
def proposed(assigned_claim, editor, reviewer, settings):
    settings.FACTCHECK_SIGNOFF = True
    add_evidence(assigned_claim, editor, Stance.SUPPORTS)
    assigned_claim.refresh_from_db()
    return services.verdict_propose(
        actor=reviewer,
        claim=assigned_claim,
        expected_version=assigned_claim.version,
        state=ReviewState.CORROBORATED,
        rationale="Records agree.",
    )


def test_a_proposal_tells_the_editors_who_may_sign_it_off(proposed, editor, chief, reviewer):
    ReviewerFactory(username="someone")  # a reviewer signs off nothing
    EditorFactory(username="gone", is_active=False)
    assert told(last_event(proposed.claim, AuditAction.VERDICT_PROPOSED)) == {
        "edna": NotificationKind.SIGNOFF_WAITING,
        "chen": NotificationKind.SIGNOFF_WAITING,
    }


def test_an_editors_own_proposal_is_not_theirs_to_sign_off(assigned_claim, editor, chief, settings):
    settings.FACTCHECK_SIGNOFF = True
    add_evidence(assigned_claim, editor, Stance.SUPPORTS)
    assigned_claim.refresh_from_db()
    services.verdict_propose(
        actor=editor,
        claim=assigned_claim,
        expected_version=assigned_claim.version,
        state=ReviewState.CORROBORATED,
        rationale="Records agree.",
    )
    assert told(last_event(assigned_claim, AuditAction.VERDICT_PROPOSED)) == {
        "chen": NotificationKind.SIGNOFF_WAITING
    }


def test_sign_off_and_return_tell_the_proposer(proposed, editor, chief, reviewer, viewer):
    services.verdict_return(actor=chief, proposal=proposed, note="Cite the second record.")
    assert told(last_event(proposed.claim, AuditAction.VERDICT_RETURNED)) == {
        "rita": NotificationKind.PROPOSAL_RETURNED
    }
    claim = proposed.claim
    claim.refresh_from_db()
    again = services.verdict_propose(
        actor=reviewer,
        claim=claim,
        expected_version=claim.version,
        state=ReviewState.CORROBORATED,
        rationale="Both records agree.",
    )
    claim_watch(actor=viewer, claim=claim)
    services.verdict_sign_off(actor=chief, proposal=again)
    # The proposer hears it was signed off (not merely that the state changed); the watcher
    # hears of the state change.
    assert told(last_event(claim, AuditAction.VERDICT_APPROVED)) == {
        "rita": NotificationKind.PROPOSAL_APPROVED,
        "vic": NotificationKind.STATE_CHANGED,
    }


def test_channels_follow_preferences_and_off_writes_nothing(claim, editor, reviewer):
    notification_preferences_update(
        actor=reviewer, channels={NotificationKind.ASSIGNED: Channel.OFF}
    )
    services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer)
    assert told(last_event(claim, AuditAction.REVIEWER_ASSIGNED)) == {}

    other = ReviewerFactory(username="olga")
    notification_preferences_update(
        actor=other, channels={NotificationKind.ASSIGNED: Channel.DIGEST}
    )
    services.reviewer_assign(actor=editor, claim=claim, reviewer=other)
    event = last_event(claim, AuditAction.REVIEWER_ASSIGNED)
    fan_out(event)
    notification = Notification.objects.get(event=event)
    assert notification.channel == Channel.DIGEST
    assert notification.email_state == EmailState.NONE


def test_email_channel_leaves_a_mail_to_send_and_a_retry_writes_nothing_twice(
    claim, editor, reviewer
):
    services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer)
    event = last_event(claim, AuditAction.REVIEWER_ASSIGNED)
    pending = fan_out(event)
    assert [n.recipient_id for n in pending] == [reviewer.pk]
    assert pending[0].channel == Channel.EMAIL  # the default for an assignment
    fan_out(event)  # a retried task
    assert Notification.objects.filter(event=event).count() == 1


def test_someone_who_lost_their_role_is_not_told(claim, editor, reviewer):
    services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer)
    reviewer.groups.clear()
    reviewer.is_active = False
    reviewer.save()
    assert told(last_event(claim, AuditAction.REVIEWER_ASSIGNED)) == {}


def test_watching_twice_is_one_watch(claim, viewer):
    watch = claim_watch(actor=viewer, claim=claim)
    assert claim_watch(actor=viewer, claim=claim) == watch
    assert claim.watches.count() == 1


def test_a_comment_tells_the_mentioned_then_the_followers(
    assigned_claim, editor, reviewer, other_reviewer, viewer
):
    claim_watch(actor=viewer, claim=assigned_claim)
    services.comment_add(
        actor=other_reviewer, claim=assigned_claim, text="@edna and @rita: see this"
    )
    assert told(last_event(assigned_claim, AuditAction.COMMENT_ADDED)) == {
        "edna": NotificationKind.MENTIONED,
        "rita": NotificationKind.MENTIONED,  # mentioned, not merely following
        "vic": NotificationKind.COMMENTED,
    }


def test_an_edit_tells_only_the_newly_mentioned(assigned_claim, editor, reviewer, other_reviewer):
    comment = services.comment_add(actor=reviewer, claim=assigned_claim, text="Ask @edna")
    services.comment_edit(actor=reviewer, comment=comment, text="Ask @edna and @omar")
    assert told(last_event(assigned_claim, AuditAction.COMMENT_EDITED)) == {
        "omar": NotificationKind.MENTIONED
    }


def test_a_blind_reviewer_is_not_told_of_a_colleagues_comment(
    claim, editor, reviewer, other_reviewer, settings
):
    settings.FACTCHECK_SIGNOFF = True
    services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer)
    services.reviewer_assign(actor=editor, claim=claim, reviewer=other_reviewer)
    claim.refresh_from_db()
    services.claim_set_review_mode(actor=editor, claim=claim, independent=True)
    services.comment_add(actor=other_reviewer, claim=claim, text="I think @rita will agree")
    # Rita judges blind until she has proposed: neither the mention nor the comment reaches her.
    assert told(last_event(claim, AuditAction.COMMENT_ADDED)) == {}
