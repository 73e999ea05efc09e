"""Actions on a claim's page: evidence, state moves, retractions, assignments; refusals,
bad input and conflicts, with the user's input kept."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.audit.actions import AuditAction
from claims.models import Assignment, AuditEvent, Claim, Evidence, ReviewState, Stance
from tests.conftest import add_evidence, change_state, detail_url, login

# Actions ------------------------------------------------------------------------------------------


def evidence_data(claim, stance="supports", **fields):
    data = {
        "url": "https://news.example/report",
        "title": "Report",
        "publisher": "Example",
        "excerpt": "a line",
        "note": "",
        "stance": stance,
        "expected_version": claim.version,
    }
    data.update(fields)
    return {f"{stance}-{key}": value for key, value in data.items()}


def test_reviewer_adds_evidence_and_is_redirected(client, reviewer, assigned_claim):
    response = login(client, reviewer).post(
        reverse("claims:evidence_add", args=[assigned_claim.pk, "supports"]),
        evidence_data(assigned_claim),
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(claim=assigned_claim)
    assert response["Location"].endswith(f"#link-{evidence.pk}")
    assert evidence.added_by == reviewer
    assert AuditEvent.objects.filter(claim_id=assigned_claim.pk).last().action == (
        AuditAction.EVIDENCE_ADDED
    )


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://files.example/x", "data:text/html,x"]
)
def test_non_http_evidence_is_refused_at_the_field_keeping_input(client, editor, claim, url):
    response = login(client, editor).post(
        reverse("claims:evidence_add", args=[claim.pk, "supports"]),
        evidence_data(claim, url=url, title="My careful title"),
    )
    assert response.status_code == 422
    form = response.context["forms"]["support"]
    assert "url" in form.errors
    assert "http://" in form.errors["url"][0]
    assert "My careful title" in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://evil.example\\@news.example/1", "backslash"),
        ("https://news.example@evil.example/", "user name and password"),
        ("https://a.example/?q=" + "ü" * 400, "too long once written out"),
    ],
)
def test_misleading_or_overlong_evidence_is_refused_at_the_field_keeping_input(
    client, editor, claim, url, message
):
    response = login(client, editor).post(
        reverse("claims:evidence_add", args=[claim.pk, "supports"]),
        evidence_data(claim, url=url, title="My careful title"),
    )
    assert response.status_code == 422
    assert message in response.context["forms"]["support"].errors["url"][0]
    assert "My careful title" in response.content.decode()
    assert not Evidence.objects.exists()


def test_duplicate_evidence_is_refused_at_the_url_field(client, editor, claim):
    add_evidence(claim, editor, Stance.SUPPORTS, url="https://news.example/report")
    response = login(client, editor).post(
        reverse("claims:evidence_add", args=[claim.pk, "supports"]),
        evidence_data(claim, url="https://NEWS.example/report/"),
    )
    assert response.status_code == 422
    assert "already supporting evidence" in response.context["forms"]["support"].errors["url"][0]


def test_unknown_stance_is_404(client, editor, claim):
    response = login(client, editor).post(
        reverse("claims:evidence_add", args=[claim.pk, "neutral"]), {}
    )
    assert response.status_code == 404


def test_a_link_added_meanwhile_does_not_make_another_link_form_stale(client, editor, claim):
    """The second tab's link goes through: adding evidence conflicts with nothing."""
    add_evidence(claim, editor, Stance.CONTRADICTS)  # someone else's change, in another tab
    response = login(client, editor).post(
        reverse("claims:evidence_add", args=[claim.pk, "supports"]),
        evidence_data(claim, title="Typed before the change"),
    )
    assert response.status_code == 302
    assert Evidence.objects.filter(stance=Stance.SUPPORTS, title="Typed before the change").exists()


def _stale_move(client, editor, claim, seen, state="corroborated"):
    return login(client, editor).post(
        reverse("claims:state_change", args=[claim.pk]),
        {"state-state": state, "state-rationale": "My verdict.", "state-expected_version": seen},
    )


def test_a_verdict_stands_when_only_a_link_was_added_since(client, editor, claim):
    add_evidence(claim, editor, Stance.SUPPORTS)
    seen = Claim.objects.get(pk=claim.pk).version
    add_evidence(claim, editor, Stance.CONTRADICTS)  # meanwhile
    response = _stale_move(client, editor, claim, seen)
    assert response.status_code == 302
    assert Claim.objects.get(pk=claim.pk).state == ReviewState.CORROBORATED


def test_a_verdict_is_refused_when_a_link_it_rests_on_was_retracted_since(client, editor, claim):
    gone = add_evidence(claim, editor, Stance.SUPPORTS, url="https://a.example/1")
    add_evidence(claim, editor, Stance.SUPPORTS, url="https://a.example/2")
    seen = Claim.objects.get(pk=claim.pk).version
    services.evidence_retract(actor=editor, evidence=gone, reason="Misread.")
    response = _stale_move(client, editor, claim, seen)
    assert response.status_code == 409
    content = response.content.decode()
    assert "Edna Editor retracted supporting evidence https://a.example/1" in content
    assert "just now" in content
    assert "version" not in str(response.context["conflict"])
    assert "My verdict." in content
    assert Claim.objects.get(pk=claim.pk).state == ReviewState.UNVERIFIED


def test_a_verdict_is_refused_when_the_state_moved_since(client, editor, claim):
    add_evidence(claim, editor, Stance.SUPPORTS)
    add_evidence(claim, editor, Stance.CONTRADICTS)
    seen = Claim.objects.get(pk=claim.pk).version
    change_state(Claim.objects.get(pk=claim.pk), editor, ReviewState.DISPUTED)
    response = _stale_move(client, editor, claim, seen)
    assert response.status_code == 409
    assert "changed the state from Unverified to Disputed" in str(response.context["conflict"])
    assert Claim.objects.get(pk=claim.pk).state == ReviewState.DISPUTED


def test_reviewer_cannot_post_to_a_claim_not_assigned_to_them(client, reviewer, claim):
    response = login(client, reviewer).post(
        reverse("claims:evidence_add", args=[claim.pk, "supports"]), evidence_data(claim)
    )
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_viewer_posts_are_refused_everywhere(client, viewer, assigned_claim, editor):
    link = add_evidence(assigned_claim, editor, Stance.SUPPORTS)
    assignment = Assignment.objects.get(claim=assigned_claim)
    pk = assigned_claim.pk
    login(client, viewer)
    for url in (
        reverse("claims:evidence_add", args=[pk, "supports"]),
        reverse("claims:evidence_retract", args=[pk, link.pk]),
        reverse("claims:assign", args=[pk]),
        reverse("claims:assignment_complete", args=[pk, assignment.pk]),
        reverse("claims:assignment_withdraw", args=[pk, assignment.pk]),
        reverse("claims:state_change", args=[pk]),
        reverse("claims:edit", args=[pk]),
    ):
        assert client.post(url, {}).status_code == 403, url
    assert AuditEvent.objects.filter(claim_id=pk).count() == assigned_claim.audit_length


def test_state_change_with_rationale(client, reviewer, assigned_claim):
    add_evidence(assigned_claim, reviewer, Stance.SUPPORTS)
    response = login(client, reviewer).post(
        reverse("claims:state_change", args=[assigned_claim.pk]),
        {
            "state-state": "corroborated",
            "state-rationale": "Matches the record.",
            "state-expected_version": assigned_claim.version,
        },
    )
    assert response.status_code == 302
    assigned_claim.refresh_from_db()
    assert assigned_claim.state == ReviewState.CORROBORATED
    page = client.get(detail_url(assigned_claim)).content.decode()
    assert "changed the state from Unverified to Corroborated" in page


def test_state_change_without_rationale_keeps_the_choice(client, editor, claim):
    add_evidence(claim, editor, Stance.SUPPORTS)
    response = login(client, editor).post(
        reverse("claims:state_change", args=[claim.pk]),
        {
            "state-state": "corroborated",
            "state-rationale": "  ",
            "state-expected_version": claim.version,
        },
    )
    assert response.status_code == 422
    form = response.context["forms"]["state"]
    assert "rationale" in form.errors
    assert form["state"].value() == "corroborated"


def test_state_change_to_a_move_not_offered_is_refused(client, editor, claim):
    response = login(client, editor).post(
        reverse("claims:state_change", args=[claim.pk]),
        {
            "state-state": "corroborated",
            "state-rationale": "Sure.",
            "state-expected_version": claim.version,
        },
    )
    assert response.status_code == 422
    claim.refresh_from_db()
    assert claim.state == ReviewState.UNVERIFIED


def test_stale_state_change_shows_the_current_state_and_keeps_the_rationale(client, editor, claim):
    add_evidence(claim, editor, Stance.SUPPORTS)
    add_evidence(claim, editor, Stance.CONTRADICTS)
    seen = claim.version
    services.claim_change_state(
        actor=editor,
        claim=claim,
        expected_version=seen,
        state=ReviewState.DISPUTED,
        rationale="Another editor's view.",
    )
    response = login(client, editor).post(
        reverse("claims:state_change", args=[claim.pk]),
        {
            "state-state": "corroborated",
            "state-rationale": "My own careful rationale.",
            "state-expected_version": seen,
        },
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "It is now <strong>Disputed</strong>" in content
    assert "My own careful rationale." in content
    claim.refresh_from_db()
    assert claim.state == ReviewState.DISPUTED


def test_stale_move_to_a_state_no_longer_offered_is_a_conflict_not_a_bad_choice(
    client, editor, claim
):
    """Someone else reached the verdict this user was about to give: the move the page offered
    (unverified to corroborated) is gone from the form's choices, yet the user must see the
    conflict with their rationale kept, not "Select a valid choice"."""
    add_evidence(claim, editor, Stance.SUPPORTS)
    seen = Claim.objects.get(pk=claim.pk).version
    change_state(Claim.objects.get(pk=claim.pk), editor, ReviewState.CORROBORATED)
    response = login(client, editor).post(
        reverse("claims:state_change", args=[claim.pk]),
        {
            "state-state": "corroborated",
            "state-rationale": "Typed while the other editor moved it.",
            "state-expected_version": seen,
        },
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else changed this claim" in content
    assert "Typed while the other editor moved it." in content
    assert "Select a valid choice" not in content


def test_a_move_the_workflow_forbids_is_refused_at_the_field(client, editor, claim):
    response = login(client, editor).post(
        reverse("claims:state_change", args=[claim.pk]),
        {
            "state-state": "corroborated",  # no supporting link yet
            "state-rationale": "Too early.",
            "state-expected_version": claim.version,
        },
    )
    assert response.status_code == 422
    assert response.context["forms"]["state"].errors["state"] == [
        "Corroborated needs at least one standing supporting evidence link."
    ]
    assert "Too early." in response.content.decode()


def test_retract_needs_a_reason_and_last_link_refusal_is_shown(client, editor, claim):
    link = add_evidence(claim, editor, Stance.SUPPORTS)
    claim = services.claim_change_state(
        actor=editor,
        claim=claim,
        expected_version=claim.version,
        state=ReviewState.CORROBORATED,
        rationale="ok",
    )
    url = reverse("claims:evidence_retract", args=[claim.pk, link.pk])
    login(client, editor)
    response = client.post(
        url, {f"retract-{link.pk}-reason": "", f"retract-{link.pk}-expected_version": claim.version}
    )
    assert response.status_code == 422
    response = client.post(
        url,
        {
            f"retract-{link.pk}-reason": "Page was changed",
            f"retract-{link.pk}-expected_version": claim.version,
        },
    )
    assert response.status_code == 422
    assert "Move the claim&#x27;s state first" in response.content.decode()
    link.refresh_from_db()
    assert link.is_standing


def test_reviewer_retracts_own_link(client, reviewer, assigned_claim):
    link = add_evidence(assigned_claim, reviewer, Stance.SUPPORTS)
    response = login(client, reviewer).post(
        reverse("claims:evidence_retract", args=[assigned_claim.pk, link.pk]),
        {
            f"retract-{link.pk}-reason": "Wrong page",
            f"retract-{link.pk}-expected_version": assigned_claim.version,
        },
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.retraction_reason == "Wrong page"


def test_editor_assigns_and_withdraws_reviewer_completes(client, editor, reviewer, claim):
    login(client, editor)
    response = client.post(
        reverse("claims:assign", args=[claim.pk]),
        {
            "assign-reviewer": reviewer.pk,
            "assign-due_on": "2026-12-24",
            "assign-expected_version": claim.version,
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(claim=claim)
    assert assignment.due_on == datetime.date(2026, 12, 24)
    claim.refresh_from_db()
    response = client.post(
        reverse("claims:assign", args=[claim.pk]),
        {"assign-reviewer": reviewer.pk, "assign-expected_version": claim.version},
    )
    assert response.status_code == 422
    assert "already has an open assignment" in response.content.decode()

    login(client, reviewer)
    response = client.post(
        reverse("claims:assignment_complete", args=[claim.pk, assignment.pk]),
        {f"close-{assignment.pk}-expected_version": claim.version},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == "done"


def test_withdrawing_a_reviewer_asks_for_a_reason_and_confirms(client, editor, assigned_claim):
    assignment = Assignment.objects.get(claim=assigned_claim)
    login(client, editor)
    page = client.get(detail_url(assigned_claim)).content.decode()
    assert "Withdraw…" in page  # the reason is asked for before the confirming button
    assert "Withdraw Rita Reviewer" in page
    url = reverse("claims:assignment_withdraw", args=[assigned_claim.pk, assignment.pk])
    refused = client.post(url, {f"withdraw-{assignment.pk}-reason": "  "})
    assert refused.status_code == 422
    form = refused.context["forms"][f"withdraw-{assignment.pk}"]
    assert form.errors["reason"] == ["This field is required."]
    assert Assignment.objects.get(pk=assignment.pk).is_open


def test_editor_withdraws_a_reviewer_with_a_note(client, editor, assigned_claim):
    assignment = Assignment.objects.get(claim=assigned_claim)
    response = login(client, editor).post(
        reverse("claims:assignment_withdraw", args=[assigned_claim.pk, assignment.pk]),
        {f"withdraw-{assignment.pk}-reason": "Rita is on leave."},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == "withdrawn"
    assert assignment.close_reason == "Rita is on leave."
    event = AuditEvent.objects.filter(claim_id=assigned_claim.pk).latest("sequence")
    assert event.action == AuditAction.REVIEWER_WITHDRAWN
    page = client.get(detail_url(assigned_claim)).content.decode()
    assert "withdrew Rita Reviewer" in page


def test_assign_refuses_a_viewer_as_reviewer(client, editor, viewer, claim):
    response = login(client, editor).post(
        reverse("claims:assign", args=[claim.pk]),
        {"assign-reviewer": viewer.pk, "assign-expected_version": claim.version},
    )
    assert response.status_code == 422
    assert not Assignment.objects.exists()


def test_a_due_date_already_past_is_refused_at_the_field_keeping_the_choice(
    client, editor, reviewer, claim
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = login(client, editor).post(
        reverse("claims:assign", args=[claim.pk]),
        {
            "assign-reviewer": reviewer.pk,
            "assign-due_on": yesterday.isoformat(),
            "assign-expected_version": claim.version,
        },
    )
    assert response.status_code == 422
    form = response.context["forms"]["assign"]
    assert form.errors["due_on"] == [f"The due date {yesterday.isoformat()} has already passed."]
    assert form["reviewer"].value() == str(reviewer.pk)
    assert not Assignment.objects.exists()
