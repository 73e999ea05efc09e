"""What every model admin shares (claims.admin.lists): every model renders, nothing is deleted,
lists count once and stay within a fixed number of queries, odd input is refused."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from claims import clock, services
from claims.models import (
    Assignment,
    AuditEvent,
    Channel,
    Claim,
    Evidence,
    Notification,
    NotificationKind,
    ReviewState,
    Source,
    WebhookDelivery,
    WebhookEndpoint,
)
from tests.admin.helpers import (
    MODELS,
    admin_url,
    events,
    form_data,
    messages_by_level,
    new_claim,
    page_errors,
    state_events,
)
from tests.conftest import add_evidence
from tests.factories import SourceFactory, UserFactory


@pytest.mark.parametrize("user_fixture", ["staff_editor", "superuser"])
def test_changelists_and_change_pages_render(client, request, user_fixture, evidence, reviewer):
    claim = evidence.claim
    services.reviewer_assign(
        actor=request.getfixturevalue("editor"),
        claim=claim,
        reviewer=reviewer,
    )
    client.force_login(request.getfixturevalue(user_fixture))
    objects = {
        "source": Source.objects.get(),
        "claim": claim,
        "evidence": evidence,
        "assignment": Assignment.objects.get(),
        "auditevent": AuditEvent.objects.filter(claim_id=claim.pk).last(),
    }
    for model, obj in objects.items():
        assert client.get(admin_url(model, "changelist")).status_code == 200, model
        assert client.get(admin_url(model, "change", obj.pk)).status_code == 200, model
        if model != "auditevent":
            assert client.get(admin_url(model, "add")).status_code == 200, model


def test_changelists_survive_odd_search_and_filter_input(editor_client, evidence):
    for model in MODELS:
        url = admin_url(model, "changelist")
        for query in ("?q=%3Cscript%3E%27%22", "?q=42", "?created_at__year=abc", "?o=99"):
            assert editor_client.get(url + query).status_code in (200, 302), (model, query)


def test_changelist_queries_do_not_grow_with_rows(editor_client, editor, reviewer, source):
    def counts():
        result = {}
        for model in MODELS:
            with CaptureQueriesContext(connection) as queries:
                assert editor_client.get(admin_url(model, "changelist")).status_code == 200
            result[model] = len(queries)
        return result

    def desk_activity(number):
        claim = services.claim_create(
            actor=editor,
            text=f"Claim {number}",
            claimant="Someone",
            appearances=[services.AppearanceInput(SourceFactory(), "quoted")],
        )
        add_evidence(claim, editor, url=f"https://evidence.example/{number}")
        services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer)

    desk_activity(1)
    few = counts()
    for number in range(2, 6):
        desk_activity(number)
    assert counts() == few


@pytest.mark.parametrize("user_fixture", ["staff_editor", "superuser"])
def test_no_delete_anywhere(client, request, user_fixture, evidence):
    client.force_login(request.getfixturevalue(user_fixture))
    objects = {
        "source": Source.objects.get(),
        "claim": evidence.claim,
        "evidence": evidence,
        "auditevent": AuditEvent.objects.first(),
    }
    for model in MODELS:
        response = client.get(admin_url(model, "changelist"))
        assert b"delete_selected" not in response.content, model
    for model, obj in objects.items():
        assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
        response = client.post(
            admin_url(model, "changelist"),
            {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
        )
        assert response.status_code in (200, 302), model
        assert type(obj).objects.filter(pk=obj.pk).exists(), model


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


@pytest.mark.parametrize("value", ["abc", "²", "99999999999999999999999", "-1"])
@pytest.mark.parametrize("model", ["claim", "assignment"])
def test_reviewer_filters_take_odd_values_as_no_reviewer(editor_client, claim, model, value):
    response = editor_client.get(admin_url(model, "changelist"), {"reviewer": value})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


# Input the database cannot take -----------------------------------------------------------------

NINES = "9" * 30  # past 64 bits: SQLite cannot send it, PostgreSQL has no column to hold it


@pytest.mark.parametrize(
    "query",
    [
        f"claim/?id__in=1,{NINES}",
        f"claim/?version__in={NINES}",
        f"evidence/?claim__id__in=2,{NINES}",
        f"assignment/?claim__in={NINES}",
        f"source/?published_on__year={NINES}",
        "source/?published_on__year=9999",  # its year ends past the calendar's last
        f"source/?published_on__year=2024&published_on__month={NINES}",
        "auditevent/?action=%00",
        "auditevent/?action__exact=claim.%00created",
        "source/?outlet=%00",
        "source/?outlet__exact=%00",
        "evidence/?stance=%00",
        "evidence/?stance__exact=%00",
        "claim/?state__exact=%00",
        "claim/?state__exact=unverified&state__exact=%00",
        "claim/?%00=1",
    ],
)
def test_filters_the_database_cannot_take_are_refused_as_invalid_lookups(
    editor_client, evidence, query
):
    response = editor_client.get(f"/admin/claims/{query}")

    # The admin's own answer to a lookup it cannot make: the whole list, flagged, with a word.
    assert response.status_code == 302
    assert response["Location"].endswith("/?e=1")
    landing = editor_client.get(response["Location"])
    assert landing.status_code == 200
    assert [str(m) for m in landing.context["messages"]] == [
        "This list cannot be filtered as the address asked: here it is unfiltered."
    ]


def test_a_filter_on_ids_in_range_still_lists_them(editor_client, claim):
    response = editor_client.get(admin_url("claim", "changelist"), {"id__in": f"{claim.pk},-5"})
    assert [c.pk for c in response.context["cl"].result_list] == [claim.pk]


@pytest.mark.parametrize(
    ("model_name", "field_name"),
    [
        ("evidence", "claim"),
        ("assignment", "claim"),
        ("appearance", "source"),
        ("assignment", "reviewer"),
    ],
)
def test_autocomplete_with_a_nul_in_its_term_finds_nothing(
    editor_client, claim, reviewer, model_name, field_name
):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "claims",
            "model_name": model_name,
            "field_name": field_name,
            "term": "a\x00",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("value", [NINES, "abc", "\x00", "²"])
@pytest.mark.parametrize(
    ("model", "field", "post"),
    [
        (
            "evidence",
            "claim",
            lambda claim, reviewer: {"stance": "supports", "url": "https://e.example/"},
        ),
        ("assignment", "claim", lambda claim, reviewer: {"reviewer": reviewer.pk}),
        ("assignment", "reviewer", lambda claim, reviewer: {"claim": claim.pk}),
    ],
)
def test_an_id_no_row_can_have_is_a_field_error_on_the_add_forms(
    editor_client, claim, reviewer, model, field, post, value
):
    response = editor_client.post(admin_url(model, "add"), {**post(claim, reviewer), field: value})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    assert not Assignment.objects.exists()
    assert len(events(claim)) == 1  # its creation


@pytest.mark.parametrize("value", [NINES, "abc", "\x00"])
def test_an_appearance_source_no_row_can_have_is_an_error_on_the_claim_form(
    editor_client, claim, value
):
    data = form_data(editor_client.get(admin_url("claim", "change", claim.pk)))
    data |= {"appearances-1-source": value, "appearances-1-quote": "quoted"}
    response = editor_client.post(admin_url("claim", "change", claim.pk), data)

    assert response.status_code == 200
    assert page_errors(response) == ["Correct the errors in the appearances below."]
    claim.refresh_from_db()
    assert claim.version == 1


# Who gets the admin ------------------------------------------------------------------------------


@pytest.fixture
def every_kind_of_object(evidence, assigned_claim, editor):
    """One object of each model the admin registers, by model."""
    return {
        Source: Source.objects.first(),
        Claim: assigned_claim,
        Evidence: evidence,
        Assignment: Assignment.objects.get(),
        AuditEvent: AuditEvent.objects.first(),
        User: editor,
        Group: Group.objects.get(name="Editors"),
        Notification: Notification.objects.create(
            recipient=editor,
            kind=NotificationKind.ASSIGNED,
            claim=assigned_claim,
            channel=Channel.IN_APP,
            created_at=clock.now(),
        ),
        WebhookEndpoint: (
            endpoint := WebhookEndpoint.objects.create(
                url="https://hooks.example.org/",
                event_types=["claim.created"],
                secret="whsec_c2VjcmV0",
                created_at=clock.now(),
                updated_at=clock.now(),
            )
        ),
        WebhookDelivery: WebhookDelivery.objects.create(
            endpoint=endpoint,
            event=AuditEvent.objects.first(),
            event_type="claim.created",
            payload={},
            created_at=clock.now(),
        ),
        DBTaskResult: DBTaskResult.objects.create(
            task_path="claims.notifications.tasks.announce_event",
            args_kwargs={"args": [1], "kwargs": {}},
            backend_name="default",
            queue_name="default",
            priority=0,
        ),
        # Sign-in records (claims/admin/signin.py).
        AccessAttempt: AccessAttempt.objects.create(
            username="edna", ip_address="198.51.100.7", failures_since_start=5
        ),
        AccessLog: AccessLog.objects.create(username="edna", ip_address="198.51.100.7"),
        AccessFailureLog: AccessFailureLog.objects.create(
            username="edna", ip_address="198.51.100.7"
        ),
    }


def admin_pages(objects) -> list[str]:
    """Every registered model's changelist, add, change and history page."""
    assert set(objects) == set(admin.site._registry), "a registered model without an object here"
    pages = []
    for model, obj in objects.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        pages += [reverse(f"{name}_{view}", args=[obj.pk]) for view in ("change", "history")]
    return pages


@pytest.fixture
def staff_clerk(db):
    """Staff, holding every permission there is but the editor role's own."""
    clerk = UserFactory(username="clerk", is_staff=True)
    clerk.user_permissions.set(Permission.objects.exclude(codename="manage_claims"))
    return clerk


@pytest.mark.parametrize("role", ["viewer", "reviewer", "staff_clerk"])
def test_staff_who_are_not_editors_get_no_admin_page(client, request, every_kind_of_object, role):
    user = request.getfixturevalue(role)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    before = AuditEvent.objects.count()

    refused = {}
    for page in admin_pages(every_kind_of_object):
        refused[page] = client.get(page).status_code
        refused[f"POST {page}"] = client.post(page, {}).status_code
    assert set(refused.values()) == {403}, refused
    index = client.get(reverse("admin:index"))
    assert "You don’t have permission to view or edit anything." in index.content.decode()
    lookup = {"app_label": "claims", "model_name": "evidence", "field_name": "claim", "term": ""}
    assert client.get(reverse("admin:autocomplete"), lookup).status_code == 403
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("role", ["staff_editor", "superuser"])
def test_editors_get_the_admin_pages_of_the_desk(client, request, every_kind_of_object, role):
    client.force_login(request.getfixturevalue(role))
    statuses = {page: client.get(page).status_code for page in admin_pages(every_kind_of_object)}

    refused = {page for page, status in statuses.items() if status != 200}
    # Nobody adds to the audit trail by hand; editors hold no user or group permission.
    # Nor writes notifications, tasks or webhook deliveries: the desk's own work does; and
    # webhook endpoints are added on the editors' page, which checks addresses.
    expected = {
        reverse("admin:claims_auditevent_add"),
        reverse("admin:claims_notification_add"),
        reverse("admin:claims_webhookendpoint_add"),
        reverse("admin:claims_webhookdelivery_add"),
        reverse("admin:django_tasks_database_dbtaskresult_add"),
        # Nor sign-in records: the logins write them.
        reverse("admin:axes_accessattempt_add"),
        reverse("admin:axes_accesslog_add"),
        reverse("admin:axes_accessfailurelog_add"),
    }
    if role == "staff_editor":
        expected |= {page for page in statuses if page.startswith("/admin/auth/")}
    assert refused == expected
    assert {statuses[page] for page in refused} == {403}
