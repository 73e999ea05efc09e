"""Who hears of an audit event, and how: the event's people by kind, then each one's channel.

Driven by the event alone (its action and data, read back from the trail after the write
committed), so the same rule serves every write, from the web, the admin, the API or a command.
Each person gets at most one notification per event, the most specific kind that applies
(assigned before "new evidence on a claim you follow"), never of their own action, and only
while they may read the desk.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model

from claims import clock
from claims.audit.actions import COMMENT_EVENTS, AuditAction
from claims.models import (
    DEFAULT_CHANNELS,
    Assignment,
    AssignmentStatus,
    AuditEvent,
    Channel,
    Claim,
    EmailState,
    Notification,
    NotificationKind,
    NotificationPreference,
    Proposal,
    ProposalStatus,
    Watch,
)
from claims.permissions import Action, can, can_view, hidden_comment_authors
from claims.selectors.people import desk_editors

# The events anyone is told of; everything else (imports, source edits, ...) is only history.
ANNOUNCED = frozenset(
    {
        AuditAction.REVIEWER_ASSIGNED,
        AuditAction.REVIEWER_WITHDRAWN,
        AuditAction.VERDICT_PROPOSED,
        AuditAction.VERDICT_APPROVED,
        AuditAction.VERDICT_RETURNED,
        AuditAction.CLAIM_STATE_CHANGED,
        AuditAction.EVIDENCE_ADDED,
        AuditAction.COMMENT_ADDED,
        AuditAction.COMMENT_EDITED,
    }
)


def channels_for(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """Each person's channel for ``kind``: their preference, else the kind's default."""
    user_ids = list(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "channel"
        )
    )
    return {user_id: chosen.get(user_id, DEFAULT_CHANNELS[kind]) for user_id in user_ids}


def followers(claim_id: int) -> set[int]:
    """The people following a claim: its open reviewers and its watchers."""
    reviewers = Assignment.objects.filter(
        claim_id=claim_id, status=AssignmentStatus.OPEN
    ).values_list("reviewer_id", flat=True)
    watchers = Watch.objects.filter(claim_id=claim_id).values_list("user_id", flat=True)
    return {*reviewers, *watchers}


def _proposer(data: dict) -> list[int]:
    proposer = (
        Proposal.objects.filter(pk=data.get("proposal")).values_list("proposed_by_id", flat=True)
    ).first()
    return [proposer] if proposer else []


def _may_sign_off(event: AuditEvent) -> list[int]:
    """The editors who may sign off what now waits on the claim (nobody their own proposal)."""
    claim = event.claim
    if claim.signoff_waiting_since is None:  # an independent round still open, or decided
        return []
    editors = desk_editors()
    if claim.independent_review:  # an editor who judged in the round does not decide it
        judged = set(
            Proposal.objects.filter(claim=claim, status=ProposalStatus.PENDING).values_list(
                "proposed_by_id", flat=True
            )
        )
        return [
            editor.pk
            for editor in editors
            if editor.pk not in judged and can(editor, Action.SIGN_OFF_VERDICT, claim)
        ]
    proposal = Proposal.objects.filter(pk=event.data.get("proposal")).first()
    return [
        editor.pk
        for editor in editors
        if can(editor, Action.SIGN_OFF_VERDICT, claim, target=proposal)
    ]


def wanted(event: AuditEvent) -> dict[int, str]:
    """Person -> kind for ``event``, before preferences: the most specific kind first."""
    people: dict[int, str] = {}

    def tell(user_ids: Iterable[int], kind: str) -> None:
        for user_id in user_ids:
            people.setdefault(user_id, kind)

    action, data = event.action, event.data
    if action == AuditAction.REVIEWER_ASSIGNED:
        tell([data["new"]["reviewer_id"]], NotificationKind.ASSIGNED)
    elif action == AuditAction.REVIEWER_WITHDRAWN:
        tell([data["reviewer_id"]], NotificationKind.ASSIGNMENT_WITHDRAWN)
    elif action == AuditAction.VERDICT_PROPOSED:
        tell(_may_sign_off(event), NotificationKind.SIGNOFF_WAITING)
    elif action == AuditAction.VERDICT_RETURNED:
        tell(_proposer(data), NotificationKind.PROPOSAL_RETURNED)
    elif action == AuditAction.VERDICT_APPROVED:
        tell(_proposer(data), NotificationKind.PROPOSAL_APPROVED)
        tell(followers(event.claim_id), NotificationKind.STATE_CHANGED)
    elif action == AuditAction.CLAIM_STATE_CHANGED:
        tell(followers(event.claim_id), NotificationKind.STATE_CHANGED)
    elif action == AuditAction.EVIDENCE_ADDED:
        tell(followers(event.claim_id), NotificationKind.EVIDENCE_ADDED)
    elif action == AuditAction.COMMENT_ADDED:
        tell(data.get("mentions", []), NotificationKind.MENTIONED)
        tell(followers(event.claim_id), NotificationKind.COMMENTED)
    elif action == AuditAction.COMMENT_EDITED:  # only who is mentioned now and was not before
        tell(data.get("new_mentions", []), NotificationKind.MENTIONED)
    people.pop(event.actor_id, None)  # nobody is told of their own action
    if action in COMMENT_EVENTS:
        _keep_blind_reviews_blind(event, people)
    return people


def _keep_blind_reviews_blind(event: AuditEvent, people: dict[int, str]) -> None:
    """In an independent review, a reviewer who has not proposed yet may not read the other
    reviewers' comments (``permissions.hidden_comment_authors``): nor is told of them."""
    claim = Claim.objects.prefetch_related("assignments", "proposals").get(pk=event.claim_id)
    if not claim.independent_review:
        return
    users = get_user_model().objects.in_bulk(list(people))
    for user_id, user in users.items():
        if event.actor_id in hidden_comment_authors(user, claim):
            del people[user_id]


def fan_out(event: AuditEvent) -> list[Notification]:
    """Write the notifications ``event`` calls for (once: a retry finds them written) and
    return those whose e-mail is still to send."""
    people = wanted(event)
    if not people:
        return []
    users = {
        user.pk: user for user in get_user_model().objects.filter(pk__in=people, is_active=True)
    }
    by_kind: dict[str, list[int]] = {}
    for user_id, kind in people.items():
        if user_id in users and can_view(users[user_id]):
            by_kind.setdefault(kind, []).append(user_id)
    now = clock.now()
    rows = []
    for kind, user_ids in by_kind.items():
        for user_id, channel in channels_for(user_ids, kind).items():
            if channel == Channel.OFF:
                continue
            rows.append(
                Notification(
                    recipient_id=user_id,
                    kind=kind,
                    claim_id=event.claim_id,
                    event=event,
                    actor_id=event.actor_id,
                    actor_name=event.actor_name,
                    channel=channel,
                    created_at=now,
                    # Nobody without an address is mailed; the inbox still tells them.
                    email_state=EmailState.PENDING
                    if channel == Channel.EMAIL and users[user_id].email
                    else "",
                )
            )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return list(Notification.objects.filter(event=event, email_state=EmailState.PENDING))
