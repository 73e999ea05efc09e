"""What a bulk action from the queue did, carried across its POST-redirect-GET and shown above
the results it changed.

Kept in the session under its own key rather than as a Django message: it belongs beside the
claims it names, and a message would also appear in the page's banner. Its sentences are built
when the action finishes, in the actor's language, and read once, by the next queue page.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims.services import BulkOutcome
from claims.web.presentation import claim_label

SESSION_KEY = "queue_bulk_result"


@dataclass
class BulkResult:
    """Which claims changed and, by reason, which were refused: (id, label) pairs."""

    changed_title: str = ""
    changed: list[tuple[int, str]] = field(default_factory=list)
    refused_title: str = ""
    refused: list[tuple[str, list[tuple[int, str]]]] = field(default_factory=list)


def keep_bulk_result(request, outcome: BulkOutcome, done: str) -> None:
    """Keep for the next queue page what ``outcome`` changed and refused; ``done`` says what
    happened to the changed claims ("assigned to Rita Reviewer")."""
    result = BulkResult()
    if outcome.changed:
        count = len(outcome.changed)
        result.changed_title = ngettext(
            "%(count)d claim %(done)s:", "%(count)d claims %(done)s:", count
        ) % {"count": count, "done": done}
        result.changed = _named(outcome.changed)
    if outcome.refused:
        count = sum(len(claims) for claims in outcome.refused.values())
        result.refused_title = ngettext(
            "%(count)d claim refused:", "%(count)d claims refused:", count
        ) % {"count": count}
        result.refused = [(reason, _named(claims)) for reason, claims in outcome.refused.items()]
    if not result.changed and not result.refused:
        result.changed_title = _("No claim was changed.")
    request.session[SESSION_KEY] = {
        "changed_title": result.changed_title,
        "changed": result.changed,
        "refused_title": result.refused_title,
        "refused": result.refused,
    }


def take_bulk_result(request) -> BulkResult | None:
    """The result kept for this page, if any, removed so that it shows once. Costs no query
    when there is none: the session is read for the signed-in user anyway."""
    kept = request.session.pop(SESSION_KEY, None)
    if not isinstance(kept, dict):
        return None
    return BulkResult(
        changed_title=kept.get("changed_title", ""),
        changed=[tuple(pair) for pair in kept.get("changed", [])],
        refused_title=kept.get("refused_title", ""),
        refused=[
            (reason, [tuple(pair) for pair in claims]) for reason, claims in kept.get("refused", [])
        ],
    )


def _named(claims) -> list[tuple[int, str]]:
    return [(claim.pk, claim_label(claim)) for claim in claims]
