"""A claim's page: the claim with everything shown on it, and its history in sentences."""

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects

from claims.audit.actions import COMMENT_EVENTS, AuditAction
from claims.audit.sentences import describe
from claims.models import (
    Appearance,
    Assignment,
    AuditEvent,
    Claim,
    Comment,
    Evidence,
    Proposal,
    ProposalStatus,
    Publication,
    Watch,
)
from claims.permissions import hidden_comment_authors, judgements_hidden

from .comments import comments_prefetch


def claim_detail(pk: int, reader=None) -> Claim:
    """A claim with its appearances, all its evidence, assignments, proposed verdicts,
    publications and comments (with their mentions and earlier texts), in at most nine
    queries: the comments' three only when it has any (most claims have none).

    With ``reader``, ``claim.reader_watches`` says whether they watch it, read with the claim.
    """
    claims = Claim.objects.select_related("created_by").annotate(
        has_comments=Exists(Comment.objects.filter(claim=OuterRef("pk")))
    )
    if reader is not None and reader.is_authenticated:
        claims = claims.annotate(
            reader_watches=Exists(Watch.objects.filter(claim=OuterRef("pk"), user=reader))
        )
    claim = claims.prefetch_related(
        Prefetch(
            "appearances",
            queryset=Appearance.objects.select_related("source").order_by("id"),
        ),
        Prefetch(
            "evidence",
            queryset=Evidence.objects.select_related("added_by", "retracted_by").order_by(
                "added_at", "id"
            ),
        ),
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("reviewer", "assigned_by").order_by(
                "-assigned_at"
            ),
        ),
        Prefetch(
            "proposals",
            queryset=Proposal.objects.select_related("proposed_by", "decided_by").order_by(
                "-proposed_at", "-id"
            ),
        ),
        Prefetch(
            "publications",
            queryset=Publication.objects.select_related("proposed_by", "approved_by").order_by(
                "-published_at", "-id"
            ),
        ),
    ).get(pk=pk)
    if claim.has_comments:
        prefetch_related_objects([claim], comments_prefetch())
    else:
        claim._prefetched_objects_cache["comments"] = Comment.objects.none()
    return claim


@dataclass
class Signoff:
    """What the claim page shows of sign-off: the proposal waiting, the proposal last returned
    (when nothing waits, its note is for the proposer), the corrections, newest first, and an
    independent review's round: its proposals (empty while they are hidden from this user),
    how many have proposed, whether all have and whether they agree."""

    pending: Proposal | None
    returned: Proposal | None
    corrections: list[Publication]
    round: list[Proposal] = field(default_factory=list)
    proposed: int = 0
    reviewers: int = 0
    hidden: bool = False
    mine: Proposal | None = None
    # Set by the page for the user: may they decide the round, and the form to decide with.
    may_decide: bool = False
    decide_form: object = None

    @property
    def complete(self) -> bool:
        return self.proposed >= 2 and self.proposed >= self.reviewers

    @property
    def agree(self) -> bool:
        return len({p.state for p in self.round}) == 1


def claim_signoff(claim: Claim, user) -> Signoff:
    """From the rows ``claim_detail`` prefetched: no query of its own."""
    proposals = list(claim.proposals.all())
    pending = next((p for p in proposals if p.is_pending and not p.independent), None)
    latest = proposals[0] if proposals else None
    returned = latest if latest and latest.status == ProposalStatus.RETURNED else None
    corrections = [p for p in claim.publications.all() if p.is_correction]
    signoff = Signoff(pending, None if pending else returned, corrections)
    if not claim.independent_review:
        return signoff
    round_ = sorted(
        (p for p in proposals if p.is_pending and p.independent), key=lambda p: p.proposed_at
    )
    proposers = {p.proposed_by_id for p in round_}
    reviewing = {a.reviewer_id for a in claim.assignments.all() if a.is_open}
    hidden = judgements_hidden(user, claim)
    return replace(
        signoff,
        round=[] if hidden else round_,
        proposed=len(proposers),
        reviewers=len(reviewing | proposers),
        hidden=hidden,
        mine=next((p for p in round_ if p.proposed_by_id == user.pk), None),
    )


@dataclass
class TimelineEntry:
    event: AuditEvent
    sentence: str


def claim_timeline(claim: Claim, user=None) -> list[TimelineEntry]:
    """The claim's audit events, newest first, each as a readable sentence; for a reviewer who
    has yet to judge an independent review blind, without their colleagues' proposals, review
    notes and comments (``events_hidden_from``)."""
    events = AuditEvent.objects.filter(claim_id=claim.pk).order_by("-sequence")
    hidden = events_hidden_from(user, claim) if user is not None else None
    return [
        TimelineEntry(event, describe(event))
        for event in events
        if hidden is None or not hidden(event)
    ]


def events_hidden_from(user, claim: Claim) -> Callable[[AuditEvent], bool] | None:
    """The test of which of ``claim``'s events ``user`` may not read yet, or None when they
    may read them all: for a reviewer judging an independent review blind
    (``permissions.judgements_hidden``), their colleagues' judgements and the comments of the
    others in the round (``hidden_comment_authors``). The timeline and the API ask it; reads
    the claim's assignments and proposals (prefetched by the claim page)."""
    if not judgements_hidden(user, claim):
        return None
    authors = hidden_comment_authors(user, claim)

    def hidden(event: AuditEvent) -> bool:
        return a_colleagues_judgement(
            event.action, event.data or {}, event.actor_id, user.pk
        ) or _a_hidden_comment(event, authors)

    return hidden


def _a_hidden_comment(event: AuditEvent, authors: frozenset[int]) -> bool:
    return event.action in COMMENT_EVENTS and (event.data or {}).get("author_id") in authors


_JUDGEMENT_ACTIONS = frozenset(
    {
        AuditAction.VERDICT_PROPOSED,
        AuditAction.VERDICT_RETURNED,
        AuditAction.VERDICT_WITHDRAWN,
    }
)


def a_colleagues_judgement(action: str, data: dict, actor_id, reader_id) -> bool:
    """Is this event (its action, data and actor) a judgement of someone else's in a blind
    review: a closed review's note, or an independent proposal, return or withdrawal? The claim
    page's timeline and every export a blind reviewer downloads leave these out."""
    if action == AuditAction.REVIEWER_COMPLETED:
        return actor_id != reader_id
    return action in _JUDGEMENT_ACTIONS and bool(data.get("independent")) and actor_id != reader_id
