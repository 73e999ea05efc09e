"""What every page's header needs to know about the signed-in user."""

from django.utils.functional import SimpleLazyObject

from claims.notifications.selectors import unread_count
from claims.permissions import (
    Action,
    can,
    can_manage_webhooks,
    can_see_dashboard,
    is_reviewer,
    role_label,
)


def header(request) -> dict:
    """The role label and which links the header offers, from the same permission functions
    the pages ask; each worked out only if a template shows it (the admin does not)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_role": SimpleLazyObject(lambda: role_label(user)),
        "may_create_claims": SimpleLazyObject(lambda: can(user, Action.CREATE_CLAIM)),
        "may_see_dashboard": SimpleLazyObject(lambda: can_see_dashboard(user)),
        "may_manage_webhooks": SimpleLazyObject(lambda: can_manage_webhooks(user)),
        # Only someone who may be assigned claims has a queue of their own.
        "may_have_queue": SimpleLazyObject(lambda: is_reviewer(user)),
        # The bell's count: one query over the partial index of unread notifications.
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user)),
    }
