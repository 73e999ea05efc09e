"""The one read behind every export: the claims the queue's filters select, streamed in chunks.

Ids are read first in the chosen order (one query, a few bytes per claim); then each chunk of
claims arrives with its related rows in one query per kind, so the queries grow with the number
of chunks, never with the number of claims, and memory holds one chunk at a time.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import QueryDict

from ..filters import SORTS, ClaimFilter
from ..models import Appearance, Assignment, AssignmentStatus, AuditEvent, Claim, Evidence

CHUNK_SIZE = 1000


@dataclass(frozen=True)
class ExportSelection:
    """What to export: the claims' ids in order, and whether their audit history is wanted."""

    ids: list[int]
    with_history: bool = False

    def __len__(self) -> int:
        return len(self.ids)


def export_filterset(params: QueryDict, *, user=None) -> ClaimFilter:
    """The queue's own filters over all claims, from the same GET-style parameters."""
    return ClaimFilter(params, user=user, queryset=Claim.objects.all())


def export_selection(
    *, params: QueryDict, user=None, strict: bool = False, with_history: bool = False
) -> ExportSelection:
    """The ids of the claims the filters select, ordered as the queue orders them.

    ``strict`` refuses invalid filter values (the command); otherwise they are left out, as the
    queue leaves them out, so a download holds exactly what the page shows. Without a ``sort``
    parameter claims come oldest first, by id, which keeps files stable between runs.
    """
    filterset = export_filterset(params, user=user)
    if strict and filterset.is_bound and not filterset.is_valid():
        raise ValidationError(dict(filterset.form.errors.items()), code="invalid")
    sort = params.get("sort")
    order = SORTS.get(sort, ("id",))
    ids = list(filterset.qs.order_by(*order).values_list("id", flat=True))
    return ExportSelection(ids, with_history)


def _claims_with_related(with_history: bool):
    prefetches = [
        Prefetch(
            "appearances", queryset=Appearance.objects.select_related("source").order_by("id")
        ),
        Prefetch(
            "evidence",
            queryset=Evidence.objects.select_related("added_by", "retracted_by").order_by(
                "added_at", "id"
            ),
        ),
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related(
                "reviewer", "assigned_by", "closed_by"
            ).order_by("assigned_at", "id"),
        ),
    ]
    if with_history:
        prefetches.append(
            Prefetch("audit_events", queryset=AuditEvent.objects.order_by("sequence"))
        )
    return Claim.objects.select_related("created_by").prefetch_related(*prefetches)


def iter_claims(selection: ExportSelection, *, chunk_size: int = CHUNK_SIZE) -> Iterator[Claim]:
    """Each selected claim with its appearances, evidence, assignments (and history), in order.

    A claim deleted since its id was read is skipped.
    """
    queryset = _claims_with_related(selection.with_history)
    ids = selection.ids
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        by_id = {claim.pk: claim for claim in queryset.filter(pk__in=chunk)}
        for pk in chunk:
            claim = by_id.get(pk)
            if claim is not None:
                yield claim


def standing_urls(claim: Claim, stance: str) -> list[str]:
    """The URLs of the claim's unretracted links of one stance, from its prefetched evidence."""
    return [e.url for e in claim.evidence.all() if e.stance == stance and e.retracted_at is None]


def reviewer_names(claim: Claim) -> list[str]:
    """Everyone assigned to the claim and not withdrawn, in assignment order, once each."""
    names = []
    for assignment in claim.assignments.all():
        if assignment.status == AssignmentStatus.WITHDRAWN:
            continue
        name = user_name(assignment.reviewer)
        if name not in names:
            names.append(name)
    return names


def user_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
