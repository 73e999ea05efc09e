"""The claims' bulk actions: the service called once per claim, each allowed claim with its own
audit event, each refused one named with the workflow's reason and left untouched."""

import datetime
import re

import pytest
from django.urls import reverse

from claims import services
from claims.admin import actions as bulk_actions
from claims.audit.actions import AuditAction
from claims.models import (
    Assignment,
    AuditEvent,
    Claim,
    ReviewState,
    Stance,
)
from tests.admin.helpers import (
    CHANGELIST,
    messages_by_level,
    new_claim,
    rendered_form,
    state_events,
)
from tests.conftest import add_evidence
from tests.factories import ClaimFactory


def run_action(client, action, claims, **fields):
    """Post the list's action form: the action and the selected claims, with ``fields`` as given."""
    data = {"action": action, "_selected_action": [claim.pk for claim in claims]}
    data.update(fields)
    return client.post(reverse(CHANGELIST), data)


def confirm_action(client, action, claims, **fields):
    """Choose the action, then submit its confirmation page as rendered, with ``fields``."""
    page = run_action(client, action, claims)
    return client.post(reverse(CHANGELIST), rendered_form(page, holding="confirm") | fields)


def test_bulk_state_change_asks_for_state_and_rationale_first(editor_client, editor):
    claims = [new_claim(editor, "Prices doubled."), new_claim(editor, "Rents fell.")]
    response = run_action(editor_client, "change_state", claims)

    assert response.status_code == 200
    assert response.templates[0].name == "admin/claims/claim/bulk_action.html"
    content = response.content.decode()
    for claim in claims:
        assert f'name="_selected_action" value="{claim.pk}"' in content
        assert claim.get_absolute_url() in content
    assert 'name="action" value="change_state"' in content
    assert 'name="confirm" value="yes"' in content
    assert "csrfmiddlewaretoken" in content
    assert not AuditEvent.objects.filter(action=AuditAction.CLAIM_STATE_CHANGED).exists()


def test_bulk_state_change_writes_one_event_per_claim_and_refuses_what_the_workflow_forbids(
    editor_client, staff_editor
):
    supported = [new_claim(staff_editor, f"Supported claim {n}") for n in range(2)]
    for claim in supported:
        add_evidence(claim, staff_editor)
    unsupported = new_claim(staff_editor, "Nothing supports this one")
    already = new_claim(staff_editor, "Already corroborated")
    add_evidence(already, staff_editor)
    services.claim_change_state(
        actor=staff_editor,
        claim=already,
        expected_version=already.version,
        state=ReviewState.CORROBORATED,
        rationale="Earlier verdict.",
    )
    untouched_versions = {
        claim.pk: Claim.objects.get(pk=claim.pk).version for claim in (unsupported, already)
    }

    response = confirm_action(
        editor_client,
        "change_state",
        [*supported, unsupported, already],
        state=ReviewState.CORROBORATED,
        rationale="  The ministry's figures confirm it.  ",
    )

    assert response.status_code == 302
    for claim in supported:
        claim.refresh_from_db()
        assert (claim.state, claim.rationale) == (
            ReviewState.CORROBORATED,
            "The ministry's figures confirm it.",
        )
        [event] = state_events(claim)
        assert (event.actor, event.actor_name) == (staff_editor, "Edna Editor")
        assert event.data == {
            "old": {"state": ReviewState.UNVERIFIED, "rationale": ""},
            "new": {
                "state": ReviewState.CORROBORATED,
                "rationale": "The ministry's figures confirm it.",
            },
            "reason": "The ministry's figures confirm it.",
            "published_at": claim.published_at.isoformat(),
        }
    unsupported.refresh_from_db()
    assert unsupported.state == ReviewState.UNVERIFIED
    assert state_events(unsupported) == []
    assert len(state_events(already)) == 1  # the earlier one only
    for claim in (unsupported, already):
        assert Claim.objects.get(pk=claim.pk).version == untouched_versions[claim.pk]

    found = messages_by_level(response)
    [success] = found["success"]
    assert success.startswith("2 claims moved to Corroborated:")
    assert all(f"#{claim.pk} " in success for claim in supported)
    [warning] = found["warning"]
    assert warning.startswith("2 claims refused:")
    assert "Corroborated needs at least one standing supporting evidence link." in warning
    assert f"#{unsupported.pk} “Nothing supports this one”" in warning
    assert "The claim is already corroborated." in warning
    assert f"#{already.pk} “Already corroborated”" in warning
    assert f"?id__in={unsupported.pk},{already.pk}" in warning


def test_bulk_dispute_needs_contradicting_evidence_per_claim(editor_client, staff_editor):
    contradicted = new_claim(staff_editor, "Contradicted")
    add_evidence(contradicted, staff_editor, stance=Stance.CONTRADICTS)
    supported_only = new_claim(staff_editor, "Supported only")
    add_evidence(supported_only, staff_editor, stance=Stance.SUPPORTS)

    response = confirm_action(
        editor_client,
        "change_state",
        [contradicted, supported_only],
        state=ReviewState.DISPUTED,
        rationale="The census says otherwise.",
    )

    assert Claim.objects.get(pk=contradicted.pk).state == ReviewState.DISPUTED
    assert Claim.objects.get(pk=supported_only.pk).state == ReviewState.UNVERIFIED
    [warning] = messages_by_level(response)["warning"]
    assert "Disputed needs at least one standing contradicting evidence link." in warning


def test_bulk_state_change_without_rationale_keeps_the_input_and_writes_nothing(
    editor_client, staff_editor
):
    claim = new_claim(staff_editor, "Supported")
    add_evidence(claim, staff_editor)
    response = confirm_action(
        editor_client,
        "change_state",
        [claim],
        state=ReviewState.CORROBORATED,
        rationale="   ",
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"rationale"}
    assert form["state"].value() == ReviewState.CORROBORATED
    content = response.content.decode()
    assert '<option value="corroborated" selected>' in content
    assert f'name="_selected_action" value="{claim.pk}"' in content
    assert state_events(claim) == []


def test_unknown_target_state_is_a_form_error(editor_client, staff_editor):
    claim = new_claim(staff_editor, "Any")
    response = confirm_action(
        editor_client, "change_state", [claim], state="retracted", rationale="Why"
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"state"}
    assert response.context["form"]["rationale"].value() == "Why"


def test_many_refusals_make_one_short_warning(editor_client, staff_editor):
    claims = ClaimFactory.create_batch(30)
    response = confirm_action(
        editor_client,
        "change_state",
        claims,
        state=ReviewState.CORROBORATED,
        rationale="All confirmed.",
    )

    found = messages_by_level(response)
    assert "success" not in found
    [warning] = found["warning"]
    assert warning.startswith("30 claims refused:")
    assert warning.count("Corroborated needs at least one") == 1
    assert warning.count("“Claim number") == bulk_actions.CLAIMS_NAMED
    assert "and 20 more" in warning
    assert not AuditEvent.objects.filter(action=AuditAction.CLAIM_STATE_CHANGED).exists()


def test_more_claims_than_the_limit_are_refused_whole(editor_client, staff_editor, monkeypatch):
    monkeypatch.setattr(bulk_actions, "BULK_ACTION_LIMIT", 2)
    claims = ClaimFactory.create_batch(3)
    response = run_action(editor_client, "change_state", claims)

    assert response.status_code == 302
    assert messages_by_level(response)["error"] == ["Select at most 2 claims for one action."]


def test_a_conflict_while_the_action_runs_is_a_refusal_not_an_error(
    editor_client, staff_editor, monkeypatch
):
    claim = new_claim(staff_editor, "Supported")
    add_evidence(claim, staff_editor)

    def someone_else_first(**kwargs):
        raise services.ClaimConflict(Claim.objects.get(pk=kwargs["claim"].pk), 0)

    # The bulk service calls the state service once per claim.
    monkeypatch.setattr("claims.services.bulk.claim_change_state", someone_else_first)
    response = confirm_action(
        editor_client,
        "change_state",
        [claim],
        state=ReviewState.CORROBORATED,
        rationale="Confirmed.",
    )

    [warning] = messages_by_level(response)["warning"]
    assert "Someone else changed the claim after you chose it" in warning
    assert state_events(claim) == []


def test_a_claim_changed_after_the_confirmation_page_is_refused_not_overwritten(
    editor_client, staff_editor
):
    kept, moved = new_claim(staff_editor, "Kept as shown"), new_claim(staff_editor, "Moved")
    for claim in (kept, moved):
        add_evidence(claim, staff_editor)
    page = run_action(editor_client, "change_state", [kept, moved]).content.decode()
    shown = dict(re.findall(r'name="version-(\d+)" value="(\d+)"', page))
    assert shown == {str(c.pk): str(Claim.objects.get(pk=c.pk).version) for c in (kept, moved)}
    # Someone else rewrites "Moved" while the editor reads the confirmation page: the move
    # would still be allowed, but not on the claim the editor saw.
    moved.refresh_from_db()
    services.claim_update(
        actor=staff_editor,
        claim=moved,
        expected_version=moved.version,
        text="Moved, and now says something else",
        claimant=moved.claimant,
        claimed_on=None,
    )

    response = editor_client.post(
        reverse(CHANGELIST),
        {
            "action": "change_state",
            "_selected_action": [kept.pk, moved.pk],
            **{f"version-{pk}": version for pk, version in shown.items()},
            "confirm": "yes",
            "state": ReviewState.CORROBORATED,
            "rationale": "Bulk verdict.",
        },
    )

    found = messages_by_level(response)
    assert found["success"][0].startswith("1 claim moved to Corroborated:")
    assert "Someone else changed the claim after you chose it" in found["warning"][0]
    moved.refresh_from_db()
    assert moved.state == ReviewState.UNVERIFIED
    assert state_events(moved) == []
    kept.refresh_from_db()
    assert kept.state == ReviewState.CORROBORATED


UNSAID = "The form did not say which version of the claim you saw."


@pytest.mark.parametrize(
    ("version", "reason"),
    [
        ("²", UNSAID),  # a digit to str.isdigit, not to int()
        (None, UNSAID),  # not posted at all
        ("", UNSAID),
        ("two", UNSAID),
        ("-1", UNSAID),
        ("0", UNSAID),
        ("9" * 30, UNSAID),
        # A number, past any version the claim has reached: someone else's, as far as we know.
        ("1" * 12, "Someone else changed the claim after you chose it"),
    ],
)
def test_a_claim_whose_version_the_post_does_not_say_is_refused_as_a_conflict(
    editor_client, staff_editor, version, reason
):
    shown, unsaid = new_claim(staff_editor, "Shown"), new_claim(staff_editor, "Unsaid")
    for claim in (shown, unsaid):
        add_evidence(claim, staff_editor)
    page = run_action(editor_client, "change_state", [shown, unsaid])
    data = rendered_form(page, holding="confirm") | {
        "state": ReviewState.CORROBORATED,
        "rationale": "Bulk verdict.",
    }
    del data[f"version-{unsaid.pk}"]
    if version is not None:
        data[f"version-{unsaid.pk}"] = version
    response = editor_client.post(reverse(CHANGELIST), data)

    assert response.status_code == 302
    found = messages_by_level(response)
    assert found["success"][0].startswith("1 claim moved to Corroborated:")
    [warning] = found["warning"]
    assert warning.startswith("1 claim refused:")
    assert reason in warning
    assert f"#{unsaid.pk} “Unsaid”" in warning
    assert Claim.objects.get(pk=unsaid.pk).state == ReviewState.UNVERIFIED
    assert state_events(unsaid) == []
    assert Claim.objects.get(pk=shown.pk).state == ReviewState.CORROBORATED


def test_bulk_assign_writes_an_assignment_and_event_per_claim_and_refuses_duplicates(
    editor_client, staff_editor, assigned_claim, reviewer
):
    fresh = new_claim(staff_editor, "Needs a reviewer")
    response = confirm_action(
        editor_client,
        "assign_reviewer",
        [assigned_claim, fresh],
        reviewer=reviewer.pk,
        due_on="2030-06-30",
    )

    assert response.status_code == 302
    assignment = Assignment.objects.get(claim=fresh)
    assert (assignment.reviewer, assignment.assigned_by, assignment.due_on) == (
        reviewer,
        staff_editor,
        datetime.date(2030, 6, 30),
    )
    [event] = AuditEvent.objects.filter(claim_id=fresh.pk, action=AuditAction.REVIEWER_ASSIGNED)
    assert event.actor == staff_editor
    assert event.data["assignment_id"] == assignment.pk
    assert event.data["new"]["reviewer"] == "Rita Reviewer"
    assert event.data["new"]["due_on"] == "2030-06-30"
    # The claim that already had this reviewer keeps its one assignment and one event.
    assert Assignment.objects.filter(claim=assigned_claim).count() == 1
    assert (
        AuditEvent.objects.filter(
            claim_id=assigned_claim.pk, action=AuditAction.REVIEWER_ASSIGNED
        ).count()
        == 1
    )

    found = messages_by_level(response)
    [success] = found["success"]
    assert success.startswith("1 claim assigned to Rita Reviewer:")
    assert f"#{fresh.pk} " in success
    [warning] = found["warning"]
    assert "Rita Reviewer already has an open assignment on this claim." in warning
    assert f"#{assigned_claim.pk} " in warning


def test_bulk_assign_offers_only_reviewers_and_keeps_input_on_error(
    editor_client, staff_editor, reviewer, viewer
):
    claim = new_claim(staff_editor, "Needs a reviewer")
    page = run_action(editor_client, "assign_reviewer", [claim])
    candidates = set(page.context["form"].fields["reviewer"].queryset)
    assert reviewer in candidates
    assert viewer not in candidates

    response = confirm_action(
        editor_client,
        "assign_reviewer",
        [claim],
        reviewer=reviewer.pk,
        due_on="31/31/2030",
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"due_on"}
    assert form["reviewer"].value() == str(reviewer.pk)
    assert 'value="31/31/2030"' in response.content.decode()

    response = confirm_action(editor_client, "assign_reviewer", [claim], reviewer=viewer.pk)
    assert set(response.context["form"].errors) == {"reviewer"}

    response = confirm_action(
        editor_client,
        "assign_reviewer",
        [claim],
        reviewer=reviewer.pk,
        due_on="2001-01-01",
    )
    assert response.context["form"].errors["due_on"] == [
        "The due date 2001-01-01 has already passed."
    ]
    assert not Assignment.objects.exists()


def test_reviewer_staff_can_run_no_bulk_action(
    client, staff_reviewer, assigned_claim, editor, other_reviewer
):
    add_evidence(assigned_claim, editor)
    client.force_login(staff_reviewer)
    before = AuditEvent.objects.count()
    # On the desk this reviewer may move this claim; the admin (and its actions) is editors'.
    responses = [
        run_action(
            client,
            "change_state",
            [assigned_claim],
            confirm="yes",
            state=ReviewState.CORROBORATED,
            rationale="Mine to judge.",
        ),
        run_action(
            client, "assign_reviewer", [assigned_claim], confirm="yes", reviewer=other_reviewer.pk
        ),
    ]
    assert [r.status_code for r in responses] == [403, 403]
    assert AuditEvent.objects.count() == before
    assert Claim.objects.get(pk=assigned_claim.pk).state == ReviewState.UNVERIFIED


def test_editor_sees_both_bulk_actions(editor_client, claim):
    content = editor_client.get(reverse(CHANGELIST)).content.decode()
    assert '<option value="change_state">' in content
    assert '<option value="assign_reviewer">' in content
