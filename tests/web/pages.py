"""The desk's main pages, each rendered as the role that sees it, over a desk with something in
every panel: for the tests that read whole pages (translation, HTML validity).

``build_desk`` writes the rows through the services; ``render_pages`` fetches every page with
Django's test client and returns its HTML by name.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import CharField, TextField
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from claims import clock, services
from claims.mentions import MENTION
from claims.models import (
    Appearance,
    Assignment,
    AuditEvent,
    Claim,
    Comment,
    CommentRevision,
    Evidence,
    Proposal,
    ProposalStatus,
    Publication,
    ReviewState,
    Source,
    Stance,
)
from claims.twofactor import services as twofactor_services
from claims.twofactor.qr import secret_for_typing
from tests.conftest import FACTORY_PASSWORD, add_evidence, change_state
from tests.factories import (
    EditorFactory,
    ReviewerFactory,
    SourceFactory,
    UserFactory,
    ViewerFactory,
)
from tests.twofactor.conftest import app_code, enrol


@dataclass
class Desk:
    editor: object
    reviewer: object
    other_reviewer: object
    viewer: object
    admin: object
    claim: Claim  # corroborated, with evidence both ways, a retraction and three reviewers
    disputed: Claim
    idle: Claim  # unverified and unchanged for a month
    waiting: Claim  # a verdict proposed by the reviewer, waiting for sign-off
    judged: Claim  # an independent review both reviewers have judged, differently
    half_judged: Claim  # an independent review only the reviewer has judged
    assignments: dict = field(default_factory=dict)


def _assign(claim, actor, reviewer, due_on=None) -> Assignment:
    claim.refresh_from_db()
    services.reviewer_assign(actor=actor, claim=claim, reviewer=reviewer, due_on=due_on)
    claim.refresh_from_db()
    return claim.assignments.get(reviewer=reviewer, status="open")


def _signed_off(editor, reviewer, source) -> Claim:
    """A verdict proposed by the reviewer and signed off by the editor, for the dashboard's
    stage times (the rest of the desk runs without sign-off, as the tests do)."""
    claim = services.claim_create(
        actor=editor,
        text="The strike was on 3 January 2020",
        claimant="Pentagon",
        appearances=[services.AppearanceInput(source, "early on 3 January")],
    )
    _assign(claim, editor, reviewer)
    add_evidence(claim, reviewer, Stance.SUPPORTS, url="https://www.defense.gov/timeline")
    with override_settings(FACTCHECK_SIGNOFF=True):
        proposal = services.verdict_propose(
            actor=reviewer,
            claim=claim,
            expected_version=claim.version,
            state=ReviewState.CORROBORATED,
            rationale="The timeline gives the date.",
        )
        services.verdict_sign_off(actor=editor, proposal=proposal)
    return claim


def build_desk() -> Desk:
    """Claims in every state, evidence for and against (one retracted), open, done and withdrawn
    reviews (one overdue), a verdict signed off, an idle claim and enough claims for the queue's
    second page."""
    editor = EditorFactory(username="edna", first_name="Edna", last_name="Editor")
    reviewer = ReviewerFactory(username="rita", first_name="Rita", last_name="Reviewer")
    other = ReviewerFactory(username="omar", first_name="Omar", last_name="Other")
    viewer = ViewerFactory(username="vic", first_name="Vic", last_name="Viewer")
    admin = UserFactory(
        username="root", first_name="Ada", last_name="Admin", is_staff=True, is_superuser=True
    )
    axios = SourceFactory(
        title="Axios scoop",
        url="https://www.axios.com/scoop",
        outlet="Axios",
        author="Barak Ravid",
        published_on=datetime.date(2020, 1, 4),
    )
    post = SourceFactory(
        title="Evening Post piece",
        url="",
        outlet="Evening Post",
        author="Jo Writer",
        published_on=None,
    )
    claim = services.claim_create(
        actor=editor,
        text="Israel withdrew the night before",
        claimant="Donald Trump",
        claimed_on=datetime.date(2020, 1, 5),
        appearances=[
            services.AppearanceInput(axios, "Israel will not be participating"),
            services.AppearanceInput(post, "They backed out late"),
        ],
    )
    add_evidence(
        claim,
        editor,
        Stance.SUPPORTS,
        url="https://www.defense.gov/statement",
        title="Pentagon statement",
        publisher="US DoD",
        excerpt="The operation went ahead without partners",
        note="Official record",
    )
    gone = add_evidence(claim, editor, Stance.SUPPORTS, url="https://blog.example/post")
    claim.refresh_from_db()
    services.evidence_retract(actor=editor, evidence=gone, reason="Page taken down")
    past = timezone.localdate() - datetime.timedelta(days=3)
    overdue = _assign(claim, editor, reviewer, due_on=timezone.localdate() + datetime.timedelta(1))
    Assignment.objects.filter(pk=overdue.pk).update(due_on=past)
    add_evidence(
        claim,
        reviewer,
        Stance.CONTRADICTS,
        url="https://www.knesset.gov.il/record",
        title="Knesset record",
        publisher="Knesset",
    )
    done = _assign(claim, editor, other)
    claim.refresh_from_db()
    services.reviewer_complete(actor=other, assignment=done, note="Checked both")
    substitute = ReviewerFactory(username="wes", first_name="Wes", last_name="Substitute")
    withdrawn = _assign(claim, editor, substitute)
    claim.refresh_from_db()
    services.reviewer_withdraw(actor=editor, assignment=withdrawn, reason="On leave")
    _discuss(claim, editor, reviewer, other)  # before the move: "claim page, conflict" is on it
    claim = change_state(claim, editor, ReviewState.CORROBORATED, "Two reports agree")

    disputed = services.claim_create(
        actor=editor,
        text="Drones fired Hellfire missiles",
        claimant="Evening Post",
        appearances=[services.AppearanceInput(post, "Hellfire missiles were fired")],
    )
    add_evidence(disputed, editor, Stance.CONTRADICTS, url="https://www.reuters.com/x")
    add_evidence(disputed, editor, Stance.SUPPORTS, url="https://apnews.com/x")
    disputed = change_state(disputed, editor, ReviewState.DISPUTED, "Reuters says otherwise")
    # Two corrections of the published verdict: one on a one-person desk, one signed off.
    disputed = change_state(
        disputed,
        editor,
        ReviewState.DISPUTED,
        "Reuters and AP say otherwise",
        correction_note="We first cited Reuters alone; AP's report agrees with it.",
    )
    with override_settings(FACTCHECK_SIGNOFF=True):
        proposal = services.verdict_propose(
            actor=editor,
            claim=disputed,
            expected_version=disputed.version,
            state=ReviewState.DISPUTED,
            rationale="Reuters, AP and the ministry say otherwise",
            correction_note="The ministry's statement, published since, says the same.",
        )
        services.verdict_sign_off(actor=admin, proposal=proposal)
    disputed.refresh_from_db()
    _assign(disputed, editor, other, due_on=timezone.localdate() + datetime.timedelta(days=9))

    _signed_off(editor, reviewer, post)

    idle = services.claim_create(
        actor=editor,
        text="Pence praised the part Israel played",
        claimant="Former official",
        appearances=[services.AppearanceInput(axios, "praised the part")],
    )
    month_ago = timezone.now() - datetime.timedelta(days=30)
    Claim.objects.filter(pk=idle.pk).update(updated_at=month_ago, created_at=month_ago)
    fillers = [
        services.claim_create(
            actor=editor,
            text=f"Filler claim {number}",
            claimant="A minister",
            appearances=[services.AppearanceInput(post, "as quoted")],
        )
        for number in range(1, 11)
    ]
    # A published verdict corrected once, and a verdict waiting for sign-off.
    disputed = change_state(
        disputed,
        editor,
        ReviewState.DISPUTED,
        "Reuters and the Pentagon say otherwise",
        correction_note="We added the Pentagon's account, which we had missed.",
    )
    waiting = fillers[0]
    add_evidence(waiting, editor, Stance.SUPPORTS, url="https://records.example/minister")
    _assign(waiting, editor, reviewer)
    waiting.refresh_from_db()
    with override_settings(FACTCHECK_SIGNOFF=True):
        services.verdict_propose(
            actor=reviewer,
            claim=waiting,
            expected_version=waiting.version,
            state=ReviewState.CORROBORATED,
            rationale="The minister's own records agree.",
        )
        # Independent reviews: one both reviewers have judged, one only Rita has.
        judged, half = fillers[1], fillers[2]
        for independent in (judged, half):
            add_evidence(independent, editor, Stance.SUPPORTS)
            add_evidence(independent, editor, Stance.CONTRADICTS)
            for who in (reviewer, other):
                _assign(independent, editor, who)
            services.claim_set_review_mode(actor=editor, claim=independent, independent=True)
        for claim_, who, state, why in (
            (judged, reviewer, ReviewState.CORROBORATED, "The ministry's table agrees."),
            (judged, other, ReviewState.DISPUTED, "The table was revised in March."),
            (half, reviewer, ReviewState.DISPUTED, "No record supports it."),
        ):
            claim_.refresh_from_db()
            services.verdict_propose(
                actor=who,
                claim=claim_,
                expected_version=claim_.version,
                state=state,
                rationale=why,
            )
    half.refresh_from_db()
    services.comment_add(actor=other, claim=half, text="Omar's blind note, kept from Rita")
    services.desk_preferences_update(actor=admin, queue_density="compact")

    _judge_blind(fillers[3:9], editor, reviewer, other, substitute)
    _two_factor(admin, viewer)
    # A sign-in paused for "locked" from the test client's address (claims/signin/lockout.py).
    AccessAttempt.objects.create(
        username="locked",
        ip_address="127.0.0.1",
        user_agent="",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        attempt_time=timezone.now(),
    )
    return Desk(
        editor=editor,
        reviewer=reviewer,
        other_reviewer=other,
        viewer=viewer,
        admin=admin,
        claim=Claim.objects.get(pk=claim.pk),
        disputed=disputed,
        idle=Claim.objects.get(pk=idle.pk),
        waiting=Claim.objects.get(pk=waiting.pk),
        judged=Claim.objects.get(pk=judged.pk),
        half_judged=Claim.objects.get(pk=half.pk),
        assignments={"overdue": overdue, "done": done, "withdrawn": withdrawn},
    )


def _discuss(claim, editor, reviewer, other) -> None:
    """A discussion with something of every kind: a mention and a link, an edited comment,
    a hidden one, and one of Rita's past its edit window (a disabled Edit with its reason)."""
    past = timezone.now() - datetime.timedelta(minutes=40)
    with clock.replaying(past):
        services.comment_add(actor=reviewer, claim=claim, text="The Knesset record is in Hebrew.")
    services.comment_add(
        actor=editor, claim=claim, text="@omar can you read it? https://www.knesset.gov.il/record"
    )
    edited = services.comment_add(actor=other, claim=claim, text="I can, tomorrow.")
    services.comment_edit(actor=other, comment=edited, text="I can, today.")
    hidden = services.comment_add(actor=reviewer, claim=claim, text="Call my cousin on this.")
    services.comment_hide(actor=editor, comment=hidden, reason="Not for the record.")


def _two_factor(admin, viewer) -> None:
    """Ada signs in with an authenticator app; Vic has begun to set one up."""
    enrol(admin)
    twofactor_services.totp_enrolment_start(actor=viewer)


def _judge_blind(claims, editor, reviewer, other, substitute) -> None:
    """More independent reviews for the dashboard's agreement figures, as rows (their
    proposals returned, so no claim waits on them): Rita and Omar judge six claims and disagree
    on the third; Edna judges five and always says corroborated (a kappa that cannot be
    computed); Wes judges one, too few to compare."""
    c, d = ReviewState.CORROBORATED, ReviewState.DISPUTED
    judged = timezone.now() - datetime.timedelta(days=2)
    judgements = [
        (reviewer, (c, c, c, c, c, d)),
        (other, (c, c, d, c, c, d)),
        (editor, (c, c, c, c, c)),
        (substitute, (None, None, None, None, None, d)),
    ]
    for minutes, (person, states) in enumerate(judgements):
        for claim, state in zip(claims, states, strict=False):
            if state is None:
                continue
            Proposal.objects.create(
                claim=claim,
                proposed_by=person,
                proposed_at=judged + datetime.timedelta(minutes=minutes),
                from_state=claim.state,
                based_on_version=claim.version,
                state=state,
                rationale="Judged blind.",
                independent=True,
                status=ProposalStatus.RETURNED,
                decided_by=editor,
                decided_at=judged + datetime.timedelta(hours=1),
                decision_note="Compared with the other reviewers'.",
            )


@dataclass
class Page:
    name: str
    user: str | None  # a Desk attribute, or None for nobody signed in
    path: str
    data: dict | None = None  # POSTed when given
    status: int = 200
    htmx_target: str = ""
    follow: bool = False  # a POST's redirect followed: the page as shown after the action
    signoff: bool = False  # shown on a desk with sign-off on (the tests' default is off)


def main_pages(desk: Desk) -> list[Page]:
    """Every page of the desk worth reading, as the role that sees it, with its expected status."""
    claim, pk = desk.claim, desk.claim.pk
    detail = reverse("claims:detail", args=[pk])
    stale = claim.version - 1
    return [
        Page("login", None, reverse("login")),
        Page("login refused", None, reverse("login"), {"username": "edna", "password": "no"}),
        # Public, without signing in (claims/web/views/verification.py).
        Page("verify a verdict", None, reverse("claims:verify")),
        Page(
            "verify a verdict, bad number", None, reverse("claims:verify") + "?claim=x", status=404
        ),
        Page("a verdict's history checked", None, reverse("claims:verify_claim", args=[pk])),
        Page("queue", "editor", reverse("claims:list")),
        Page("queue, second page", "editor", reverse("claims:list") + "?per_page=10&page=2"),
        Page("queue, nothing found", "viewer", reverse("claims:list") + "?q=zzzqqq"),
        Page(
            "queue results (htmx)",
            "editor",
            reverse("claims:list") + "?state=corroborated",
            htmx_target="queue-results",
        ),
        Page("queue, compact", "admin", reverse("claims:list") + "?sort=due"),
        Page(
            "queue, bulk action refused",
            "editor",
            reverse("claims:list") + "?sort=claimant",
            {
                "claim": [f"{desk.idle.pk}:{desk.idle.version}"],
                "action": "state",
                "state": ReviewState.CORROBORATED,
            },
            status=422,
        ),
        Page("claim page, editor", "editor", detail),
        Page("claim page, reviewer", "reviewer", detail),
        Page("claim page, viewer", "viewer", detail),
        Page("claim page, unverified", "editor", reverse("claims:detail", args=[desk.idle.pk])),
        Page("claim page, disputed", "editor", reverse("claims:detail", args=[desk.disputed.pk])),
        Page(
            "claim page, conflict",
            "editor",
            reverse("claims:state_change", args=[pk]),
            {
                "state-state": ReviewState.DISPUTED,
                "state-rationale": "Decided before the claim was corroborated.",
                "state-correction_note": "A later record contradicts the first.",
                "state-expected_version": stale,
            },
            status=409,
        ),
        Page(
            "claim page, invalid input",
            "editor",
            reverse("claims:state_change", args=[pk]),
            {"state-expected_version": claim.version},
            status=422,
        ),
        Page(
            "claim page, after adding a link",
            "reviewer",
            reverse("claims:evidence_add", args=[pk, Stance.SUPPORTS]),
            {  # a new address each time the pages are built: a second one is no duplicate
                "supports-url": f"https://pages.example/after-an-action/{Evidence.objects.count()}",
                "supports-stance": Stance.SUPPORTS,
            },
            follow=True,
        ),
        Page(
            "claim page, waiting for sign-off",
            "editor",
            reverse("claims:detail", args=[desk.waiting.pk]),
            signoff=True,
        ),
        Page(
            "claim page, the proposer's view",
            "reviewer",
            reverse("claims:detail", args=[desk.waiting.pk]),
            signoff=True,
        ),
        Page(
            "claim page, a correction to propose",
            "editor",
            reverse("claims:detail", args=[desk.disputed.pk]),
            signoff=True,
        ),
        Page(
            "claim page, an independent review to decide",
            "editor",
            reverse("claims:detail", args=[desk.judged.pk]),
            signoff=True,
        ),
        Page(
            "claim page, judging blind",
            "other_reviewer",
            reverse("claims:detail", args=[desk.half_judged.pk]),
            signoff=True,
        ),
        Page(
            "claim page, after adding a comment",
            "reviewer",
            reverse("claims:comment_add", args=[pk]),
            {"comment-text": "Checked: @edna, see https://www.knesset.gov.il/record."},
            follow=True,
        ),
        Page(
            "claim page, an empty comment refused",
            "reviewer",
            reverse("claims:comment_add", args=[pk]),
            {"comment-text": " "},
            status=422,
        ),
        Page("review packet", "editor", reverse("claims:review_packet", args=[pk])),
        Page(
            "review packet, judging blind",
            "reviewer",
            reverse("claims:review_packet", args=[desk.half_judged.pk]),
            signoff=True,
        ),
        Page(
            "mention search (htmx)",
            "editor",
            reverse("claims:mention_search") + "?q=Re",
            htmx_target="mention-results",
        ),
        Page(
            "mention search, nobody found (htmx)",
            "viewer",
            reverse("claims:mention_search") + "?q=zzz",
            htmx_target="mention-results",
        ),
        Page("new claim", "editor", reverse("claims:create")),
        Page("new claim, invalid input", "editor", reverse("claims:create"), {}, status=422),
        Page("edit claim", "editor", reverse("claims:edit", args=[pk])),
        Page(
            "edit claim, conflict",
            "editor",
            reverse("claims:edit", args=[pk]),
            {
                "text": "Israel withdrew early",
                "claimant": "Donald Trump",
                "reason": "Closer to the quote.",
                "expected_version": stale,
                "appearances-TOTAL_FORMS": 1,
                "appearances-INITIAL_FORMS": 1,
                "appearances-0-source": claim.appearances.first().source_id,
                "appearances-0-quote": "Israel will not be participating",
            },
            status=409,
        ),
        Page("new source", "editor", reverse("claims:source_create")),
        Page("dashboard", "editor", reverse("claims:dashboard")),
        Page("corrections", "viewer", reverse("claims:corrections")),
        Page(
            "corrections, mistyped date",
            "editor",
            reverse("claims:corrections") + "?corrected_from=2024-13-01&corrected_to=2999-12-31",
        ),
        Page(
            "corrections, none found",
            "reviewer",
            reverse("claims:corrections") + "?corrected_from=2000-01-01&corrected_to=2000-01-02",
        ),
        Page(
            "dashboard, a period that ends before it starts",
            "editor",
            reverse("claims:dashboard") + "?since=2026-11-08&until=2026-11-02",
        ),
        Page("slowest claims", "editor", reverse("claims:stage_slowest", args=["publication"])),
        Page(
            "slowest claims of one proposer",
            "editor",
            reverse("claims:stage_slowest", args=["signoff"]) + f"?reviewer={desk.reviewer.pk}",
        ),
        Page("disagreements", "editor", reverse("claims:disagreements")),
        Page(
            "disagreements of a pair",
            "editor",
            reverse("claims:disagreements") + f"?a={desk.reviewer.pk}&b={desk.other_reviewer.pk}",
        ),
        Page(
            "disagreements, a pair given wrongly",
            "editor",
            reverse("claims:disagreements") + f"?a={desk.reviewer.pk}",
            status=400,
        ),
        Page("my queue", "reviewer", reverse("claims:my_queue")),
        Page("inbox", "reviewer", reverse("claims:inbox")),
        Page("inbox, empty", "viewer", reverse("claims:inbox")),
        Page("settings", "reviewer", reverse("claims:settings")),
        Page(
            "settings refused",
            "reviewer",
            reverse("claims:settings"),
            {"assigned": "carrier-pigeon"},
            status=422,
        ),
        Page("password change", "reviewer", reverse("claims:password_change")),
        Page(
            "password change refused",
            "reviewer",
            reverse("claims:password_change"),
            {"old_password": "no", "new_password1": "one", "new_password2": "two"},
            status=422,
        ),
        Page("password reset", None, reverse("password_reset")),
        Page(
            "password reset refused", None, reverse("password_reset"), {"email": "no"}, status=422
        ),
        Page(
            "password reset sent",
            None,
            reverse("password_reset"),
            {"email": "nobody@desk.example"},
            follow=True,
        ),
        Page(
            "password reset, a link that no longer works",
            None,
            reverse("password_reset_confirm", args=["MQ", "set-password"]),
        ),
        Page("password set", None, reverse("password_reset_complete")),
        Page(
            "sign-in paused",
            None,
            reverse("login"),
            {"username": "locked", "password": "no"},
            status=429,
        ),
        Page("my queue, empty", "viewer", reverse("claims:my_queue")),
        *_two_factor_pages(desk),
        Page("not allowed", "viewer", reverse("claims:create"), status=403),
        Page("not found", "editor", "/claims/999999999/", status=404),
        Page("report", "editor", reverse("claims:export", args=["html"])),
        Page(
            "admin bulk action",
            "admin",
            reverse("admin:claims_claim_changelist"),
            {"action": "change_state", "_selected_action": [pk, desk.disputed.pk]},
        ),
        # Last: it changes a claim, which the pages above show as built.
        Page(
            "queue after a bulk action",
            "editor",
            reverse("claims:list") + "?sort=claimant",
            {
                "claim": [f"{c.pk}:{c.version}" for c in (claim, desk.idle)],
                "action": "state",
                "state": ReviewState.DISPUTED,
                "rationale": "The Knesset record says otherwise.",
            },
            follow=True,
        ),
    ]


def _two_factor_pages(desk: Desk) -> list[Page]:
    """Two-factor sign-in: off, being set up, a code mistyped, the recovery codes shown once,
    the sign-in's code step, and on, in a session verified with a code."""
    manage = reverse("twofactor:manage")
    confirm = reverse("twofactor:confirm")
    begun = TOTPDevice.objects.get(user=desk.viewer, confirmed=False)
    enrolled = TOTPDevice.objects.get(user=desk.admin, confirmed=True)
    return [
        Page("two-factor, off", "reviewer", manage),
        Page("two-factor, setting up", "viewer", manage),
        Page("two-factor, a code mistyped", "viewer", confirm, {"enrol-code": "12"}, status=422),
        Page(
            "two-factor, recovery codes shown once",
            "viewer",
            confirm,
            {"enrol-code": app_code(begun)},
            status=201,
        ),
        Page(
            "sign-in code",
            None,
            reverse("login"),
            {"username": desk.admin.username, "password": FACTORY_PASSWORD},
            follow=True,
        ),
        Page(
            "two-factor, on",
            "admin",
            reverse("twofactor:sign_in_code"),
            {"code": app_code(enrolled, steps_ahead=1), "next": manage},
            follow=True,
        ),
        Page("settings, two-factor on", "admin", reverse("claims:settings")),
    ]


def render_pages(desk: Desk, pages: list[Page] | None = None) -> Iterator[tuple[Page, str]]:
    """Each page's HTML, fetched by a client signed in as the page's role; checks the status."""
    for page in pages or main_pages(desk):
        client = Client()
        if page.user:
            client.force_login(getattr(desk, page.user))
        headers = {}
        if page.htmx_target:
            headers = {"HX-Request": "true", "HX-Target": page.htmx_target}
        with override_settings(FACTCHECK_SIGNOFF=page.signoff):
            if page.data is None:
                response = client.get(page.path, headers=headers)
            else:
                response = client.post(page.path, page.data, headers=headers, follow=page.follow)
        assert response.status_code == page.status, f"{page.name}: {response.status_code}"
        if response.streaming:
            html = b"".join(response.streaming_content).decode()
        else:
            html = response.content.decode()
        yield page, html


def _two_factor_secrets() -> set[str]:
    """The keys and recovery codes the two-factor pages show: data, not wording."""
    keys = {secret_for_typing(device) for device in TOTPDevice.objects.all()}
    return keys | set(StaticToken.objects.values_list("token", flat=True))


def data_texts() -> set[str]:
    """Every text the desk's rows hold (claims, sources, evidence, people's names): what a page
    shows as data, not as its own wording."""
    texts = set()
    for model in (
        Claim,
        Source,
        Appearance,
        Evidence,
        Assignment,
        AuditEvent,
        Proposal,
        Publication,
        Comment,
    ):
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, CharField | TextField) and not f.choices
        ]
        for row in model.objects.values_list(*fields):
            texts.update(value for value in row if value)
    # A comment is shown in pieces, its mentions and links apart from the words around them.
    for model in (Comment, CommentRevision):
        for text in model.objects.values_list("text", flat=True):
            texts.update(_comment_pieces(text))
    for user in get_user_model().objects.all():
        texts.update(filter(None, (user.username, user.get_full_name(), user.first_name)))
    texts.update(_two_factor_secrets())
    texts.add(settings.FACTCHECK_ORGANIZATION_NAME)
    return texts


def _comment_pieces(text: str) -> set[str]:
    """The runs of a comment's text that a page shows as text nodes of their own."""
    pieces = re.split(rf"{MENTION.pattern}|https?://\S+", text)
    return {" ".join(piece.split()) for piece in pieces if piece and piece.strip()}
