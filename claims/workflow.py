"""The review workflow: the one table of allowed state moves and their preconditions.

Services ask ``check_transition`` before moving a claim, the UI asks ``allowed_targets`` to offer
only the moves that would succeed, and ``check_retraction`` keeps the invariant that a claim's
state always has the standing evidence it needs.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .models import Claim, ReviewState, Stance, stance_adjective


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    label: str  # lazily translated: the table is built once, shown in many languages
    requires_stance: str | None = None


# Every allowed move. A verdict needs standing evidence of its stance; reopening needs a reason.
TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        ReviewState.UNVERIFIED, ReviewState.CORROBORATED, _lazy("Corroborate"), Stance.SUPPORTS
    ),
    Transition(ReviewState.UNVERIFIED, ReviewState.DISPUTED, _lazy("Dispute"), Stance.CONTRADICTS),
    Transition(
        ReviewState.DISPUTED, ReviewState.CORROBORATED, _lazy("Corroborate"), Stance.SUPPORTS
    ),
    Transition(
        ReviewState.CORROBORATED, ReviewState.DISPUTED, _lazy("Dispute"), Stance.CONTRADICTS
    ),
    Transition(ReviewState.CORROBORATED, ReviewState.UNVERIFIED, _lazy("Reopen as unverified")),
    Transition(ReviewState.DISPUTED, ReviewState.UNVERIFIED, _lazy("Reopen as unverified")),
)

_BY_MOVE = {(t.source, t.target): t for t in TRANSITIONS}

# The stance each state stands on: the invariant that retraction must not break.
REQUIRED_STANCE = {
    ReviewState.CORROBORATED: Stance.SUPPORTS,
    ReviewState.DISPUTED: Stance.CONTRADICTS,
}


def transition_error(claim: Claim, target: str, rationale: str) -> ValidationError | None:
    """Why moving ``claim`` to ``target`` is refused, or None when the move is allowed."""
    if target not in ReviewState.values:
        return ValidationError(
            _("“%(target)s” is not a review state.") % {"target": target}, code="unknown_state"
        )
    if target == claim.state:
        return ValidationError(
            _("The claim is already %(state)s.") % {"state": ReviewState(target).label.lower()},
            code="same_state",
        )
    transition = _BY_MOVE.get((claim.state, target))
    if transition is None:
        return ValidationError(
            _("A claim cannot move from %(source)s to %(target)s.")
            % {"source": claim.get_state_display(), "target": ReviewState(target).label},
            code="not_allowed",
        )
    if transition.requires_stance and claim.standing_count(transition.requires_stance) == 0:
        return ValidationError(
            _("%(state)s needs at least one standing %(stance)s evidence link.")
            % {
                "state": ReviewState(target).label,
                "stance": stance_adjective(transition.requires_stance),
            },
            code="missing_evidence",
        )
    if not (rationale or "").strip():
        return ValidationError(
            _("Write a rationale for this change of state."), code="rationale_required"
        )
    return None


def verdict_error(
    claim: Claim, target: str, rationale: str, correction_note: str = ""
) -> ValidationError | None:
    """``transition_error``, plus what a published verdict asks of a change: once the public has
    seen a verdict, every later move is a correction, which needs a public correction note, and
    a new rationale for the same verdict is a correction too."""
    correcting = claim.published_at is not None
    rationale = (rationale or "").strip()
    if correcting and target == claim.state and target != ReviewState.UNVERIFIED:
        if not rationale:
            error = ValidationError(
                _("Write a rationale for this change of state."), code="rationale_required"
            )
        elif rationale == claim.rationale:
            error = ValidationError(
                _("Nothing to correct: the state and the rationale are as published."),
                code="same_state",
            )
        else:
            error = None
    else:
        error = transition_error(claim, target, rationale)
    if error is None and correcting and not (correction_note or "").strip():
        error = ValidationError(
            _("This changes a published verdict: write the correction note readers will see."),
            code="correction_note_required",
        )
    return error


# The form field each refusal of a move belongs to.
VERDICT_ERROR_FIELDS = {
    "rationale_required": "rationale",
    "correction_note_required": "correction_note",
}


def check_verdict(claim: Claim, target: str, rationale: str, correction_note: str = "") -> None:
    """Raise the refusal of this move by the form field it is about (state, rationale or the
    correction note)."""
    error = verdict_error(claim, target, rationale, correction_note)
    if error is not None:
        raise ValidationError({VERDICT_ERROR_FIELDS.get(error.code, "state"): error})


def check_transition(claim: Claim, target: str, rationale: str) -> None:
    """Raise the ValidationError that refuses this move, if any."""
    error = transition_error(claim, target, rationale)
    if error is not None:
        raise error


def allowed_targets(claim: Claim) -> list[Transition]:
    """The moves whose preconditions hold now (a rationale is still required when made); for a
    published verdict, also keeping it with a corrected rationale."""
    moves = [
        t
        for t in TRANSITIONS
        if t.source == claim.state
        and (t.requires_stance is None or claim.standing_count(t.requires_stance) > 0)
    ]
    if claim.is_published:
        moves.append(Transition(claim.state, claim.state, CORRECT_RATIONALE))
    return moves


CORRECT_RATIONALE = _lazy("Keep this verdict, correct its rationale")


def check_retraction(claim: Claim, stance: str) -> None:
    """Refuse retracting the last standing link that the claim's current state rests on."""
    error = retraction_error(claim, stance)
    if error is not None:
        raise error


def retraction_error(claim: Claim, stance: str) -> ValidationError | None:
    """Why a link of ``stance`` may not be retracted now, or None: the page asks this to show
    the control disabled with its reason, the service to refuse."""
    if REQUIRED_STANCE.get(claim.state) == stance and claim.standing_count(stance) <= 1:
        return ValidationError(
            _(
                "This is the last standing %(stance)s link of a claim that is %(state)s. "
                "Move the claim's state first, then retract the link."
            )
            % {
                "stance": stance_adjective(stance),
                "state": claim.get_state_display().lower(),
            },
            code="last_required_link",
        )
