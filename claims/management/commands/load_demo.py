"""Load the demo desk from ``claims.demo_data``: logins for every role, two sources, claims.

Every claim, evidence link, assignment and state change goes through the services, so the demo's
audit trail is real history. Safe to rerun: what already exists is left as it is.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from claims import clock, services
from claims.demo import data as demo_data
from claims.models import AssignmentStatus, Claim, Source
from claims.urlnorm import normalize_url


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
        # One transaction, so a failure half-way leaves nothing of the demo behind.
        with transaction.atomic():
            users, new_users = self._load_users()
            editor = users[demo_data.DEMO_EDITOR]
            # The sources were on file before the oldest demo claim cited them.
            oldest = max(demo_claim.opened_days_ago for demo_claim in demo_data.CLAIMS)
            with clock.replaying(timezone.now() - timedelta(days=oldest, hours=1)):
                sources, new_sources = self._load_sources(editor)
            new_claims = 0
            for demo_claim in demo_data.CLAIMS:
                if Claim.objects.filter(text=demo_claim.text).exists():
                    continue
                self._load_claim(demo_claim, users, sources)
                new_claims += 1

        self._report("users", len(new_users), len(demo_data.DEMO_USERS))
        self._report("sources", new_sources, len(demo_data.SOURCES))
        self._report("claims", new_claims, len(demo_data.CLAIMS))
        if not (new_users or new_sources or new_claims):
            self.stdout.write("The demo was already loaded; nothing changed.")
        self._print_logins(users, new_users)

    def _load_users(self):
        """The demo users by username, and the usernames created now; accounts that already exist
        are kept as they are, and must already hold their demo role."""
        User = get_user_model()
        users, created = {}, set()
        for demo_user in demo_data.DEMO_USERS:
            group = Group.objects.get(name=demo_user.role)
            user = User.objects.filter(username=demo_user.username).first()
            if user is None:
                user = User(
                    username=demo_user.username,
                    first_name=demo_user.first_name,
                    last_name=demo_user.last_name,
                    email=f"{demo_user.username}@demo.example",
                    is_staff=demo_user.is_staff,
                )
                user.set_password(demo_user.password)
                user.save()
                user.groups.add(group)
                created.add(user.username)
            elif not user.groups.filter(pk=group.pk).exists():
                raise CommandError(
                    f"A user named “{demo_user.username}” already exists and is not in the "
                    f"{demo_user.role} group. load_demo does not change existing accounts: "
                    "rename or remove that user, or load the demo into another database."
                )
            users[demo_user.username] = user
        return users, created

    def _load_sources(self, editor):
        """The demo sources by key, found by their (placeholder) URL or created."""
        sources, created = {}, 0
        for demo_source in demo_data.SOURCES:
            source = Source.objects.filter(url=demo_source.url).order_by("pk").first()
            if source is None:
                source = services.source_create(
                    actor=editor,
                    title=demo_source.title,
                    url=demo_source.url,
                    outlet=demo_source.outlet,
                    author=demo_source.author,
                    published_on=demo_source.published_on,
                    text=demo_source.text,
                )
                created += 1
            sources[demo_source.key] = source
        return sources, created

    def _load_claim(self, demo_claim, users, sources):
        """Create the claim as the demo editor, then play its steps, each as its own actor, at
        the moments the demo's history gives them (see ``demo_data.DemoClaim``)."""
        moments = self._moments(demo_claim)
        with clock.replaying(next(moments)):
            claim = services.claim_create(
                actor=users[demo_data.DEMO_EDITOR],
                text=demo_claim.text,
                claimant=demo_claim.claimant,
                claimed_on=demo_claim.claimed_on,
                appearances=[
                    services.AppearanceInput(sources[key], quote)
                    for key, quote in demo_claim.appearances
                ],
            )
        for step, moment in zip(demo_claim.steps, moments, strict=False):
            # Services hand back the evidence or assignment, not the claim: reread its version.
            claim.refresh_from_db()
            with clock.replaying(moment):
                self._play(step, claim, users, sources)

    @staticmethod
    def _moments(demo_claim):
        """When the claim was opened, then when each step was taken: spaced evenly, at most
        STEP_SPACING apart, the last an hour or more before now."""
        now = timezone.now()
        opened = now - timedelta(days=demo_claim.opened_days_ago)
        steps = len(demo_claim.steps)
        available = max(now - timedelta(hours=1) - opened, timedelta(0))
        spacing = min(demo_data.STEP_SPACING, available / steps) if steps else timedelta(0)
        return (opened + spacing * index for index in range(steps + 1))

    def _play(self, step, claim, users, sources):
        actor = users[step.actor]
        version = claim.version
        match step:
            case demo_data.AddEvidence():
                source = sources[step.source]
                services.evidence_add(
                    actor=actor,
                    claim=claim,
                    expected_version=version,
                    stance=step.stance,
                    url=source.url,
                    title=source.title,
                    publisher=source.outlet,
                    excerpt=step.excerpt,
                    note=step.note,
                )
            case demo_data.RetractEvidence():
                evidence = claim.evidence.standing().get(
                    stance=step.stance, normalized_url=normalize_url(sources[step.source].url)
                )
                services.evidence_retract(
                    actor=actor, evidence=evidence, expected_version=version, reason=step.reason
                )
            case demo_data.Assign():
                due_on = None
                if step.due_in_days is not None:
                    played_on = timezone.localdate(clock.now())
                    due_on = played_on + timedelta(days=step.due_in_days)
                services.reviewer_assign(
                    actor=actor,
                    claim=claim,
                    expected_version=version,
                    reviewer=users[step.reviewer],
                    due_on=due_on,
                )
            case demo_data.Complete():
                services.reviewer_complete(
                    actor=actor,
                    assignment=self._open_assignment(claim, users[step.reviewer]),
                    expected_version=version,
                    note=step.note,
                )
            case demo_data.Withdraw():
                services.reviewer_withdraw(
                    actor=actor,
                    assignment=self._open_assignment(claim, users[step.reviewer]),
                    expected_version=version,
                    reason=step.reason,
                )
            case demo_data.ChangeState():
                services.claim_change_state(
                    actor=actor,
                    claim=claim,
                    expected_version=version,
                    state=step.state,
                    rationale=step.rationale,
                )
            case _:
                raise TypeError(f"Unknown demo step {step!r}")

    @staticmethod
    def _open_assignment(claim, reviewer):
        return claim.assignments.get(reviewer=reviewer, status=AssignmentStatus.OPEN)

    def _report(self, what, created, total):
        self.stdout.write(f"Demo {what}: {created} created, {total - created} already present.")

    def _print_logins(self, users, new_users):
        self.stdout.write(self.style.SUCCESS("Demo logins (username / password / role):"))
        for demo_user in demo_data.DEMO_USERS:
            shown = demo_user.password
            # Accounts that were already there may have another password; hashing is slow, so
            # only those are checked.
            user = users[demo_user.username]
            if user.username not in new_users and not user.check_password(demo_user.password):
                shown = "(not the demo password: this account's password was changed)"
            self.stdout.write(f"  {demo_user.username} / {shown} / {demo_user.role}")
