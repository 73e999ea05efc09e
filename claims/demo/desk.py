"""The demo desk from ``claims.demo.data``: logins for every role, two sources, claims.

Every claim, evidence link, assignment, state change and comment goes through the services, so
the demo's audit trail is real history, laid over past weeks with ``claims.clock.replaying`` as a
working desk's would be. Safe to rerun: what already exists is left as it is.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from claims import clock, services
from claims.models import AssignmentStatus, Claim, ProposalStatus, Source
from claims.permissions import signoff_required
from claims.urlnorm import normalize_url

from . import data as demo_data


class DemoAccountTaken(Exception):
    """A demo username belongs to an account outside its demo role: the demo never adopts it."""


@dataclass(frozen=True)
class Tally:
    """How many of one kind of demo row the load created, of how many the demo has."""

    what: str
    created: int
    total: int

    @property
    def present(self) -> int:
        return self.total - self.created


@dataclass(frozen=True)
class Login:
    """A demo login to print; ``password`` is None where an existing account's was changed."""

    username: str
    password: str | None
    role: str


@dataclass(frozen=True)
class DemoDesk:
    """What ``load_demo_desk`` did: per kind of row, created and already present; the logins."""

    tallies: tuple[Tally, ...]
    logins: tuple[Login, ...]

    @property
    def changed(self) -> bool:
        return any(tally.created for tally in self.tallies)


def load_demo_desk() -> DemoDesk:
    """Load what is missing of the demo desk, in one transaction so that a failure half-way
    leaves nothing of it behind. Other data is never touched."""
    with transaction.atomic():
        users, new_users = _load_users()
        editor = users[demo_data.DEMO_EDITOR]
        # The sources were on file before the oldest demo claim cited them.
        oldest = max(demo_claim.opened_days_ago for demo_claim in demo_data.CLAIMS)
        with clock.replaying(timezone.now() - timedelta(days=oldest, hours=1)):
            sources, new_sources = _load_sources(editor)
        new_claims = 0
        for demo_claim in demo_data.CLAIMS:
            if Claim.objects.filter(text=demo_claim.text).exists():
                continue
            _load_claim(demo_claim, users, sources)
            new_claims += 1
    return DemoDesk(
        tallies=(
            Tally("users", len(new_users), len(demo_data.DEMO_USERS)),
            Tally("sources", new_sources, len(demo_data.SOURCES)),
            Tally("claims", new_claims, len(demo_data.CLAIMS)),
        ),
        logins=_logins(users, new_users),
    )


def _load_users():
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
            raise DemoAccountTaken(
                f"A user named “{demo_user.username}” already exists and is not in the "
                f"{demo_user.role} group. load_demo does not change existing accounts: "
                "rename or remove that user, or load the demo into another database."
            )
        users[demo_user.username] = user
    return users, created


def _load_sources(editor):
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


def _load_claim(demo_claim, users, sources) -> None:
    """Create the claim as the demo editor, then play its steps, each as its own actor, at
    the moments the demo's history gives them (see ``demo_data.DemoClaim``)."""
    moments = _moments(demo_claim)
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
        player = _PLAYERS.get(type(step))
        if player is None:
            raise TypeError(f"Unknown demo step {step!r}")
        if isinstance(step, demo_data.SIGNOFF_STEPS) and not signoff_required():
            continue
        with clock.replaying(moment):
            player(step, claim, users, sources)


def _moments(demo_claim) -> Iterator[datetime]:
    """When the claim was opened, then when each step was taken: spaced evenly, at most
    STEP_SPACING apart, the last an hour or more before now."""
    now = timezone.now()
    opened = now - timedelta(days=demo_claim.opened_days_ago)
    steps = len(demo_claim.steps)
    available = max(now - timedelta(hours=1) - opened, timedelta(0))
    spacing = min(demo_data.STEP_SPACING, available / steps) if steps else timedelta(0)
    return (opened + spacing * index for index in range(steps + 1))


# Playing each kind of step through its service, on the claim as last read ---------------------


def _add_evidence(step: demo_data.AddEvidence, claim, users, sources) -> None:
    source = sources[step.source]
    services.evidence_add(
        actor=users[step.actor],
        claim=claim,
        stance=step.stance,
        url=source.url,
        title=source.title,
        publisher=source.outlet,
        excerpt=step.excerpt,
        note=step.note,
    )


def _retract_evidence(step: demo_data.RetractEvidence, claim, users, sources) -> None:
    evidence = claim.evidence.standing().get(
        stance=step.stance, normalized_url=normalize_url(sources[step.source].url)
    )
    services.evidence_retract(
        actor=users[step.actor],
        evidence=evidence,
        reason=step.reason,
    )


def _assign(step: demo_data.Assign, claim, users, sources) -> None:
    due_on = None
    if step.due_in_days is not None:
        played_on = timezone.localdate(clock.now())
        due_on = played_on + timedelta(days=step.due_in_days)
    services.reviewer_assign(
        actor=users[step.actor],
        claim=claim,
        reviewer=users[step.reviewer],
        due_on=due_on,
    )


def _complete(step: demo_data.Complete, claim, users, sources) -> None:
    services.reviewer_complete(
        actor=users[step.actor],
        assignment=_open_assignment(claim, users[step.reviewer]),
        note=step.note,
    )


def _withdraw(step: demo_data.Withdraw, claim, users, sources) -> None:
    services.reviewer_withdraw(
        actor=users[step.actor],
        assignment=_open_assignment(claim, users[step.reviewer]),
        reason=step.reason,
    )


def _change_state(step: demo_data.ChangeState, claim, users, sources) -> None:
    move = {
        "actor": users[step.actor],
        "claim": claim,
        "expected_version": claim.version,
        "state": step.state,
        "rationale": step.rationale,
        "correction_note": step.correction_note,
    }
    if not signoff_required():
        services.claim_change_state(**move)
        return
    proposal = services.verdict_propose(**move)
    signer = step.signed_off_by if step.signed_off_by != step.actor else demo_data.DEMO_EDITOR
    services.verdict_sign_off(actor=users[signer], proposal=proposal)


def _propose(step: demo_data.Propose, claim, users, sources) -> None:
    services.verdict_propose(
        actor=users[step.actor],
        claim=claim,
        expected_version=claim.version,
        state=step.state,
        rationale=step.rationale,
    )


def _return(step: demo_data.Return, claim, users, sources) -> None:
    services.verdict_return(
        actor=users[step.actor],
        proposal=claim.proposals.get(status=ProposalStatus.PENDING),
        note=step.note,
    )


def _add_comment(step: demo_data.AddComment, claim, users, sources) -> None:
    services.comment_add(actor=users[step.actor], claim=claim, text=step.text)


def _review_independently(step: demo_data.ReviewIndependently, claim, users, sources) -> None:
    services.claim_set_review_mode(actor=users[step.actor], claim=claim, independent=True)


_PLAYERS = {
    demo_data.AddComment: _add_comment,
    demo_data.AddEvidence: _add_evidence,
    demo_data.RetractEvidence: _retract_evidence,
    demo_data.Assign: _assign,
    demo_data.Complete: _complete,
    demo_data.Withdraw: _withdraw,
    demo_data.ChangeState: _change_state,
    demo_data.Propose: _propose,
    demo_data.Return: _return,
    demo_data.ReviewIndependently: _review_independently,
}


def _open_assignment(claim, reviewer):
    return claim.assignments.get(reviewer=reviewer, status=AssignmentStatus.OPEN)


def _logins(users, new_users) -> tuple[Login, ...]:
    """Every demo login with its published password, unless an account that was already there
    has another one; hashing is slow, so only those accounts are checked."""
    logins = []
    for demo_user in demo_data.DEMO_USERS:
        user = users[demo_user.username]
        password = demo_user.password
        if user.username not in new_users and not user.check_password(demo_user.password):
            password = None
        logins.append(Login(demo_user.username, password, demo_user.role))
    return tuple(logins)
