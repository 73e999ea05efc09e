"""What every API view shares: who may call it at all, and that nothing it answers is cached."""

from django.utils.cache import patch_cache_control
from rest_framework import permissions

from claims.permissions import can_view

from .throttling import refuse_anonymous_over_limit


class DeskMember(permissions.BasePermission):
    """The desk's readers, by token or session. What each may change is the services' answer
    (``claims.permissions``), so a write the role or a read-only token does not allow is
    refused there, with the same words as in the desk UI."""

    message = "Your account has no role on this desk."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            refuse_anonymous_over_limit(request, view)
            return False
        return can_view(request.user)


class NoStoreMixin:
    """API answers hold the desk's unpublished work: no shared or browser cache keeps them."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response
