"""A claim's page: the claim with everything shown on it, and its history in sentences."""

from dataclasses import dataclass

from django.db.models import Prefetch

from claims.audit.sentences import describe
from claims.models import Appearance, Assignment, AuditEvent, Claim, Evidence


def claim_detail(pk: int) -> Claim:
    """A claim with its appearances, all its evidence and assignments, in four queries."""
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
        )
        .get(pk=pk)
    )


@dataclass
class TimelineEntry:
    event: AuditEvent
    sentence: str


def claim_timeline(claim: Claim) -> list[TimelineEntry]:
    """The claim's audit events, newest first, each as a readable sentence."""
    events = AuditEvent.objects.filter(claim_id=claim.pk).order_by("-sequence")
    return [TimelineEntry(event, describe(event)) for event in events]
