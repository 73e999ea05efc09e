"""Make a personal API token for a user and print it, once."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from claims import services


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "Make a personal API token that acts as USERNAME and print it. It is shown only "
            "this once: the desk keeps a digest, not the token."
        )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help=_("What the token is for (default: cli)."))
        parser.add_argument(
            "--read-only", action="store_true", help=_("The token may read but change nothing.")
        )

    def handle(self, *args, username, name, read_only, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user is called “%(name)s”.") % {"name": username})
        try:
            token, secret = services.api_token_create(
                actor=user, name=name or "cli", read_only=read_only
            )
        except PermissionDenied as error:
            raise CommandError(
                _("%(user)s cannot hold a token: %(reason)s") % {"user": username, "reason": error}
            ) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stderr.write(
            _("Token “%(name)s” for %(user)s%(access)s; it is not shown again:")
            % {
                "name": token.name,
                "user": username,
                "access": _(", read only") if token.read_only else "",
            }
        )
        self.stdout.write(secret)
