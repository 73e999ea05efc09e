"""Personal API tokens: made, shown once, revoked. Not claim rows, so no lock, version or audit
event (as for ``preferences``); whoever may read the desk may hold tokens that act as them."""

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from claims import clock
from claims.models import ApiToken
from claims.permissions import Action, require

TOKEN_PREFIX = "fct_"  # noqa: S105 - names what the string is, for a leaked log or a scanner
PREFIX_SHOWN = 8  # characters after TOKEN_PREFIX kept in clear to tell tokens apart
NAME_LENGTH = ApiToken._meta.get_field("name").max_length


def token_digest(secret: str) -> str:
    """The stored form of a token. A plain SHA-256 is enough: the secret is 256 random bits,
    not a password someone chose, so there is nothing for a slow hash to protect."""
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(*, actor, name: str, read_only: bool = False) -> tuple[ApiToken, str]:
    """Make a token that acts as ``actor``; returns it and its secret, which is not kept."""
    require(actor, Action.VIEW)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, to tell it apart later.")})
    if len(name) > NAME_LENGTH:
        raise ValidationError({"name": _("At most %(count)d characters.") % {"count": NAME_LENGTH}})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + PREFIX_SHOWN],
        digest=token_digest(secret),
        read_only=bool(read_only),
        created_at=clock.now(),
    )
    return token, secret


def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke one of ``actor``'s tokens (staff with user rights may revoke anyone's); it stops
    working at once. Revoking twice keeps the first time."""
    if token.user_id != actor.pk and not actor.has_perm("auth.change_user"):
        raise PermissionDenied(_("You may revoke only your own tokens."))
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=clock.now())
    token.refresh_from_db(fields=["revoked_at"])
    return token
