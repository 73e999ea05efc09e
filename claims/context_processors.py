"""What every page's header needs to know about the signed-in user."""

from django.utils.functional import SimpleLazyObject

from .permissions import role_label


def user_role(request) -> dict:
    """The header's role label, worked out only if a template shows it (the admin does not)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_role": SimpleLazyObject(lambda: role_label(user))}
