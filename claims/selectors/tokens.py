"""A person's API tokens, as their settings page lists them."""

from django.db.models import QuerySet

from claims.models import ApiToken


def personal_tokens(user) -> QuerySet[ApiToken]:
    """``user``'s tokens, working ones first, newest first."""
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-id")
