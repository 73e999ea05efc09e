"""Shared fixtures: one user per role, helpers to reach the states a test needs via services,
and what every browser test needs (Chromium, the live server, the role groups)."""

import datetime
import importlib
import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
import redis
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection, connections
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.background.config import tasks_settings
from claims.db.triggers import AUDIT_NO_TRUNCATE_TRIGGERS
from claims.models import AuditEvent, Claim, ProposalStatus, ReviewState, Stance
from claims.selectors.dashboard import Period
from tests.factories import (
    ClaimFactory,
    EditorFactory,
    IndependentProposalFactory,
    ReviewerFactory,
    SourceFactory,
    UserFactory,
    ViewerFactory,
)

# Playwright's sync API (tests/test_browser.py) leaves an asyncio loop running on the main thread,
# and Django then refuses database work there (SynchronousOnlyOperation) in fixtures and flushes.
# Nothing of ours runs inside that loop: the live server answers from its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _flush_past_the_truncate_guard(flush):
    """PostgreSQL refuses TRUNCATE of the audit tables (``claims.db.triggers``); the test
    runner empties them between transactional tests as their owner, turning the guard off for
    the flush's own transaction only."""

    def execute_sql_flush(self, sql_list):
        guards = AUDIT_NO_TRUNCATE_TRIGGERS.items()
        return flush(
            self,
            [
                *(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}" for table, trigger in guards),
                *sql_list,
                *(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}" for table, trigger in guards),
            ],
        )

    return execute_sql_flush


PostgresOperations.execute_sql_flush = _flush_past_the_truncate_guard(
    PostgresOperations.execute_sql_flush
)

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (row locks and triggers); run with DATABASE_URL=postgres://...",
)


@pytest.fixture
def editor(db):
    return EditorFactory(username="edna", first_name="Edna", last_name="Editor")


@pytest.fixture
def reviewer(db):
    return ReviewerFactory(username="rita", first_name="Rita", last_name="Reviewer")


@pytest.fixture
def other_reviewer(db):
    return ReviewerFactory(username="omar", first_name="Omar", last_name="Other")


@pytest.fixture
def viewer(db):
    return ViewerFactory(username="vic", first_name="Vic", last_name="Viewer")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def source(db):
    return SourceFactory()


@pytest.fixture
def claim(editor, source):
    """A claim made through the service, so it has its creation event."""
    return services.claim_create(
        actor=editor,
        text="Israel pulled out of the strike the night before.",
        claimant="Donald Trump",
        appearances=[services.AppearanceInput(source, "Israel will not be participating")],
    )


@pytest.fixture
def assigned_claim(claim, editor, reviewer):
    services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer)
    claim.refresh_from_db()
    return claim


def events_of(claim):
    return list(AuditEvent.objects.filter(claim_id=claim.pk).order_by("sequence"))


def only_new_event(claim, before: int):
    """The single event written since the claim had ``before`` events."""
    events = events_of(claim)
    assert len(events) == before + 1, [e.action for e in events]
    return events[-1]


def run_verify_audit() -> str:
    """What ``verify_audit`` prints for an intact trail."""
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def add_evidence(claim, actor, stance=Stance.SUPPORTS, url=None, **fields):
    """Add a link through the service at the claim's current version."""
    claim.refresh_from_db()
    url = url or f"https://evidence.example/{stance}/{claim.audit_length}"
    evidence = services.evidence_add(actor=actor, claim=claim, stance=stance, url=url, **fields)
    claim.refresh_from_db()
    return evidence


def change_state(claim, actor, state, rationale="Checked against the sources.", correction_note=""):
    """Move the claim through the service at its current version (a one-person desk: the tests
    run with sign-off off unless they turn it on); the claim, reread."""
    claim.refresh_from_db()
    services.claim_change_state(
        actor=actor,
        claim=claim,
        expected_version=claim.version,
        state=state,
        rationale=rationale,
        correction_note=correction_note,
    )
    claim.refresh_from_db()
    return claim


# The web UI ------------------------------------------------------------------------------------


def login(client, user):
    client.force_login(user)
    return client


def detail_url(claim):
    return reverse("claims:detail", args=[claim.pk])


def edit_data(claim, **changes):
    """The edit form as its page showed ``claim``, with ``changes`` typed in."""
    claim = Claim.objects.get(pk=claim.pk)
    shown = {
        "text": claim.text,
        "claimant": claim.claimant,
        "claimed_on": claim.claimed_on.isoformat() if claim.claimed_on else "",
    }
    rows = list(claim.appearances.all())
    data = {
        **shown,
        **{f"seen_{field}": value for field, value in shown.items()},
        "expected_version": claim.version,
        "appearances-TOTAL_FORMS": str(len(rows)),
        "appearances-INITIAL_FORMS": str(len(rows)),
        "appearances-MIN_NUM_FORMS": "0",
        "appearances-MAX_NUM_FORMS": "20",
    }
    for number, row in enumerate(rows):
        data[f"appearances-{number}-source"] = row.source_id
        data[f"appearances-{number}-quote"] = row.quote
    return {**data, **changes}


def make_claim(editor, text="A claim", claimant="Someone", source=None):
    return services.claim_create(
        actor=editor,
        text=text,
        claimant=claimant,
        appearances=[services.AppearanceInput(source or SourceFactory(), "quoted words")],
    )


@pytest.fixture
def queue_desk(editor, reviewer, other_reviewer):
    """Five claims in known states, with reviewers, due dates and evidence."""
    axios = SourceFactory(title="Axios report")
    post = SourceFactory(title="Evening Post report")
    today = timezone.localdate()
    claims = {
        "open": make_claim(editor, "Israel withdrew the night before", "Donald Trump", post),
        "corroborated": make_claim(editor, "The strike was on 3 January 2020", "Axios", axios),
        "disputed": make_claim(editor, "Israel proposed a larger role", "Israeli official", axios),
        "overdue": make_claim(editor, "Drones fired Hellfire missiles", "Evening Post", post),
        "unassigned": make_claim(editor, "Pence praised Israel's part", "Former official", axios),
    }
    add_evidence(claims["corroborated"], editor, Stance.SUPPORTS)
    services.claim_change_state(
        actor=editor,
        claim=claims["corroborated"],
        expected_version=claims["corroborated"].version,
        state=ReviewState.CORROBORATED,
        rationale="Both reports agree on the date.",
    )
    add_evidence(claims["disputed"], editor, Stance.CONTRADICTS)
    services.claim_change_state(
        actor=editor,
        claim=claims["disputed"],
        expected_version=claims["disputed"].version,
        state=ReviewState.DISPUTED,
        rationale="The other report says the opposite.",
    )
    for key, who, due in (
        ("open", reviewer, today + datetime.timedelta(days=3)),
        ("overdue", reviewer, today - datetime.timedelta(days=2)),
        ("disputed", other_reviewer, None),
    ):
        claim = Claim.objects.get(pk=claims[key].pk)
        services.reviewer_assign(actor=editor, claim=claim, reviewer=who, due_on=due)
    return {key: Claim.objects.get(pk=c.pk) for key, c in claims.items()}, axios


def restore_roles() -> None:
    """Create the role groups as migration 0002 does: a transactional test's flush empties them."""
    roles = importlib.import_module("claims.migrations.0002_roles").ROLES
    for name, codenames in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
        )


# Independent reviews ---------------------------------------------------------------------------

# Two weeks, Monday 2 to Sunday 15 November 2026, in the desk's time zone (UTC in the tests).
AGREEMENT_PERIOD = Period(datetime.date(2026, 11, 2), datetime.date(2026, 11, 15))


def november(day: int, hour: int = 10, minute: int = 0, second: int = 0) -> datetime.datetime:
    """A moment of ``day`` November 2026 (0 is 31 October; 16 is past AGREEMENT_PERIOD)."""
    first = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    return first + datetime.timedelta(days=day - 1, hours=hour, minutes=minute, seconds=second)


@pytest.fixture
def independent_claim(claim, editor, reviewer, other_reviewer, settings):
    """``claim`` with evidence both ways under independent review by Rita and Omar (sign-off on,
    as independent review needs), neither of whom has proposed yet."""
    settings.FACTCHECK_SIGNOFF = True
    for who in (reviewer, other_reviewer):
        services.reviewer_assign(actor=editor, claim=claim, reviewer=who)
    add_evidence(claim, editor, Stance.SUPPORTS)
    add_evidence(claim, editor, Stance.CONTRADICTS)
    return services.claim_set_review_mode(actor=editor, claim=claim, independent=True)


def propose(claim, actor, state=ReviewState.CORROBORATED, rationale="Judged on the sources."):
    """``actor`` proposes ``state`` for ``claim`` at its current version."""
    claim.refresh_from_db()
    return services.verdict_propose(
        actor=actor, claim=claim, expected_version=claim.version, state=state, rationale=rationale
    )


def judge(claim, reviewer, state, when, status=ProposalStatus.PENDING):
    """``reviewer`` proposes ``state`` for ``claim`` in an independent review at ``when``."""
    return IndependentProposalFactory(
        claim=claim, proposed_by=reviewer, state=state, proposed_at=when, status=status
    )


@pytest.fixture
def judges(db):
    """Four reviewers with names that sort as listed."""
    return {
        "ana": ReviewerFactory(username="ana", first_name="Ana", last_name="Alves"),
        "ben": ReviewerFactory(username="ben", first_name="Ben", last_name="Brown"),
        "cy": ReviewerFactory(username="cy", first_name="Cy", last_name="Costa"),
        "dee": ReviewerFactory(username="dee", first_name="Dee", last_name="Diaz"),
    }


@pytest.fixture
def six_judged_claims(judges, settings):
    """Ana, Ben and Cy judge six claims blind, claim n on n + 2 November; Dee judges two.

    claim   Ana  Ben  Cy   Dee   all alike?
    1       C    C    C    C     yes
    2       C    C    D    U     no
    3       D    D    D          yes
    4       C    D    C*         no    * Cy first proposed D and withdrew it: C is the judgement
    5       D    D    C          no
    6       C    C    C          yes

    Ana also proposes D on claim 2 after her first C (returned): only the first counts.

    Share agreed: claims 1, 3 and 6, so 3 of 6 = 50%.

    Ana and Ben, over 6 shared claims: alike on 1, 2, 3, 5, 6, so p_o = 5/6.
        Ana gave C 4 times, D 2; Ben C 3, D 3.
        p_e = (4/6)(3/6) + (2/6)(3/6) = 12/36 + 6/36 = 1/2
        kappa = (5/6 - 1/2) / (1 - 1/2) = (1/3) / (1/2) = 2/3, shown as 0.67.
    Ana and Cy: alike on 1, 3, 4, 6, so p_o = 4/6 = 2/3.
        Ana C 4, D 2; Cy C 4, D 2.
        p_e = (4/6)(4/6) + (2/6)(2/6) = 16/36 + 4/36 = 5/9
        kappa = (2/3 - 5/9) / (1 - 5/9) = (1/9) / (4/9) = 1/4, shown as 0.25.
    Ben and Cy: alike on 1, 3, 6, so p_o = 3/6 = 1/2.
        Ben C 3, D 3; Cy C 4, D 2.
        p_e = (3/6)(4/6) + (3/6)(2/6) = 12/36 + 6/36 = 1/2
        kappa = (1/2 - 1/2) / (1 - 1/2) = 0, shown as 0.00.
    Dee shares 2 claims with each of the others: three pairs under the minimum of 5, left out.
    """
    settings.FACTCHECK_AGREEMENT_MIN_SHARED = 5
    c, d, u = ReviewState.CORROBORATED, ReviewState.DISPUTED, ReviewState.UNVERIFIED
    ana, ben, cy, dee = judges["ana"], judges["ben"], judges["cy"], judges["dee"]
    claims = {number: ClaimFactory(text=f"Claim {number}") for number in range(1, 7)}
    table = {1: (c, c, c), 2: (c, c, d), 3: (d, d, d), 4: (c, d, c), 5: (d, d, c), 6: (c, c, c)}
    for number, states in table.items():
        if number == 4:
            judge(claims[4], cy, d, november(6, 8), ProposalStatus.WITHDRAWN)
        for hour, reviewer, state in zip((9, 10, 11), (ana, ben, cy), states, strict=True):
            returned = number == 2 and reviewer == ana
            status = ProposalStatus.RETURNED if returned else ProposalStatus.PENDING
            judge(claims[number], reviewer, state, november(number + 2, hour), status)
    judge(claims[2], ana, d, november(5, 9))  # after her first, and after seeing the others'
    judge(claims[1], dee, c, november(3, 15))
    judge(claims[2], dee, u, november(4, 15))
    return claims


# Admin ------------------------------------------------------------------------------------------


@pytest.fixture
def staff_editor(editor):
    editor.is_staff = True
    editor.save(update_fields=["is_staff"])
    return editor


@pytest.fixture
def editor_client(client, staff_editor):
    client.force_login(staff_editor)
    return client


@pytest.fixture
def staff_reviewer(reviewer):
    reviewer.is_staff = True
    reviewer.save(update_fields=["is_staff"])
    return reviewer


@pytest.fixture
def evidence(claim, editor):
    """A supporting link on ``claim``."""
    return add_evidence(claim, editor, url="https://evidence.example/report")


# Browser tests ------------------------------------------------------------------------------------


def _find_chromium() -> str | None:
    candidates = [
        os.environ.get("CHROMIUM_PATH"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        "/usr/lib/chromium/chromium",
    ]
    return next((path for path in candidates if path and os.access(path, os.X_OK)), None)


CHROMIUM = _find_chromium()
FACTORY_PASSWORD = "pw"  # every user from tests/factories.py
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
PHONE, DESKTOP = 390, 1280

# What a browser test module sets as its ``pytestmark``: Chromium or a skip that says how to get
# it; committed data, since the live server answers from another thread; and the role groups
# put back after every flush.
BROWSER_TEST = [
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no Chromium found: install it (apt-get install chromium) "
        "or set CHROMIUM_PATH to a Chromium or Chrome executable",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("roles_after_flush", "roles_outlive_module"),
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """Pages open by path on the live server (replaces pytest-playwright's --base-url)."""
    return live_server.url


@pytest.fixture
def roles_after_flush(transactional_db):
    restore_roles()


@pytest.fixture(scope="module")
def roles_outlive_module(django_db_setup, django_db_blocker):
    """Leave the roles in place after the last flush, for the tests that run after these.

    Closes its connection too: left open, it would stop the test database from being dropped.
    """
    yield
    with django_db_blocker.unblock():
        restore_roles()
        connections.close_all()


def open_browser_page(browser, browser_context_args, width: int = DESKTOP, **options):
    """A page in a fresh browser context at ``width`` (phone height at the phone's width)."""
    context = browser.new_context(
        **browser_context_args,
        viewport={"width": width, "height": 844 if width == PHONE else 900},
        **options,
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def log_in_page(page, user, password: str | None = None) -> None:
    """Sign in through the real login form (``user`` or a user name); a reviewer lands on
    My queue, everyone else on the claim queue."""
    import re

    from playwright.sync_api import expect

    page.goto("/login/")
    page.get_by_label("Username").fill(getattr(user, "username", user))
    page.get_by_label("Password").fill(password or FACTORY_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    landing = re.compile(r"^(Claim queue|My queue)$")
    expect(page.get_by_role("heading", name=landing)).to_be_visible()


def load_screenshot_desk() -> Claim:
    """The demo desk plus two claims for the screenshots: one with a long text and overdue, one
    due in five days; returns the claim with the longest history."""
    from django.contrib.auth import get_user_model

    from claims.demo.data import DEMO_EDITOR

    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    users = {u.username: u for u in get_user_model().objects.all()}
    source = SourceFactory(title="Council budget hearing, video record", outlet="City council")
    for text, claimant, due in (
        (
            "The council's transport budget for next year is the largest in its history, at "
            "more than 1.2 billion in spending on buses, trams, cycle lanes and road repairs "
            "across all twelve districts of the city.",
            "Councillor Beatriz Fernández-Oyelaran",
            -3,
        ),
        ("Tram ridership doubled after fares were cut.", "Transport authority", 5),
    ):
        claim = services.claim_create(
            actor=users[DEMO_EDITOR],
            text=text,
            claimant=claimant,
            appearances=[services.AppearanceInput(source, text[:60])],
        )
        services.reviewer_assign(
            actor=users[DEMO_EDITOR],
            claim=claim,
            reviewer=users["reviewer2"],
            due_on=timezone.localdate() + datetime.timedelta(days=due),
        )
    return Claim.objects.order_by("-audit_length", "pk").first()


# Task backends --------------------------------------------------------------------------------

REDIS_URL = os.environ.get("FACTCHECK_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


@pytest.fixture
def database_backend(settings):
    """Tasks wait in the test database (django-tasks-db), as with TASKS_URL=database."""
    settings.TASKS = tasks_settings("database")["TASKS"]


@pytest.fixture
def redis_connection():
    """The tests' Redis database, emptied before and after; unreachable Redis fails the test."""
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(
            f"Redis is not reachable at {REDIS_URL} ({exc}). Tests marked 'redis' need it: "
            "start it with 'redis-server --daemonize yes' (python3 dev.py test does), or point "
            "FACTCHECK_TEST_REDIS_URL at one.",
            pytrace=False,
        )
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


@pytest.fixture
def rq_backend(settings, redis_connection):
    """Tasks wait in Redis (django-tasks-rq), as with TASKS_URL=redis://..."""
    for name, value in tasks_settings(REDIS_URL).items():
        setattr(settings, name, value)
    return redis_connection
