"""The admin's bulk actions on claims and the claim changelist at desk scale.

Bulk actions call the service once per claim: each allowed claim gets its own audit event, each
refused one is named with the workflow's reason and left untouched.
"""

import datetime
import re

import pytest
from django.contrib.admin.templatetags.admin_list import items_for_result
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.admin import models_admin as claims_admin
from claims.audit.actions import AuditAction
from claims.models import Assignment, AuditEvent, Claim, ReviewState, Stance
from tests.conftest import add_evidence
from tests.factories import ClaimFactory, SourceFactory

CHANGELIST = "admin:claims_claim_changelist"


def new_claim(editor, text):
    return services.claim_create(
        actor=editor,
        text=text,
        claimant="A minister",
        appearances=[services.AppearanceInput(SourceFactory(), "as quoted")],
    )


def run_action(client, action, claims, **fields):
    """Post the intermediate page's form back, as the browser would after confirming."""
    data = {"action": action, "_selected_action": [claim.pk for claim in claims]}
    data.update(fields)
    return client.post(reverse(CHANGELIST), data)


def messages_by_level(response) -> dict[str, list[str]]:
    found = {}
    for message in get_messages(response.wsgi_request):
        found.setdefault(message.level_tag, []).append(str(message))
    return found


def state_events(claim):
    return list(
        AuditEvent.objects.filter(claim_id=claim.pk, action=AuditAction.CLAIM_STATE_CHANGED)
    )


# Bulk state change --------------------------------------------------------------------------------


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

    response = run_action(
        editor_client,
        "change_state",
        [*supported, unsupported, already],
        confirm="yes",
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

    response = run_action(
        editor_client,
        "change_state",
        [contradicted, supported_only],
        confirm="yes",
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
    response = run_action(
        editor_client,
        "change_state",
        [claim],
        confirm="yes",
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
    response = run_action(
        editor_client, "change_state", [claim], confirm="yes", state="retracted", rationale="Why"
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"state"}
    assert response.context["form"]["rationale"].value() == "Why"


def test_many_refusals_make_one_short_warning(editor_client, staff_editor):
    claims = ClaimFactory.create_batch(30)
    response = run_action(
        editor_client,
        "change_state",
        claims,
        confirm="yes",
        state=ReviewState.CORROBORATED,
        rationale="All confirmed.",
    )

    found = messages_by_level(response)
    assert "success" not in found
    [warning] = found["warning"]
    assert warning.startswith("30 claims refused:")
    assert warning.count("Corroborated needs at least one") == 1
    assert warning.count("“Claim number") == claims_admin.CLAIMS_NAMED
    assert "and 20 more" in warning
    assert not AuditEvent.objects.filter(action=AuditAction.CLAIM_STATE_CHANGED).exists()


def test_more_claims_than_the_limit_are_refused_whole(editor_client, staff_editor, monkeypatch):
    monkeypatch.setattr(claims_admin, "BULK_ACTION_LIMIT", 2)
    claims = ClaimFactory.create_batch(3)
    response = run_action(editor_client, "change_state", claims)

    assert response.status_code == 302
    assert messages_by_level(response)["error"] == ["Select at most 2 claims for one action."]


def test_a_conflict_while_the_action_runs_is_a_refusal_not_an_error(
    editor_client, staff_editor, monkeypatch
):
    claim = new_claim(staff_editor, "Supported")
    add_evidence(claim, staff_editor)
    real = services.claim_change_state

    def someone_else_first(**kwargs):
        raise services.ClaimConflict(Claim.objects.get(pk=kwargs["claim"].pk), 0)

    monkeypatch.setattr(services, "claim_change_state", someone_else_first)
    response = run_action(
        editor_client,
        "change_state",
        [claim],
        confirm="yes",
        state=ReviewState.CORROBORATED,
        rationale="Confirmed.",
    )
    monkeypatch.setattr(services, "claim_change_state", real)

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


# Bulk reviewer assignment -------------------------------------------------------------------------


def test_bulk_assign_writes_an_assignment_and_event_per_claim_and_refuses_duplicates(
    editor_client, staff_editor, assigned_claim, reviewer
):
    fresh = new_claim(staff_editor, "Needs a reviewer")
    response = run_action(
        editor_client,
        "assign_reviewer",
        [assigned_claim, fresh],
        confirm="yes",
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

    response = run_action(
        editor_client,
        "assign_reviewer",
        [claim],
        confirm="yes",
        reviewer=reviewer.pk,
        due_on="31/31/2030",
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"due_on"}
    assert form["reviewer"].value() == str(reviewer.pk)
    assert 'value="31/31/2030"' in response.content.decode()

    response = run_action(
        editor_client, "assign_reviewer", [claim], confirm="yes", reviewer=viewer.pk
    )
    assert set(response.context["form"].errors) == {"reviewer"}

    response = run_action(
        editor_client,
        "assign_reviewer",
        [claim],
        confirm="yes",
        reviewer=reviewer.pk,
        due_on="2001-01-01",
    )
    assert response.context["form"].errors["due_on"] == [
        "The due date 2001-01-01 has already passed."
    ]
    assert not Assignment.objects.exists()


# Who may run them ---------------------------------------------------------------------------------


@pytest.fixture
def staff_reviewer(reviewer):
    reviewer.is_staff = True
    reviewer.save(update_fields=["is_staff"])
    return reviewer


def test_reviewer_staff_neither_sees_nor_runs_the_bulk_actions(
    client, staff_reviewer, assigned_claim, editor, other_reviewer
):
    add_evidence(assigned_claim, editor)
    client.force_login(staff_reviewer)
    content = client.get(reverse(CHANGELIST)).content.decode()
    assert "change_state" not in content
    assert "assign_reviewer" not in content

    before = AuditEvent.objects.count()
    # On the desk this reviewer may move this claim; the admin's bulk actions are editors' only.
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
    assert [r.status_code for r in responses] == [200, 200]  # the list again, nothing run
    assert AuditEvent.objects.count() == before
    assert Claim.objects.get(pk=assigned_claim.pk).state == ReviewState.UNVERIFIED


def test_editor_sees_both_bulk_actions(editor_client, claim):
    content = editor_client.get(reverse(CHANGELIST)).content.decode()
    assert '<option value="change_state">' in content
    assert '<option value="assign_reviewer">' in content


# The claim changelist -----------------------------------------------------------------------------


def test_each_claim_links_to_its_desk_page(editor_client, claim):
    listed = editor_client.get(reverse(CHANGELIST)).content.decode()
    assert f'<a href="{claim.get_absolute_url()}">open</a>' in listed
    page = editor_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert f'<a href="{claim.get_absolute_url()}">Open on the desk</a>' in page.content.decode()


def test_search_filters_and_counts_agree_with_the_rows(editor_client, staff_editor, reviewer):
    inflation = [new_claim(staff_editor, f"Inflation hit {n} percent") for n in range(3)]
    other = new_claim(staff_editor, "The bridge was closed")
    add_evidence(other, staff_editor, stance=Stance.CONTRADICTS)
    services.claim_change_state(
        actor=staff_editor,
        claim=other,
        expected_version=Claim.objects.get(pk=other.pk).version,
        state=ReviewState.DISPUTED,
        rationale="Open all year.",
    )
    services.reviewer_assign(
        actor=staff_editor,
        claim=inflation[0],
        expected_version=Claim.objects.get(pk=inflation[0].pk).version,
        reviewer=reviewer,
    )

    def listed(query):
        cl = editor_client.get(reverse(CHANGELIST) + query).context["cl"]
        return cl.result_count, {claim.pk for claim in cl.result_list}

    all_ids = {claim.pk for claim in [*inflation, other]}
    assert listed("") == (4, all_ids)
    assert listed("?state__exact=disputed") == (1, {other.pk})
    assert listed("?state__exact=unverified") == (3, {claim.pk for claim in inflation})
    assert listed("?state__exact=disputed&state__exact=unverified") == (4, all_ids)
    assert listed("?state__exact=corroborated") == (0, set())
    assert listed("?state__exact=nonsense") == (0, set())
    assert listed("?q=inflat") == (3, {claim.pk for claim in inflation})
    assert listed("?q=inflation+bridge") == (0, set())
    assert listed("?q=bridge&state__exact=disputed") == (1, {other.pk})
    assert listed(f"?reviewer={reviewer.pk}") == (1, {inflation[0].pk})
    assert listed(f"?id__in={other.pk},{inflation[1].pk}") == (2, {other.pk, inflation[1].pk})


def test_plain_and_state_lists_read_the_tally_instead_of_counting(editor_client, claim):
    for query in ("", "?state__exact=unverified", "?p=1&o=7"):
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(reverse(CHANGELIST) + query).status_code == 200
        sql = [q["sql"] for q in queries.captured_queries]
        assert not [s for s in sql if "COUNT(" in s.upper() and "claims_claim" in s], query
        assert any("claims_statetally" in s for s in sql), query


@pytest.mark.parametrize(
    "query",
    ["", "?state__exact=unverified", "?q=claim", "?p=2", "?q=strike&state__exact=unverified"],
)
def test_claim_changelist_queries_do_not_grow_with_rows(
    editor_client, staff_editor, reviewer, django_assert_max_num_queries, query
):
    def queries_for_page():
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(reverse(CHANGELIST) + query).status_code == 200
        return len(queries)

    ClaimFactory.create_batch(120)
    few = queries_for_page()
    ClaimFactory.create_batch(180)
    with django_assert_max_num_queries(few):
        editor_client.get(reverse(CHANGELIST) + query)
    assert few <= 12


@pytest.mark.parametrize("model", ["evidence", "assignment", "auditevent"])
def test_large_changelists_count_once(editor_client, assigned_claim, editor, model):
    add_evidence(assigned_claim, editor)
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(reverse(f"admin:claims_{model}_changelist"))
    assert response.status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1, counts


def test_children_are_searched_by_their_claims_text(editor_client, assigned_claim, editor):
    add_evidence(assigned_claim, editor, title="Unrelated title")
    for model in ("evidence", "assignment", "auditevent"):
        url = reverse(f"admin:claims_{model}_changelist")
        assert editor_client.get(url + "?q=strike").context["cl"].result_count > 0, model
        assert editor_client.get(url + "?q=zzznothing").context["cl"].result_count == 0, model


@pytest.mark.parametrize("query", ["", "?state__exact=unverified&o=1"])
def test_claim_rows_are_written_as_the_stock_admin_writes_them(editor_client, staff_editor, query):
    claim = new_claim(staff_editor, "A claim <with> “markup” & more " + "x" * 90)
    ClaimFactory(claimed_on=None)
    ClaimFactory(claimed_on=datetime.date(2021, 7, 1))
    response = editor_client.get(reverse(CHANGELIST) + query)
    cl = response.context["cl"]
    stock = ["".join(items_for_result(cl, row, None)) for row in cl.result_list]

    assert [cells for [cells] in cl.result_table()["results"]] == stock
    assert len(stock) == 3
    assert "July 1, 2021" in "".join(stock)
    assert "_changelist_filters" in stock[0] or not query
    assert f'<a href="{claim.get_absolute_url()}">open</a>' in response.content.decode()


def test_viewers_rows_have_no_checkbox(client, viewer, claim):
    viewer.is_staff = True
    viewer.save(update_fields=["is_staff"])
    client.force_login(viewer)
    response = client.get(reverse(CHANGELIST))
    cl = response.context["cl"]
    assert [cells for [cells] in cl.result_table()["results"]] == [
        "".join(items_for_result(cl, row, None)) for row in cl.result_list
    ]
    assert "action-select" not in response.content.decode()


def test_a_broad_search_pages_the_same_claims_whichever_way_it_reads_them(
    editor_client, monkeypatch
):
    """The first pages of a broad search walk the list's index (search.reads_in_order); they
    must hold the same claims, in the same order, as when every match is sorted."""
    from django.contrib import admin

    from claims.models import Claim
    from tests.factories import ClaimFactory

    ClaimFactory.create_batch(60, text="Inflation rose in the spring")
    ClaimFactory.create_batch(5, text="Unrelated")
    monkeypatch.setattr(admin.site._registry[Claim], "list_per_page", 5)
    searched_in_order = []
    real = claims_admin.search_claims

    def spy(queryset, query, *, in_order=False):
        searched_in_order.append(in_order)
        return real(queryset, query, in_order=in_order)

    monkeypatch.setattr(claims_admin, "search_claims", spy)

    def pages():
        ids = []
        for number in (1, 2, 12):
            response = editor_client.get(reverse(CHANGELIST), {"q": "inflation", "p": number})
            assert response.status_code == 200
            ids.append([claim.pk for claim in response.context["cl"].result_list])
        return ids

    by_match = pages()
    assert True not in searched_in_order  # 60 matches: fewer than search.IN_ORDER_MATCHES
    monkeypatch.setattr("claims.search.IN_ORDER_MATCHES", 10)
    searched_in_order.clear()
    assert pages() == by_match
    assert searched_in_order.count(True) == 1  # page 1 only: page 2 ends past 60 / 10
    assert [len(page) for page in by_match] == [5, 5, 5]
    assert len({pk for page in by_match for pk in page}) == 15


@pytest.mark.parametrize(
    ("model", "selected"),
    [
        ("claim", "abc"),
        ("claim", "99999999999999999999999"),
        ("claim", "-1"),
        ("claim", "²"),  # a digit to str.isdigit, not to int()
        ("assignment", "1e3"),
    ],
)
def test_a_selection_of_no_row_ids_is_refused_with_a_message(
    editor_client, editor, model, selected
):
    claim = new_claim(editor, "Wages rose.")
    action = "change_state" if model == "claim" else "withdraw_selected"
    response = editor_client.post(
        reverse(f"admin:claims_{model}_changelist"),
        {
            "action": action,
            "_selected_action": [str(claim.pk), selected],
            "confirm": "yes",
            "state": ReviewState.DISPUTED,
            "rationale": "Bulk.",
        },
    )

    assert response.status_code == 302
    assert messages_by_level(response) == {
        "error": ["The selection names rows this list does not have: nothing was done."]
    }
    assert state_events(claim) == []
