"""The desk's own error pages."""

from django.shortcuts import render

from claims.permissions import (
    is_editor,
)


def permission_denied(request, exception=None):
    """The 403 page says what was refused, in the desk's own layout."""
    return render(
        request,
        "403.html",
        {
            "reason": str(exception) if exception else "",
            "is_editor": is_editor(request.user) if request.user.is_authenticated else False,
        },
        status=403,
    )
