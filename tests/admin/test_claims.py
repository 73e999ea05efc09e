"""The claims' admin: add and change through the services, and a changelist at desk scale."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import items_for_result
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.admin import claims as claims_admin
from claims.audit.actions import AuditAction
from claims.models import (
    AuditEvent,
    Claim,
    ReviewState,
    Stance,
)
from tests.admin.helpers import (
    CHANGELIST,
    admin_url,
    events,
    form_data,
    new_claim,
    page_errors,
)
from tests.conftest import add_evidence
from tests.factories import ClaimFactory, SourceFactory


def test_adding_a_claim_writes_one_created_event_with_the_actor(editor_client, staff_editor):
    source = SourceFactory()
    response = editor_client.get(admin_url("claim", "add"))
    data = form_data(response) | {
        "text": "The bridge was closed for a year.",
        "claimant": "The mayor",
        "claimed_on": "2024-03-01",
        "appearances-0-source": source.pk,
        "appearances-0-quote": "closed for a year",
    }
    response = editor_client.post(admin_url("claim", "add"), data)

    assert response.status_code == 302
    claim = Claim.objects.get()
    assert (claim.text, claim.claimant, claim.created_by) == (
        "The bridge was closed for a year.",
        "The mayor",
        staff_editor,
    )
    assert [(a.source, a.quote) for a in claim.appearances.all()] == [(source, "closed for a year")]
    [event] = events(claim)
    assert (event.action, event.actor, event.actor_name) == (
        AuditAction.CLAIM_CREATED,
        staff_editor,
        "Edna Editor",
    )
    assert event.data["new"]["appearances"][0]["quote"] == "closed for a year"


def test_adding_a_claim_with_invalid_input_keeps_it_and_writes_nothing(editor_client):
    response = editor_client.get(admin_url("claim", "add"))
    data = form_data(response) | {"text": "Kept text", "claimant": "", "claimed_on": "31/31/2024"}
    response = editor_client.post(admin_url("claim", "add"), data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert set(form.errors) == {"claimant", "claimed_on"}
    assert form["text"].value() == "Kept text"
    assert not Claim.objects.exists()
    assert not AuditEvent.objects.exists()


def test_adding_a_claim_with_one_source_twice_is_refused(editor_client, source):
    data = form_data(editor_client.get(admin_url("claim", "add"))) | {
        "text": "Twice",
        "claimant": "Someone",
        "appearances-TOTAL_FORMS": "2",
        "appearances-0-source": source.pk,
        "appearances-1-source": source.pk,
    }
    response = editor_client.post(admin_url("claim", "add"), data)

    assert response.status_code == 200
    assert page_errors(response) == ["Correct the errors in the appearances below."]
    assert not Claim.objects.exists()


def test_editing_a_claim_writes_edited_event_with_old_and_new_values(
    editor_client, staff_editor, claim
):
    response = editor_client.get(admin_url("claim", "change", claim.pk))
    data = form_data(response) | {"text": "Israel never joined the strike.", "claimant": "Trump"}
    response = editor_client.post(admin_url("claim", "change", claim.pk), data)

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.version == 2
    assert claim.text == "Israel never joined the strike."
    [event] = events(claim, AuditAction.CLAIM_EDITED)
    assert event.actor == staff_editor
    assert event.data == {
        "old": {
            "text": "Israel pulled out of the strike the night before.",
            "claimant": "Donald Trump",
        },
        "new": {"text": "Israel never joined the strike.", "claimant": "Trump"},
    }


def test_editing_appearances_inline_goes_through_the_service(editor_client, claim, source):
    other = SourceFactory(title="Second report")
    data = form_data(editor_client.get(admin_url("claim", "change", claim.pk)))
    data |= {
        "appearances-0-DELETE": "on",
        "appearances-1-source": other.pk,
        "appearances-1-quote": "a new passage",
    }
    response = editor_client.post(admin_url("claim", "change", claim.pk), data)

    assert response.status_code == 302
    assert [(a.source, a.quote) for a in claim.appearances.all()] == [(other, "a new passage")]
    [event] = events(claim, AuditAction.CLAIM_EDITED)
    assert [a["source_id"] for a in event.data["old"]["appearances"]] == [source.pk]
    assert [a["source_id"] for a in event.data["new"]["appearances"]] == [other.pk]


def test_saving_an_unchanged_claim_writes_nothing(editor_client, claim):
    data = form_data(editor_client.get(admin_url("claim", "change", claim.pk)))
    response = editor_client.post(admin_url("claim", "change", claim.pk), data)

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.version == 1
    assert len(events(claim)) == 1


def test_stale_edit_shows_a_conflict_keeps_the_input_and_does_not_overwrite(
    editor_client, editor, claim
):
    data = form_data(editor_client.get(admin_url("claim", "change", claim.pk)))
    services.claim_update(
        actor=editor,
        claim=claim,
        expected_version=1,
        text="Someone else's wording.",
        claimant=claim.claimant,
        claimed_on=claim.claimed_on,
    )
    data["text"] = "My wording."
    response = editor_client.post(admin_url("claim", "change", claim.pk), data)

    assert response.status_code == 200
    errors = page_errors(response)
    assert "changed the claim's text from" in errors[0]
    assert "just now" in errors[0]
    assert "version" not in errors[0]  # in words, without the claim's internal version numbers
    assert "Someone else's wording." in errors[1]
    assert response.context["adminform"].form["text"].value() == "My wording."
    content = response.content.decode()
    assert "My wording." in content
    assert (
        "Edna Editor changed the claim&#x27;s text from" in content
        or "Edna Editor changed the claim's text from" in content
    )
    claim.refresh_from_db()
    assert claim.text == "Someone else's wording."
    assert len(events(claim, AuditAction.CLAIM_EDITED)) == 1

    # Having seen the conflict, submitting the re-rendered form again is a deliberate overwrite.
    again = form_data(response)
    assert again["expected_version"] == "2"
    assert editor_client.post(admin_url("claim", "change", claim.pk), again).status_code == 302
    claim.refresh_from_db()
    assert (claim.text, claim.version) == ("My wording.", 3)


def test_tampered_version_is_a_form_error_not_a_server_error(editor_client, claim):
    data = form_data(editor_client.get(admin_url("claim", "change", claim.pk)))
    data |= {"expected_version": "not-a-number", "text": "Changed"}
    response = editor_client.post(admin_url("claim", "change", claim.pk), data)

    assert response.status_code == 200
    assert "Reload the page" in page_errors(response)[0]
    claim.refresh_from_db()
    assert claim.version == 1


def test_tampered_claim_posts_are_form_errors_not_server_errors(editor_client, claim):
    url = admin_url("claim", "change", claim.pk)
    assert editor_client.post(url, {}).status_code == 200
    response = editor_client.post(
        url, {"text": "New", "claimant": "X", "expected_version": "1"}
    )  # no appearance rows at all
    assert response.status_code == 200
    assert page_errors(response) == ["Correct the errors in the appearances below."]
    claim.refresh_from_db()
    assert claim.version == 1


def test_claims_cannot_be_deleted_in_the_admin(client, superuser, claim):
    client.force_login(superuser)
    assert client.get(admin_url("claim", "delete", claim.pk)).status_code == 403
    assert client.post(admin_url("claim", "delete", claim.pk), {"post": "yes"}).status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_audit_trail_of_one_claim_is_reachable_from_the_claim_page(editor_client, claim):
    response = editor_client.get(admin_url("claim", "change", claim.pk))
    trail = admin_url("auditevent", "changelist") + f"?claim__id__exact={claim.pk}"
    assert trail in response.content.decode()
    assert "Audit trail (1 event)" in response.content.decode()
    assert editor_client.get(trail).status_code == 200


def test_claim_and_source_autocomplete_answer_editors(editor_client, claim, source):
    for model_name, field_name, term, expected in (
        ("evidence", "claim", "Israel", claim),
        ("assignment", "claim", "Israel", claim),
        ("appearance", "source", source.title, source),
    ):
        response = editor_client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "claims",
                "model_name": model_name,
                "field_name": field_name,
                "term": term,
            },
        )
        assert response.status_code == 200, model_name
        assert [row["id"] for row in response.json()["results"]] == [str(expected.pk)]


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


def test_rows_without_actions_have_no_checkbox(editor_client, claim, monkeypatch):
    monkeypatch.setattr(admin.site._registry[Claim], "actions", ())
    response = editor_client.get(reverse(CHANGELIST))
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
