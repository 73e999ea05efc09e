"""``Authorization: Bearer <token>`` with a personal API token (``claims.services.tokens``)."""

from datetime import timedelta

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from claims import clock
from claims.models import ApiToken
from claims.services.tokens import token_digest

from .throttling import refuse_anonymous_over_limit

# A token's last use is written at most this often, so a script's burst of calls is not a
# burst of writes to one row.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """The request acts as the token's user; ``user.api_token`` tells ``claims.permissions``
    which token, so a read-only one is held to reading."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        token, refusal = self._token(header)
        if refusal:
            refuse_anonymous_over_limit(request)  # guessing tokens is limited per address
            raise exceptions.AuthenticationFailed(refusal)
        self._note_use(token)
        user = token.user
        user.api_token = token
        return user, token

    @staticmethod
    def _token(header: list[bytes]) -> tuple[ApiToken | None, str]:
        """The working token the header names, or why there is none."""
        if len(header) != 2:
            return None, _("Send the header as “Bearer <token>”.")
        try:
            secret = header[1].decode()
        except UnicodeError:
            return None, _("This is not a valid token.")
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(secret)).first()
        if token is None:
            return None, _("This is not a valid token.")
        if not token.is_active:
            return None, _("This token has been revoked.")
        if not token.user.is_active:
            return None, _("This token's account is deactivated.")
        return token, ""

    def authenticate_header(self, request):
        # Makes an unauthenticated request a 401 with a challenge, not a 403.
        return f'{self.keyword} realm="api"'

    @staticmethod
    def _note_use(token: ApiToken) -> None:
        now = clock.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes the token: an HTTP bearer scheme."""

    target_class = BearerTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _(
                "A personal API token, made on the settings page or with `manage.py api_token`."
            ),
        }
