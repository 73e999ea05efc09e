"""Turn off a person's two-factor sign-in, for someone who lost both their app and their codes."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from claims.twofactor import services


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "Remove USERNAME's authenticator app and recovery codes: their password alone signs "
            "them in again, and they can set up two-factor sign-in anew on their settings page."
        )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user is called “%(name)s”.") % {"name": username})
        removed = services.two_factor_reset(user=user)
        if removed:
            self.stdout.write(_("Two-factor sign-in of %(user)s is off.") % {"user": username})
        else:
            self.stdout.write(_("%(user)s had no two-factor sign-in.") % {"user": username})
