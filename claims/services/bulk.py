"""Bulk work on many claims: each claim written by its own service call, in its own
transaction, so one refusal leaves the others written and every refusal keeps its reason.

The admin's bulk actions and the desk queue's both call these, so a claim is checked and
recorded the same way whichever page sent it.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from claims import workflow
from claims.models import Claim
from claims.permissions import signoff_required
from claims.signoff.services import verdict_propose

from .assignments import reviewer_assign
from .claims import claim_change_state
from .conflicts import ClaimConflict

# How many claims one bulk action may change at once.
BULK_LIMIT = 500


@dataclass
class BulkOutcome:
    """Which claims a bulk action changed and, by reason, which it refused."""

    changed: list[Claim] = field(default_factory=list)
    refused: dict[str, list[Claim]] = field(default_factory=lambda: defaultdict(list))


def claims_assign_reviewer(
    *, actor, claims: Iterable[Claim], reviewer, due_on: date | None = None
) -> BulkOutcome:
    """Assign ``reviewer`` to each claim (an assignment conflicts with nothing: no versions)."""
    return _each(
        claims,
        lambda claim: reviewer_assign(actor=actor, claim=claim, reviewer=reviewer, due_on=due_on),
    )


def claims_change_state(
    *, actor, claims: Iterable[Claim], versions: dict[int, int], state: str, rationale: str
) -> BulkOutcome:
    """Move each claim to ``state`` with one rationale, each checked against the version its
    page showed (``versions`` by claim id): a claim without one is refused, not guessed. With
    sign-off on, each move is proposed instead, and ``changed`` lists the claims proposed."""
    unsaid = _("The form did not say which version of the claim you saw. Reload the page.")

    # With sign-off on, each move is proposed, to wait for another editor like any other.
    write = verdict_propose if signoff_required() else claim_change_state

    def move(claim):
        if claim.pk not in versions:
            raise ValidationError(unsaid)
        if claim.state == state:
            # On one claim's page the same state with a new rationale corrects a published
            # verdict; in bulk, with one rationale for all, it is a move already made.
            raise workflow.transition_error(claim, state, rationale)
        write(
            actor=actor,
            claim=claim,
            expected_version=versions[claim.pk],
            state=state,
            rationale=rationale,
        )

    return _each(claims, move)


def _each(claims: Iterable[Claim], write: Callable[[Claim], object]) -> BulkOutcome:
    outcome = BulkOutcome()
    for claim in claims:
        if not Claim.objects.filter(pk=claim.pk).exists():
            outcome.refused[_("The claim no longer exists.")].append(claim)
            continue
        try:
            write(claim)
        except ValidationError as error:
            reason = " ".join(error.messages)
        except ClaimConflict:
            # Each conflict's message names its own changes: one reason per claim would be
            # unreadable in bulk. What the user needs is that the claim moved under them.
            reason = _("Someone else changed the claim after you chose it: look at it again first.")
        except PermissionDenied as denied:
            reason = str(denied) or _("You do not have permission to do this.")
        else:
            outcome.changed.append(claim)
            continue
        outcome.refused[reason].append(claim)
    outcome.refused = dict(outcome.refused)
    return outcome
