"""The confirmation of an action on a claim's page, shown beside what the action changed.

A banner at the top of the page is far from the link just added: on a phone it was 850 px above
the visible area, and focus fell back to the page. So a confirmation crosses the
POST-redirect-GET as a Django message tagged with the id of the item it is about; the claim page
writes the words inside that item, highlights it and moves focus to it (``autofocus``, which a
page load and an htmx swap both honour), and repeats the words in the page's one live region so
that a screen reader announces them. Messages with no item stay in the banner.
"""

from dataclasses import dataclass

from django.contrib import messages

_ITEM_TAG = "item:"

# The claim page's elements a confirmation can be about: their HTML ids, named in one place for
# the views that confirm and the templates that show.
CLAIM_ITEM = "claim"
STATE_ITEM = "state-now"


def link_item(evidence) -> str:
    return f"link-{evidence.pk}"


def assignment_item(assignment) -> str:
    return f"assignment-{assignment.pk}"


def proposal_item(proposal) -> str:
    return f"proposal-{proposal.pk}"


def comment_item(comment) -> str:
    return f"comment-{comment.pk}"


@dataclass(frozen=True)
class Feedback:
    """What to confirm, and the id of the element on the claim page it is about."""

    text: str
    item: str


def confirm(request, text: str, *, item: str) -> None:
    """Confirm a finished action next to the page element ``item`` (its HTML id)."""
    messages.success(request, text, extra_tags=f"{_ITEM_TAG}{item}")


def take_feedback(request) -> tuple[Feedback | None, list]:
    """The confirmation to show beside its item, and the other messages, for the banner.

    Reading the messages marks them shown, as Django's template loop does."""
    feedback, others = None, []
    for message in messages.get_messages(request):
        item = _item_of(message)
        if item and feedback is None:
            feedback = Feedback(str(message), item)
        else:
            others.append(message)
    return feedback, others


def _item_of(message) -> str:
    for tag in message.extra_tags.split():
        if tag.startswith(_ITEM_TAG):
            return tag.removeprefix(_ITEM_TAG)
    return ""
