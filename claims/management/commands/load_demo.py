"""Load the demo desk (``claims.demo.desk``) and print what it created and the demo logins."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.demo import data as demo_data
from claims.demo.desk import DemoAccountTaken, load_demo_desk


class Command(BaseCommand):
    help = (
        f"Load demo users (one per role), two sources and {len(demo_data.CLAIMS)} claims with "
        "review history. Rerunning it changes nothing; other data is never touched."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            self.stderr.write(
                self.style.WARNING(
                    "DEBUG is off. The demo logins have published passwords: "
                    "do not load the demo into a database that faces the world."
                )
            )
        try:
            desk = load_demo_desk()
        except DemoAccountTaken as error:
            raise CommandError(str(error)) from error

        for tally in desk.tallies:
            self.stdout.write(
                f"Demo {tally.what}: {tally.created} created, {tally.present} already present."
            )
        if not desk.changed:
            self.stdout.write("The demo was already loaded; nothing changed.")
        self.stdout.write(self.style.SUCCESS("Demo logins (username / password / role):"))
        for login in desk.logins:
            password = login.password or (
                "(not the demo password: this account's password was changed)"
            )
            self.stdout.write(f"  {login.username} / {password} / {login.role}")
