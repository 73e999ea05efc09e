"""A claim's page: the claim with everything shown on it, and its history in sentences."""

from dataclasses import dataclass

from django.db.models import Prefetch

from claims.audit.sentences import describe
from claims.models import (
    Appearance,
    Assignment,
    AuditEvent,
    Claim,
    Evidence,
    Proposal,
    ProposalStatus,
    Publication,
)


def claim_detail(pk: int) -> Claim:
    """A claim with its appearances, all its evidence, assignments, proposed verdicts and
    publications, in six queries."""
    return (
        Claim.objects.select_related("created_by")
        .prefetch_related(
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
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class Signoff:
    """What the claim page shows of sign-off: the proposal waiting, the proposal last returned
    (when nothing waits, its note is for the proposer), and the corrections, newest first."""

    pending: Proposal | None
    returned: Proposal | None
    corrections: list[Publication]


def claim_signoff(claim: Claim) -> Signoff:
    """From the rows ``claim_detail`` prefetched: no query of its own."""
    proposals = list(claim.proposals.all())
    pending = next((p for p in proposals if p.is_pending and not p.independent), None)
    latest = proposals[0] if proposals else None
    returned = latest if latest and latest.status == ProposalStatus.RETURNED else None
    corrections = [p for p in claim.publications.all() if p.is_correction]
    return Signoff(pending, None if pending else returned, corrections)


@dataclass
class TimelineEntry:
    event: AuditEvent
    sentence: str


def claim_timeline(claim: Claim) -> list[TimelineEntry]:
    """The claim's audit events, newest first, each as a readable sentence."""
    events = AuditEvent.objects.filter(claim_id=claim.pk).order_by("-sequence")
    return [TimelineEntry(event, describe(event)) for event in events]
