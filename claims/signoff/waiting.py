"""What waits for an editor's sign-off: the claims whose proposal, or whose independent review,
an editor may decide now, longest waiting first.

Read from ``Claim.signoff_waiting_since``, which the sign-off services keep (set when there is
something to decide, cleared when it is decided), over its partial index: the page reads the
few waiting claims, not every claim's proposals.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from claims.models import Claim, Proposal, ProposalStatus
from claims.permissions import Action, available_actions

WAITING_SHOWN = 50  # the most a person's queue lists at once; the count says how many in all


@dataclass(frozen=True)
class Waiting:
    claims: list[Claim]
    total: int


def waiting_for_signoff(user) -> Waiting:
    """The claims waiting for a decision that ``user`` may give: an editor's, not on claims
    where they proposed (nobody signs off their own proposal, nor decides a review they judged)."""
    if Action.SIGN_OFF_VERDICT not in available_actions(user):
        return Waiting([], 0)
    their_own = Proposal.objects.filter(
        claim=OuterRef("pk"), status=ProposalStatus.PENDING, proposed_by=user
    )
    waiting = (
        Claim.objects.filter(signoff_waiting_since__isnull=False)
        .exclude(Exists(their_own))
        .order_by("signoff_waiting_since", "id")
    )
    claims = list(
        waiting.only("id", "text", "claimant", "state", "signoff_waiting_since")[:WAITING_SHOWN]
    )
    total = len(claims) if len(claims) < WAITING_SHOWN else waiting.count()
    return Waiting(claims, total)
