"""Bulk seeding (claims.demo.bulk and stories, seed_bulk): realistic synthetic claims whose rows
keep the services' invariants and whose audit chains verify."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from claims.audit.actions import STATE_MOVES, AuditAction
from claims.demo.bulk import seed_bulk
from claims.models import (
    Appearance,
    Assignment,
    AssignmentStatus,
    AuditEvent,
    Claim,
    Evidence,
    Proposal,
    ProposalStatus,
    Publication,
    ReviewState,
    Source,
    Stance,
)
from claims.permissions import EDITORS_GROUP, REVIEWERS_GROUP
from claims.urlnorm import normalize_url
from tests.conftest import run_verify_audit

pytestmark = pytest.mark.django_db

CLAIMS = 30


def seed(claims=CLAIMS, **options) -> str:
    out = StringIO()
    call_command("seed_bulk", claims=claims, stdout=out, **{"seed": 1, "workers": 0, **options})
    return out.getvalue()


@pytest.fixture
def seeded():
    return seed()


def test_prints_counts_and_seconds(seeded):
    assert seeded.startswith(f"Seeded {CLAIMS} claims, {CLAIMS * 5} evidence links, ")
    assert f"{CLAIMS} assignments" in seeded
    assert seeded.rstrip().endswith(" s.")


def test_each_claim_has_five_links_one_assignment_and_about_eleven_events(seeded):
    claims = Claim.objects.annotate(
        links=Count("evidence", distinct=True),
        jobs=Count("assignments", distinct=True),
        places=Count("appearances", distinct=True),
    )
    assert claims.count() == CLAIMS
    for claim in claims:
        assert claim.links == 5
        assert claim.jobs == 1
        assert 1 <= claim.places <= 2
        events = AuditEvent.objects.filter(claim_id=claim.pk).count()
        assert events == claim.audit_length == claim.version
        assert 7 <= events <= 23  # two moves, each returned once, and one withdrawn at most
    assert 9 <= AuditEvent.objects.count() / CLAIMS <= 12.5


def test_counters_equal_standing_links_and_states_have_their_evidence(seeded):
    claims = Claim.objects.annotate(
        supports=Count(
            "evidence",
            filter=Q(evidence__stance=Stance.SUPPORTS, evidence__retracted_at__isnull=True),
        ),
        contradicts=Count(
            "evidence",
            filter=Q(evidence__stance=Stance.CONTRADICTS, evidence__retracted_at__isnull=True),
        ),
    )
    for claim in claims:
        assert claim.supporting_count == claim.supports
        assert claim.contradicting_count == claim.contradicts
        if claim.state == ReviewState.CORROBORATED:
            assert claim.supporting_count > 0
        if claim.state == ReviewState.DISPUTED:
            assert claim.contradicting_count > 0
        if claim.state != ReviewState.UNVERIFIED:
            assert claim.first_verdict_at
            assert claim.state_changed_at
            assert claim.rationale
            assert claim.first_verdict_at <= claim.state_changed_at <= claim.updated_at
        assert claim.updated_at >= claim.created_at
    assert len(Counter(claims.values_list("state", flat=True))) >= 2


def test_rows_match_what_the_services_would_write(seeded):
    for link in Evidence.objects.all():
        assert link.normalized_url == normalize_url(link.url)
        if link.retracted_at:
            assert link.retracted_by_id
            assert link.retraction_reason
            assert link.retracted_at >= link.added_at
    retracted = Evidence.objects.filter(retracted_at__isnull=False).count()
    assert 0 < retracted < CLAIMS * 5 // 2
    for assignment in Assignment.objects.all():
        assert assignment.reviewer.groups.filter(name=REVIEWERS_GROUP).exists()
        if assignment.status == AssignmentStatus.OPEN:
            assert assignment.closed_at is None
        else:
            assert assignment.closed_at >= assignment.assigned_at
            assert assignment.closed_by_id
    statuses = Counter(Assignment.objects.values_list("status", flat=True))
    assert statuses[AssignmentStatus.OPEN] > CLAIMS / 3
    assert Appearance.objects.values("source").distinct().count() > 1


def test_events_tell_each_claims_story_in_order(seeded):
    for claim in Claim.objects.all():
        events = list(AuditEvent.objects.filter(claim_id=claim.pk).order_by("sequence"))
        actions = Counter(event.action for event in events)
        assert events[0].action == AuditAction.CLAIM_CREATED
        assert events[0].created_at == claim.created_at
        assert events[-1].created_at == claim.updated_at
        assert [e.created_at for e in events] == sorted(e.created_at for e in events)
        assert actions[AuditAction.EVIDENCE_ADDED] == 5
        assert actions[AuditAction.REVIEWER_ASSIGNED] == 1
        assert (
            actions[AuditAction.EVIDENCE_RETRACTED]
            == claim.evidence.filter(retracted_at__isnull=False).count()
        )
        links = {link.pk: link for link in claim.evidence.all()}
        for event in events:
            if event.action == AuditAction.EVIDENCE_ADDED:
                link = links[event.data["evidence_id"]]
                assert event.data["new"]["url"] == link.url
                assert event.data["new"]["stance"] == link.stance
                assert event.created_at == link.added_at
                assert event.actor_id == link.added_by_id
        assignment = claim.assignments.get()
        assigned = next(e for e in events if e.action == AuditAction.REVIEWER_ASSIGNED)
        assert assigned.data["assignment_id"] == assignment.pk
        assert assigned.data["new"]["reviewer_id"] == assignment.reviewer_id
        if claim.state != ReviewState.UNVERIFIED:
            last_change = [e for e in events if e.action in STATE_MOVES][-1]
            assert last_change.action == AuditAction.VERDICT_APPROVED
            assert last_change.data["new"]["state"] == claim.state


def test_verdicts_are_proposed_and_signed_off_by_another_editor(seeded):
    for claim in Claim.objects.exclude(state=ReviewState.UNVERIFIED):
        first = claim.publications.get(is_correction=False)
        assert first.published_at == claim.published_at
        assert first.proposal.status == ProposalStatus.APPROVED
        assert first.proposal.decided_at == first.published_at
        assert first.approved_by_id not in (first.proposed_by_id, None)
        assert first.approved_by.groups.filter(name=EDITORS_GROUP).exists()
        assert not first.without_signoff
        latest = claim.publications.order_by("-published_at").first()
        assert (latest.state, latest.rationale) == (claim.state, claim.rationale)
        assert claim.corrected_at == (latest.published_at if latest.is_correction else None)
    for publication in Publication.objects.filter(is_correction=True):
        assert publication.correction_note
        assert publication.proposal.correction_note == publication.correction_note
    assert Proposal.objects.filter(status=ProposalStatus.APPROVED).count() == (
        Publication.objects.count()
    )


def test_each_proposal_and_decision_is_its_event_at_the_same_time(seeded):
    decisions = {
        ProposalStatus.APPROVED: AuditAction.VERDICT_APPROVED,
        ProposalStatus.RETURNED: AuditAction.VERDICT_RETURNED,
        ProposalStatus.WITHDRAWN: AuditAction.VERDICT_WITHDRAWN,
    }
    events = {
        (event.action, event.data["proposal"]): event
        for event in AuditEvent.objects.filter(action__startswith="verdict.")
    }
    assert len(events) == AuditEvent.objects.filter(action__startswith="verdict.").count()
    for proposal in Proposal.objects.all():
        proposed = events.pop((AuditAction.VERDICT_PROPOSED, proposal.pk))
        assert (proposed.created_at, proposed.actor_id) == (
            proposal.proposed_at,
            proposal.proposed_by_id,
        )
        assert proposal.based_on_version == proposed.sequence - 1
        if proposal.status == ProposalStatus.PENDING:
            assert proposal.decided_at is None
            assert proposal.claim.signoff_waiting_since == proposal.proposed_at
            continue
        decided = events.pop((decisions[proposal.status], proposal.pk))
        assert (decided.created_at, decided.actor_id) == (
            proposal.decided_at,
            proposal.decided_by_id,
        )
        assert decided.data["state"] == proposal.state
    assert not events, "events of no proposal"
    waiting = Claim.objects.filter(signoff_waiting_since__isnull=False)
    assert set(waiting.values_list("pk", flat=True)) == set(
        Proposal.objects.filter(status=ProposalStatus.PENDING).values_list("claim_id", flat=True)
    )


def test_some_proposals_are_returned_withdrawn_or_still_waiting():
    seed(claims=300)
    statuses = Counter(Proposal.objects.values_list("status", flat=True))
    verdicts = Claim.objects.filter(published_at__isnull=False).count()
    assert statuses[ProposalStatus.APPROVED] >= verdicts
    assert 0.05 < statuses[ProposalStatus.RETURNED] / statuses[ProposalStatus.APPROVED] < 0.3
    assert statuses[ProposalStatus.WITHDRAWN] > 0
    assert statuses[ProposalStatus.PENDING] > 0
    assert Publication.objects.filter(is_correction=True).exists()
    assert "intact" in run_verify_audit()


def test_creates_reviewers_and_editors_in_their_groups(seeded):
    users = get_user_model().objects
    assert users.filter(groups__name=REVIEWERS_GROUP, username__startswith="seed-").count() == 20
    assert users.filter(groups__name=EDITORS_GROUP, username__startswith="seed-").count() == 3


def test_verify_audit_passes_afterwards(seeded):
    assert run_verify_audit().startswith(f"Audit trail intact: {AuditEvent.objects.count()} events")


def test_running_again_appends(seeded):
    first_ids = set(Claim.objects.values_list("pk", flat=True))
    seed()
    assert Claim.objects.count() == 2 * CLAIMS
    assert Evidence.objects.count() == 2 * CLAIMS * 5
    assert get_user_model().objects.filter(username__startswith="seed-").count() == 23
    assert first_ids < set(Claim.objects.values_list("pk", flat=True))
    assert run_verify_audit().startswith(f"Audit trail intact: {AuditEvent.objects.count()} events")


def test_same_seed_same_claims_whatever_the_number_of_workers(seeded):
    seed(workers=2)  # built in forked worker processes
    texts = list(Claim.objects.order_by("pk").values_list("text", "claimant", "state"))
    assert texts[:CLAIMS] == texts[CLAIMS:]
    assert "intact" in run_verify_audit()


def test_never_reuses_the_id_of_a_deleted_claim(seeded, claim):
    """A deleted claim's history keeps its id; a new claim with that id would inherit it."""
    Claim.objects.filter(pk=claim.pk).delete()
    seed(claims=1)
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert "Also 1 event of 1 deleted claim" in run_verify_audit()


def test_seed_bulk_returns_the_rows_it_wrote_over_several_batches():
    seeded = seed_bulk(claims=12, seed=3, batch_size=5, workers=0)

    assert Claim.objects.count() == 12
    assert seeded.rows == {
        "claims": 12,
        "appearances": Appearance.objects.count(),
        "evidence": Evidence.objects.count(),
        "assignments": Assignment.objects.count(),
        "proposals": Proposal.objects.count(),
        "publications": Publication.objects.count(),
        "events": AuditEvent.objects.count(),
    }
    assert seeded.sources == Source.objects.count() == 10
    assert "intact" in run_verify_audit()


def test_refuses_before_the_role_groups_exist():
    Group.objects.filter(name=REVIEWERS_GROUP).delete()

    with pytest.raises(CommandError, match="run migrate first"):
        seed()

    assert not Claim.objects.exists()


def test_refuses_a_negative_number_of_claims():
    with pytest.raises(CommandError, match="0 or more"):
        seed(claims=-1)
