"""The demo desk (claims.demo.desk, load_demo): real, verifiable history, safe to load twice."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.utils import timezone

from claims import services
from claims.audit.actions import AuditAction
from claims.audit.chain import verify_chain
from claims.demo import data as demo_data
from claims.demo.desk import load_demo_desk
from claims.models import (
    AssignmentStatus,
    AuditEvent,
    Claim,
    Evidence,
    ReviewState,
    Source,
    Stance,
)
from claims.permissions import EDITORS_GROUP
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEMO_TEXTS = [demo_claim.text for demo_claim in demo_data.CLAIMS]


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out, stderr=StringIO())
    return out.getvalue()


def demo_claims():
    return Claim.objects.filter(text__in=DEMO_TEXTS).order_by("pk")


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def audit_trail() -> list[tuple[str, str, int]]:
    return list(
        AuditEvent.objects.order_by("claim_id", "sequence").values_list(
            "claim__text", "action", "sequence"
        )
    )


def test_load_demo_creates_claims_in_every_state():
    load_demo()

    states = {claim.state for claim in demo_claims()}
    assert demo_claims().count() == len(demo_data.CLAIMS) >= 8
    assert states == set(ReviewState.values)
    assert Source.objects.count() == len(demo_data.SOURCES)


def test_load_demo_creates_a_user_in_each_role_group():
    output = load_demo()

    for demo_user in demo_data.DEMO_USERS:
        user = get_user_model().objects.get(username=demo_user.username)
        assert list(user.groups.values_list("name", flat=True)) == [demo_user.role]
        assert user.is_staff == (demo_user.role == EDITORS_GROUP)
        assert user.check_password(demo_user.password)
        assert f"{demo_user.username} / {demo_user.password} / {demo_user.role}" in output


def test_load_demo_with_signoff_on_has_every_verdict_signed_off_by_a_second_editor(settings):
    """The demo as ``dev.py serve`` loads it: each verdict proposed, then signed off by an
    editor other than its proposer; the reopened claim's withdrawal is a public correction."""
    from claims.models import Proposal, ProposalStatus, Publication

    settings.FACTCHECK_SIGNOFF = True
    load_demo()

    verdicts = demo_claims().exclude(state=ReviewState.UNVERIFIED)
    assert verdicts.exists()
    for claim in verdicts:
        assert claim.published_at is not None
        events = claim.audit_events.order_by("sequence")
        assert verify_chain(claim.pk, events, (claim.audit_length, claim.audit_head)) is None
        assert not events.filter(action=AuditAction.CLAIM_STATE_CHANGED).exists()
    publications = Publication.objects.filter(claim__in=demo_claims())
    assert publications.count() >= verdicts.count()
    assert all(p.approved_by_id != p.proposed_by_id for p in publications)
    [correction] = publications.filter(is_correction=True)
    assert correction.state == ReviewState.UNVERIFIED
    assert correction.correction_note.startswith("We withdrew this verdict")
    # What sign-off looks like on a working desk: one waiting, one returned, and an
    # independent review whose reviewers disagree.
    proposals = Proposal.objects.filter(claim__in=demo_claims())
    assert proposals.filter(status=ProposalStatus.PENDING, independent=False).count() == 1
    [returned] = proposals.filter(status=ProposalStatus.RETURNED)
    assert "named source" in returned.decision_note
    [independent] = demo_claims().filter(independent_review=True)
    judged = proposals.filter(claim=independent, status=ProposalStatus.PENDING)
    assert sorted(judged.values_list("state", flat=True)) == ["corroborated", "disputed"]
    assert independent.signoff_waiting_since is not None
    load_demo()  # and a second load adds nothing
    assert Proposal.objects.filter(claim__in=demo_claims()).count() == proposals.count()


def test_load_demo_audit_chains_verify():
    load_demo()

    for claim in demo_claims():
        events = claim.audit_events.order_by("sequence")
        assert verify_chain(claim.pk, events, (claim.audit_length, claim.audit_head)) is None
        assert claim.audit_length == claim.version


def test_load_demo_states_rest_on_standing_evidence():
    load_demo()

    for claim in demo_claims():
        standing = claim.evidence.standing()
        assert claim.supporting_count == standing.filter(stance=Stance.SUPPORTS).count()
        assert claim.contradicting_count == standing.filter(stance=Stance.CONTRADICTS).count()
        if claim.state == ReviewState.CORROBORATED:
            assert claim.supporting_count > 0
        if claim.state == ReviewState.DISPUTED:
            assert claim.contradicting_count > 0
        if claim.state != ReviewState.UNVERIFIED:
            assert claim.rationale


def test_load_demo_has_a_claim_one_source_supports_and_the_other_contradicts():
    load_demo()
    source_urls = {source.url for source in Source.objects.all()}

    def standing_urls(claim, stance):
        return set(claim.evidence.standing().filter(stance=stance).values_list("url", flat=True))

    split = [
        claim
        for claim in demo_claims()
        if len(standing_urls(claim, Stance.SUPPORTS) & source_urls) == 1
        and len(standing_urls(claim, Stance.CONTRADICTS) & source_urls) == 1
        and standing_urls(claim, Stance.SUPPORTS) != standing_urls(claim, Stance.CONTRADICTS)
    ]
    assert split


def test_load_demo_has_history_to_show():
    load_demo()

    retracted = Evidence.objects.filter(retracted_at__isnull=False)
    assert retracted.exists()
    assert all(evidence.retraction_reason for evidence in retracted)
    statuses = set(demo_claims().values_list("assignments__status", flat=True))
    assert {AssignmentStatus.OPEN, AssignmentStatus.DONE, AssignmentStatus.WITHDRAWN} <= statuses
    reopens = AuditEvent.objects.filter(
        action=AuditAction.CLAIM_STATE_CHANGED, data__new__state=ReviewState.UNVERIFIED
    )
    assert reopens.exists()


def test_load_demo_lays_its_history_over_past_weeks():
    before = timezone.now()
    load_demo()
    today = timezone.localdate()

    created = {claim.created_at for claim in demo_claims()}
    assert min(created) < before - datetime.timedelta(days=70)
    assert max(created) > before - datetime.timedelta(days=7)
    weeks = {moment.isocalendar()[:2] for moment in created}
    assert len(weeks) >= 8
    # Every event at or after its claim's creation, in the past, in chain order.
    for claim in demo_claims():
        times = list(
            AuditEvent.objects.filter(claim_id=claim.pk)
            .order_by("sequence")
            .values_list("created_at", flat=True)
        )
        assert times[0] == claim.created_at
        assert times == sorted(times)
        assert times[-1] < before
        assert claim.updated_at == times[-1]
    # What a desk's dashboard lives on: a verdict days after its claim, one this week, an
    # overdue review and an unverified claim left idle.
    verdicts = demo_claims().filter(first_verdict_at__isnull=False)
    assert any(c.first_verdict_at - c.created_at > datetime.timedelta(days=1) for c in verdicts)
    assert any(c.first_verdict_at > before - datetime.timedelta(days=7) for c in verdicts)
    assert demo_claims().filter(next_due_on__lt=today).exists()
    idle_since = before - datetime.timedelta(days=14)
    assert demo_claims().filter(state=ReviewState.UNVERIFIED, updated_at__lt=idle_since).exists()


def test_load_demo_twice_changes_nothing():
    load_demo()
    counts, trail = row_counts(), audit_trail()

    output = load_demo()

    assert row_counts() == counts
    assert audit_trail() == trail
    assert "already loaded" in output


def test_load_demo_desk_counts_what_it_created_then_what_was_there():
    first = load_demo_desk()
    again = load_demo_desk()

    assert [(tally.what, tally.created, tally.present) for tally in first.tallies] == [
        ("users", len(demo_data.DEMO_USERS), 0),
        ("sources", len(demo_data.SOURCES), 0),
        ("claims", len(demo_data.CLAIMS), 0),
    ]
    assert first.changed
    assert not again.changed
    assert all(tally.present == tally.total for tally in again.tallies)


def test_load_demo_does_not_print_a_password_that_was_changed():
    load_demo()
    editor = get_user_model().objects.get(username=demo_data.DEMO_EDITOR)
    editor.set_password("no longer the demo's")
    editor.save()

    output = load_demo()

    editor_login = next(line for line in output.splitlines() if line.startswith("  editor / "))
    assert "(not the demo password" in editor_login
    assert "reviewer / demo-desk-reviewer / " in output


def test_every_demo_password_passes_the_password_validators():
    """A demo user who changes their password meets the same rules (AUTH_PASSWORD_VALIDATORS:
    not like the username or name, long enough, not common, not all digits)."""
    load_demo()
    for demo_user in demo_data.DEMO_USERS:
        user = get_user_model().objects.get(username=demo_user.username)
        validate_password(demo_user.password, user)  # raises ValidationError, naming the rule
        assert user.check_password(demo_user.password)


def test_load_demo_leaves_other_data_alone(claim):
    before = Claim.objects.get(pk=claim.pk)
    other_source = claim.sources.get()

    load_demo()

    after = Claim.objects.get(pk=claim.pk)
    assert (after.version, after.audit_length, after.audit_head) == (
        before.version,
        before.audit_length,
        before.audit_head,
    )
    assert Source.objects.get(pk=other_source.pk).title == other_source.title
    assert Claim.objects.count() == len(demo_data.CLAIMS) + 1


def test_load_demo_refuses_to_adopt_an_account_outside_its_role():
    UserFactory(username=demo_data.DEMO_USERS[-1].username)

    with pytest.raises(CommandError, match="not in the"):
        load_demo()

    assert not Claim.objects.exists()
    assert not get_user_model().objects.filter(username=demo_data.DEMO_EDITOR).exists()


def test_load_demo_leaves_nothing_behind_when_it_fails(monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "reviewer_withdraw", fail)

    with pytest.raises(RuntimeError):
        load_demo()

    assert not Claim.objects.exists()
    assert not Source.objects.exists()
    assert not AuditEvent.objects.exists()
    assert not get_user_model().objects.filter(username=demo_data.DEMO_EDITOR).exists()


def test_load_demo_starts_discussions_with_a_mention_and_a_link():
    from claims.models import Comment

    load_demo()

    comments = Comment.objects.filter(claim__in=demo_claims())
    assert comments.count() == 3
    assert comments.filter(mentions__username="chief").exists()
    assert comments.filter(text__contains="https://").exists()
    added = AuditEvent.objects.filter(action=AuditAction.COMMENT_ADDED)
    assert sorted(added.values_list("data__comment_id", flat=True)) == sorted(
        comments.values_list("pk", flat=True)
    )
