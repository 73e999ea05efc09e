"""The inbox and the bell: a person's notifications newest first, and how many are unread.

Both read one index each (``notification_inbox_idx``, the partial ``notification_unread_idx``),
so the inbox page costs the same few queries whether it holds ten notifications or ten
thousand: a page is chosen on the index, its claims arrive in the same query.
"""

from dataclasses import dataclass

from django.core.paginator import Page

from claims.models import Notification, Watch
from claims.selectors.paging import CountedPaginator

INBOX_PAGE_SIZE = 50


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@dataclass
class Inbox:
    page: Page
    unread: int


def inbox(user, page_number=None) -> Inbox:
    """One page of ``user``'s notifications, newest first, with their claims."""
    notifications = (
        Notification.objects.filter(recipient=user)
        .select_related("claim")
        .only(
            "id",
            "kind",
            "actor_name",
            "created_at",
            "read_at",
            "event_id",
            "claim__id",
            "claim__text",
        )
        .order_by("-created_at", "-id")
    )
    paginator = CountedPaginator(notifications, INBOX_PAGE_SIZE)
    return Inbox(page=paginator.get_page(page_number), unread=unread_count(user))


def is_watching(user, claim) -> bool:
    """Does ``user`` watch ``claim``? Read with the claim where the claim page asked for it
    (``claim_page.claim_detail(pk, reader)``)."""
    known = getattr(claim, "reader_watches", None)
    if known is not None:
        return known
    return Watch.objects.filter(user=user, claim=claim).exists()
