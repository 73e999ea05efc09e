"""FACTCHECK_REQUIRE_2FA: editors and staff act only in a verified session; others may enrol."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission

from claims.models import Claim
from claims.permissions import must_use_two_factor
from tests.api.conftest import token_client
from tests.factories import UserFactory
from tests.twofactor.conftest import app_code, enrol, verified_login

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ENROL = "/settings/two-factor/"


def new_claim_data(source):
    return {
        "text": "The bridge cost twice its budget.",
        "claimant": "A councillor",
        "appearances-TOTAL_FORMS": "1",
        "appearances-INITIAL_FORMS": "0",
        "appearances-MIN_NUM_FORMS": "0",
        "appearances-MAX_NUM_FORMS": "20",
        "appearances-0-source": source.pk,
        "appearances-0-quote": "twice the budget",
    }


@pytest.fixture
def staff_viewer(viewer):
    viewer.is_staff = True
    viewer.save(update_fields=["is_staff"])
    return viewer


def test_the_rule_covers_editors_and_staff_only_when_on(
    settings, editor, reviewer, viewer, staff_viewer, superuser
):
    settings.FACTCHECK_REQUIRE_2FA = False
    assert not must_use_two_factor(editor)
    settings.FACTCHECK_REQUIRE_2FA = True
    assert must_use_two_factor(editor)
    assert must_use_two_factor(superuser)
    assert must_use_two_factor(staff_viewer)
    reviewer.refresh_from_db()
    assert not must_use_two_factor(reviewer)
    editor.is_active = False
    assert not must_use_two_factor(editor)


@pytest.mark.usefixtures("required")
def test_an_editor_who_has_not_enrolled_is_sent_to_enrol(client, editor):
    client.force_login(editor)
    for page in ("/claims/", "/dashboard/", "/settings/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == f"{ENROL}?next={page.replace('/', '%2F')}"
    page = client.get(ENROL).content.decode()
    assert "This desk asks editors and staff to sign in with a second factor" in page


@pytest.mark.usefixtures("required")
def test_an_unverified_editors_write_is_refused(client, editor, source):
    client.force_login(editor)
    response = client.post("/claims/new/", new_claim_data(source))
    assert response.status_code == 302
    assert response["Location"] == ENROL  # a write's address is no page to come back to
    assert not Claim.objects.exists()


@pytest.mark.usefixtures("required")
def test_an_enrolled_editor_signed_in_without_a_code_is_sent_to_the_code(client, editor):
    device, _codes = enrol(editor)
    client.force_login(editor)

    response = client.get("/claims/")
    assert response["Location"] == "/login/code/?next=%2Fclaims%2F"

    done = client.post("/login/code/", {"code": app_code(device, 1), "next": "/claims/"})
    assert done["Location"] == "/claims/"
    assert client.get("/claims/").status_code == 200


@pytest.mark.usefixtures("required")
def test_a_verified_editor_acts(client, editor, source):
    device, _codes = enrol(editor)
    verified_login(client, editor, device)
    assert client.get("/claims/").status_code == 200
    assert client.post("/claims/new/", new_claim_data(source)).status_code == 302
    assert Claim.objects.count() == 1


@pytest.mark.usefixtures("required")
def test_enrolling_then_goes_back_to_the_page_asked_for(client, editor):
    client.force_login(editor)
    client.post(f"{ENROL}start/", {"next": "/dashboard/"})
    device = editor.totpdevice_set.get()
    response = client.post(
        f"{ENROL}confirm/", {"enrol-code": app_code(device), "next": "/dashboard/"}
    )
    assert response.status_code == 201
    assert 'href="/dashboard/"' in response.content.decode()
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.usefixtures("required")
def test_reviewers_and_viewers_are_not_held(client, reviewer, viewer):
    for person in (reviewer, viewer):
        client.force_login(person)
        assert client.get("/claims/").status_code == 200
        assert client.get(ENROL).status_code == 200  # and may enrol


@pytest.mark.usefixtures("required")
def test_staff_who_are_not_editors_are_held_too(client, staff_viewer):
    client.force_login(staff_viewer)
    assert client.get("/claims/")["Location"].startswith(ENROL)


@pytest.mark.usefixtures("required")
def test_the_admin_is_held_too(client, staff_editor):
    client.force_login(staff_editor)
    response = client.get("/admin/claims/claim/")
    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next=%2Fadmin%2Fclaims%2Fclaim%2F"


@pytest.mark.usefixtures("required")
def test_a_verified_staff_editor_reaches_the_admin(client, staff_editor):
    device, _codes = enrol(staff_editor)
    verified_login(client, staff_editor, device)
    assert client.get("/admin/claims/claim/").status_code == 200


@pytest.mark.usefixtures("required")
def test_logging_out_is_never_held(client, staff_editor):
    client.force_login(staff_editor)
    assert client.post("/logout/")["Location"] == "/login/"
    client.force_login(staff_editor)
    assert client.post("/admin/logout/")["Location"] == "/login/"
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("required")
def test_an_htmx_request_is_sent_on_by_htmx(client, editor):
    client.force_login(editor)
    response = client.get("/claims/?state=disputed", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{ENROL}?next=%2Fclaims%2F%3Fstate%3Ddisputed"


@pytest.mark.usefixtures("required")
def test_the_api_on_an_unverified_session_is_refused_with_a_problem(client, editor):
    client.force_login(editor)
    response = client.get("/api/v1/claims/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 403
    assert body["title"] == "Not allowed"
    assert "personal token" in body["detail"]


@pytest.mark.usefixtures("required")
def test_the_api_with_a_token_is_left_alone(editor, claim):
    assert token_client(editor).get("/api/v1/claims/").status_code == 200


@pytest.mark.usefixtures("required")
def test_the_api_on_a_verified_session_answers(client, editor):
    device, _codes = enrol(editor)
    verified_login(client, editor, device)
    assert client.get("/api/v1/claims/").status_code == 200


def test_when_off_an_editor_acts_without_a_second_factor(client, editor, settings):
    settings.FACTCHECK_REQUIRE_2FA = False
    client.force_login(editor)
    assert client.get("/claims/").status_code == 200
    assert client.get("/api/v1/claims/").status_code == 200


@pytest.mark.usefixtures("required")
def test_a_person_with_no_role_who_is_staff_still_sees_the_refusal_not_a_loop(client):
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.set(Permission.objects.none())
    client.force_login(clerk)
    assert client.get("/claims/")["Location"].startswith(ENROL)
    assert client.get(ENROL).status_code == 403  # no role on the desk: the 403 says so


@pytest.mark.parametrize(("debug", "expected"), [("false", "True"), ("true", "False")])
def test_it_is_on_unless_debugging(debug, expected):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"FACTCHECK_REQUIRE_2FA", "DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(
        DJANGO_DEBUG=debug, SECRET_KEY="s" * 50, DJANGO_SETTINGS_MODULE="factcheck.settings"
    )
    code = "from django.conf import settings; print(settings.FACTCHECK_REQUIRE_2FA)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr
