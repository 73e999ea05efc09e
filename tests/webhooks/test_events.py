"""Which events reach which endpoint, as which type: every mapped action through the real
services, one delivery per event and endpoint (a retried dispatch writes none twice), only
what an endpoint subscribed to and only while it is on, and imports that cost nothing when
nobody listens."""

import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from claims import services
from claims.audit.actions import AuditAction
from claims.interchange import imports
from claims.models import (
    AuditEvent,
    ProposalStatus,
    ReviewState,
    Stance,
    WebhookDelivery,
    WebhookEventType,
)
from claims.webhooks import dispatch
from claims.webhooks import services as webhook_services
from claims.webhooks.events import DELIVERED_ACTIONS, event_types
from claims.webhooks.tasks import dispatch_event
from tests.conftest import add_evidence, change_state, make_claim
from tests.factories import EditorFactory
from tests.webhooks.conftest import register

ALL = WebhookEventType

pytestmark = pytest.mark.usefixtures("desk_address")


def delivered_types(endpoint) -> list[tuple[str, str]]:
    """(audit action, webhook type) of each delivery to ``endpoint``, oldest first."""
    return [
        (d.payload["data"]["action"], d.event_type)
        for d in WebhookDelivery.objects.filter(endpoint=endpoint).order_by("id")
    ]


@pytest.fixture
def listening(editor, receiver, django_capture_on_commit_callbacks):
    """An endpoint for every type, and a capture that runs each write's tasks."""
    endpoint, _secret = register(editor, receiver.url)

    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return endpoint, run


def test_claim_created_and_edited(editor, source, listening):
    endpoint, run = listening
    claim = run(make_claim, editor, source=source)
    run(
        services.claim_update,
        actor=editor,
        claim=claim,
        expected_version=claim.version,
        text="A claim, reworded",
        claimant=claim.claimant,
        claimed_on=claim.claimed_on,
    )
    assert delivered_types(endpoint) == [
        ("claim.created", ALL.CLAIM_CREATED),
        ("claim.edited", ALL.CLAIM_EDITED),
    ]
    edited = WebhookDelivery.objects.filter(endpoint=endpoint).latest("id")
    assert edited.payload["data"]["claim_version"] == 2


def test_evidence_added_and_retracted(editor, listening):
    endpoint, run = listening
    claim = make_claim(editor)
    link = run(add_evidence, claim, editor, Stance.SUPPORTS)
    run(services.evidence_retract, actor=editor, evidence=link, reason="Wrong page.")
    assert delivered_types(endpoint) == [
        ("evidence.added", ALL.EVIDENCE_ADDED),
        ("evidence.retracted", ALL.EVIDENCE_RETRACTED),
    ]
    added, retracted = WebhookDelivery.objects.filter(endpoint=endpoint).order_by("id")
    assert added.payload["data"]["evidence_id"] == link.pk
    assert retracted.payload["data"]["stance"] == Stance.SUPPORTS


def test_a_direct_verdict_publishes_then_a_change_corrects(editor, listening):
    endpoint, run = listening
    claim = make_claim(editor)
    add_evidence(claim, editor, Stance.SUPPORTS)
    run(change_state, claim, editor, ReviewState.CORROBORATED)
    add_evidence(claim, editor, Stance.CONTRADICTS)
    run(
        change_state,
        claim,
        editor,
        ReviewState.DISPUTED,
        rationale="The audit disagrees.",
        correction_note="We relied on figures since revised.",
    )
    assert delivered_types(endpoint) == [
        ("claim.state_changed", ALL.VERDICT_PUBLISHED),
        ("claim.state_changed", ALL.CORRECTION_PUBLISHED),
    ]
    published, corrected = WebhookDelivery.objects.filter(endpoint=endpoint).order_by("id")
    assert published.payload["data"]["state"] == ReviewState.CORROBORATED
    assert corrected.payload["data"]["correction_note"] == "We relied on figures since revised."
    assert corrected.payload["data"]["previous_state"] == ReviewState.CORROBORATED


def test_reopening_a_published_verdict_is_a_correction(editor, listening):
    endpoint, run = listening
    claim = make_claim(editor)
    add_evidence(claim, editor, Stance.SUPPORTS)
    change_state(claim, editor, ReviewState.CORROBORATED)
    run(change_state, claim, editor, ReviewState.UNVERIFIED, correction_note="Reopened.")
    assert delivered_types(endpoint) == [("claim.state_changed", ALL.CORRECTION_PUBLISHED)]


def test_an_endpoint_gets_the_most_specific_type_it_subscribed_to(editor, receiver, listening):
    everything, run = listening
    only_states, _secret = register(editor, receiver.url, [ALL.CLAIM_STATE_CHANGED])
    claim = make_claim(editor)
    add_evidence(claim, editor, Stance.SUPPORTS)
    run(change_state, claim, editor, ReviewState.CORROBORATED)
    assert delivered_types(everything) == [("claim.state_changed", ALL.VERDICT_PUBLISHED)]
    assert delivered_types(only_states) == [("claim.state_changed", ALL.CLAIM_STATE_CHANGED)]


def test_sign_off_publishes_and_a_signed_off_change_corrects(editor, reviewer, listening, settings):
    settings.FACTCHECK_SIGNOFF = True
    endpoint, run = listening
    chief = EditorFactory(username="chen")
    claim = make_claim(editor)
    services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer)
    add_evidence(claim, reviewer, Stance.SUPPORTS)

    def propose(state, **extra):
        claim.refresh_from_db()
        return services.verdict_propose(
            actor=reviewer,
            claim=claim,
            expected_version=claim.version,
            state=state,
            rationale="Two records agree.",
            **extra,
        )

    run(propose, ReviewState.CORROBORATED)  # a proposal is not an event here
    assert delivered_types(endpoint) == []
    proposal = claim.proposals.get(status=ProposalStatus.PENDING)
    run(services.verdict_sign_off, actor=chief, proposal=proposal)
    add_evidence(claim, editor, Stance.CONTRADICTS)
    run(propose, ReviewState.DISPUTED, correction_note="The audit office revised its figures.")
    proposal = claim.proposals.get(status=ProposalStatus.PENDING)
    run(services.verdict_sign_off, actor=chief, proposal=proposal)
    assert delivered_types(endpoint) == [
        ("verdict.approved", ALL.VERDICT_PUBLISHED),
        ("verdict.approved", ALL.CORRECTION_PUBLISHED),
    ]


def test_assignments_made_completed_and_withdrawn(editor, reviewer, other_reviewer, listening):
    endpoint, run = listening
    claim = make_claim(editor)
    first = run(services.reviewer_assign, actor=editor, claim=claim, reviewer=reviewer)
    second = run(services.reviewer_assign, actor=editor, claim=claim, reviewer=other_reviewer)
    run(services.reviewer_complete, actor=reviewer, assignment=first)
    run(services.reviewer_withdraw, actor=editor, assignment=second, reason="Away.")
    assert delivered_types(endpoint) == [
        ("reviewer.assigned", ALL.ASSIGNMENT_MADE),
        ("reviewer.assigned", ALL.ASSIGNMENT_MADE),
        ("reviewer.completed", ALL.ASSIGNMENT_CLOSED),
        ("reviewer.withdrawn", ALL.ASSIGNMENT_CLOSED),
    ]
    closings = WebhookDelivery.objects.filter(endpoint=endpoint, event_type=ALL.ASSIGNMENT_CLOSED)
    assert sorted(d.payload["data"]["assignment_status"] for d in closings) == [
        "done",
        "withdrawn",
    ]


def test_comments_and_proposals_never_leave_the_desk(editor, listening):
    endpoint, run = listening
    claim = make_claim(editor)
    run(services.comment_add, actor=editor, claim=claim, text="Check the second source.")
    assert delivered_types(endpoint) == []
    for action in (AuditAction.COMMENT_ADDED, AuditAction.VERDICT_PROPOSED):
        assert event_types(action, {}) == ()
    assert AuditAction.COMMENT_ADDED not in DELIVERED_ACTIONS


def test_only_subscribed_and_active_endpoints_get_deliveries(
    editor, receiver, django_capture_on_commit_callbacks
):
    evidence_only, _ = register(editor, receiver.url, [ALL.EVIDENCE_ADDED])
    off, _ = register(editor, receiver.url)
    webhook_services.webhook_endpoint_update(editor, off, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        claim = make_claim(editor)
        add_evidence(claim, editor, Stance.SUPPORTS)
    assert delivered_types(evidence_only) == [("evidence.added", ALL.EVIDENCE_ADDED)]
    assert delivered_types(off) == []
    assert len(receiver.received) == 1


def test_a_retried_dispatch_writes_and_sends_nothing_twice(editor, listening, receiver):
    endpoint, run = listening
    claim = run(make_claim, editor)
    event = AuditEvent.objects.get(claim_id=claim.pk)
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 1
    assert run(dispatch_event.call, event.pk, claim.version, claim.state) == 0
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 1
    assert len(receiver.received) == 1


def test_the_database_refuses_a_second_delivery_of_one_event(editor, listening):
    endpoint, run = listening
    run(make_claim, editor)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    with pytest.raises(IntegrityError):
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_id=delivery.event_id,
            event_type=delivery.event_type,
            payload={},
            created_at=delivery.created_at,
        )


def test_a_write_costs_one_query_and_no_task_when_no_endpoint_listens(
    editor, django_capture_on_commit_callbacks, django_assert_num_queries
):
    claim = make_claim(editor)
    event = AuditEvent.objects.get(claim_id=claim.pk)
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(1):
        dispatch.announce(event, claim)
    assert callbacks == []


def write_import(tmp_path, count: int):
    items = [
        {
            "id": number,
            "text": f"Imported claim {number}",
            "claimant": "Someone",
            "state": "unverified",
            "appearances": [
                {"quote": "quoted", "source": {"title": "Paper", "url": "https://paper.test/"}}
            ],
            "evidence": [],
        }
        for number in range(1, count + 1)
    ]
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


def test_an_import_enqueues_nothing_when_no_endpoint_hears_of_new_claims(
    tmp_path, editor, receiver, django_capture_on_commit_callbacks, monkeypatch
):
    register(editor, receiver.url, [ALL.EVIDENCE_ADDED])
    enqueued = []
    monkeypatch.setattr(dispatch, "enqueue_on_commit", lambda *args: enqueued.append(args))
    call_command("import_claims", str(write_import(tmp_path, 30)), actor=editor.username)
    assert enqueued == []


def test_imported_claims_are_delivered_as_created_one_task_per_batch(
    tmp_path, editor, listening, receiver, monkeypatch
):
    endpoint, run = listening
    dispatches = []
    real = dispatch.enqueue_on_commit
    monkeypatch.setattr(
        dispatch, "enqueue_on_commit", lambda *args: (dispatches.append(args), real(*args))
    )
    run(
        services.claim_import,
        actor=editor,
        claims=imports.valid_claims(write_import(tmp_path, 25)),
        file_name="claims.json",
        batch_size=10,
    )
    assert len(dispatches) == 3  # batches of 10, 10 and 5
    assert delivered_types(endpoint) == [("claim.imported", ALL.CLAIM_CREATED)] * 25
    assert len(receiver.received) == 25
