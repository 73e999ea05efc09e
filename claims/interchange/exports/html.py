"""A printable report (HTML with print CSS, A4, one claim per page): the claims with their
verdicts, rationale, evidence for and against, reviewers and the history of state changes.

The page is rendered by Django templates (everything escaped); the document's head and foot come
from ``claims/report.html`` and each claim from ``claims/includes/report_claim.html``, so the
report streams claim by claim instead of being built whole in memory.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.audit.actions import AuditAction
from claims.interchange.exports.reader import EVERYTHING, ClaimRecord
from claims.models import ReviewState, Stance

NAME = "html"
CONTENT_TYPE = "text/html; charset=utf-8"
EXTENSION = "html"
INCLUDE = EVERYTHING

CLAIMS_MARKER = "<!-- claims -->"  # written as is in claims/report.html


@dataclass
class StateChange:
    time: object
    actor_name: str
    old: str
    new: str
    reason: str


def _label(state: str) -> str:
    try:
        return str(ReviewState(state).label)
    except ValueError:
        return state or ""


def state_changes(claim: ClaimRecord) -> list[StateChange]:
    """The claim's moves between review states, oldest first, from its prefetched history."""
    changes = []
    for event in claim.history:
        if event.action != AuditAction.CLAIM_STATE_CHANGED:
            continue
        data = event.data or {}
        changes.append(
            StateChange(
                time=event.created_at,
                actor_name=event.actor_name,
                old=_label((data.get("old") or {}).get("state")),
                new=_label((data.get("new") or {}).get("state")),
                reason=data.get("reason") or "",
            )
        )
    return changes


def claim_context(claim: ClaimRecord) -> dict:
    evidence = claim.evidence
    return {
        "claim": claim,
        "supporting": [e for e in evidence if e.stance == Stance.SUPPORTS],
        "contradicting": [e for e in evidence if e.stance == Stance.CONTRADICTS],
        "reviewers": claim.reviewer_names(),
        "appearances": claim.appearances,
        "state_changes": state_changes(claim),
    }


def render(
    claims: Iterable[ClaimRecord], *, count: int | None = None, title: str | None = None
) -> Iterator[str]:
    """The report's head, each claim's page as it is read, then its foot."""
    document = get_template("claims/report.html").render(
        {
            "title": title or _("Verdict report"),
            "organization": settings.FACTCHECK_ORGANIZATION_NAME,
            "generated_at": timezone.now(),
            "count": count,
        }
    )
    head, _marker, foot = document.partition(CLAIMS_MARKER)
    yield head
    claim_template = get_template("claims/includes/report_claim.html")
    for claim in claims:
        yield claim_template.render(claim_context(claim))
    yield foot
