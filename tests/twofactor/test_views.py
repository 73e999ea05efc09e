"""The pages: enrolling from the settings page, signing in with a code, turning it off."""

import re

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from claims.twofactor import pending
from claims.twofactor.qr import secret_for_typing
from claims.twofactor.selectors import has_two_factor
from tests.conftest import FACTORY_PASSWORD
from tests.twofactor.conftest import (
    app_code,
    enrol,
    sign_in_with_password,
    signed_in_user,
    verified_login,
    wait_out_throttle,
    wrong_code,
)

pytestmark = pytest.mark.django_db

MANAGE = "/settings/two-factor/"
CODE_STEP = "/login/code/"


def recovery_codes_on(html: str) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", html)


# Enrolling ---------------------------------------------------------------------------------------


def test_the_settings_page_offers_to_set_it_up(client, reviewer):
    client.force_login(reviewer)
    page = client.get("/settings/").content.decode()
    assert "Two-factor sign-in" in page
    assert 'action="/settings/two-factor/start/"' in page


def test_starting_shows_a_qr_code_drawn_here_and_the_key_to_type(client, reviewer):
    client.force_login(reviewer)
    response = client.post("/settings/two-factor/start/")
    assert response.status_code == 302
    assert response["Location"] == MANAGE + "#enrol"

    page = client.get(MANAGE).content.decode()
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    assert '<svg width="' in page
    assert 'class="qr-code"' in page
    assert "<img" not in page
    assert "<script>" not in page.split("</head>")[1]
    assert 'role="img" aria-label="QR code for your authenticator app"' in page
    assert secret_for_typing(device) in page
    assert "Finish setting up" in client.get("/settings/").content.decode()


def test_a_wrong_code_keeps_the_page_and_says_so(client, reviewer):
    client.force_login(reviewer)
    client.post("/settings/two-factor/start/")
    device = TOTPDevice.objects.get(user=reviewer)
    typed = wrong_code(device)

    response = client.post("/settings/two-factor/confirm/", {"enrol-code": typed})

    assert response.status_code == 422
    page = response.content.decode()
    assert "That is not the code your app shows now" in page
    assert f'value="{typed}"' in page  # what was typed stays in the field
    assert 'class="qr-code"' in page  # and the QR code stays to scan
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed


def test_a_code_that_is_not_six_digits_is_refused_before_it_counts(client, reviewer):
    client.force_login(reviewer)
    client.post("/settings/two-factor/start/")
    response = client.post("/settings/two-factor/confirm/", {"enrol-code": "12 34"})
    assert response.status_code == 422
    assert "Type the six digits your app shows" in response.content.decode()
    assert TOTPDevice.objects.get(user=reviewer).throttling_failure_count == 0


def test_the_right_code_turns_it_on_and_shows_the_recovery_codes_once(client, reviewer):
    client.force_login(reviewer)
    client.post("/settings/two-factor/start/")
    device = TOTPDevice.objects.get(user=reviewer)

    response = client.post("/settings/two-factor/confirm/", {"enrol-code": app_code(device)})

    assert response.status_code == 201
    shown = recovery_codes_on(response.content.decode())
    assert len(shown) == 10
    assert sorted(shown) == sorted(StaticToken.objects.values_list("token", flat=True))
    assert response.wsgi_request.user.is_verified()  # this session counts as verified now
    _user, verified = signed_in_user(client)
    assert verified

    for again in (client.get(MANAGE), client.get("/settings/")):
        html = again.content.decode()
        assert not recovery_codes_on(html)
        assert not any(code in html for code in shown)
    assert "10 recovery codes left" in client.get("/settings/").content.decode()


def test_confirming_without_a_begun_enrolment_says_to_start_again(client, reviewer):
    client.force_login(reviewer)
    response = client.post("/settings/two-factor/confirm/", {"enrol-code": "123456"})
    assert response.status_code == 422
    assert "Set up two-factor sign-in again" in response.content.decode()


def test_cancelling_forgets_the_enrolment(client, reviewer):
    client.force_login(reviewer)
    client.post("/settings/two-factor/start/")
    response = client.post("/settings/two-factor/cancel/", follow=True)
    assert response.redirect_chain[-1][0] == "/settings/"
    assert not TOTPDevice.objects.filter(user=reviewer).exists()


def test_a_person_without_a_role_gets_no_two_factor_page(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(MANAGE).status_code == 403
    assert client.post("/settings/two-factor/start/").status_code == 403


# Signing in -------------------------------------------------------------------------------------


def test_without_two_factor_the_password_signs_in(client, reviewer):
    response = sign_in_with_password(client, reviewer)
    assert response.status_code == 302
    assert response["Location"] == "/"
    user, verified = signed_in_user(client)
    assert user == reviewer
    assert not verified


def test_with_two_factor_the_password_alone_does_not_sign_in(client, reviewer):
    enrol(reviewer)
    response = sign_in_with_password(client, reviewer)

    assert response.status_code == 302
    assert response["Location"] == CODE_STEP
    assert "_auth_user_id" not in client.session
    assert client.get("/claims/").status_code == 302  # still the login page's
    page = client.get(CODE_STEP)
    assert page.status_code == 200
    assert "Your password is right" in page.content.decode()


def test_a_wrong_code_is_refused_and_signs_no_one_in(client, reviewer):
    device, _codes = enrol(reviewer)
    sign_in_with_password(client, reviewer)

    response = client.post(CODE_STEP, {"code": wrong_code(device)})

    assert response.status_code == 422
    assert "That code is not right" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_apps_code_signs_in_and_verifies_the_session(client, reviewer):
    device, _codes = enrol(reviewer)
    sign_in_with_password(client, reviewer, next_url="/claims/")

    response = client.post(CODE_STEP, {"code": app_code(device, steps_ahead=1)})

    assert response.status_code == 302
    assert response["Location"] == "/claims/"
    user, verified = signed_in_user(client)
    assert user == reviewer
    assert verified


def test_a_recovery_code_signs_in_once(client, reviewer):
    from django.test import Client

    _device, codes = enrol(reviewer)
    sign_in_with_password(client, reviewer)
    response = client.post(CODE_STEP, {"code": codes[3]}, follow=True)
    assert response.status_code == 200
    assert "You signed in with a recovery code: 9 are left" in response.content.decode()
    assert signed_in_user(client) == (reviewer, True)

    another = Client()
    sign_in_with_password(another, reviewer)
    assert another.post(CODE_STEP, {"code": codes[3]}).status_code == 422
    assert "_auth_user_id" not in another.session


def test_guessing_the_code_is_throttled(client, reviewer):
    device, _codes = enrol(reviewer)
    sign_in_with_password(client, reviewer)
    client.post(CODE_STEP, {"code": wrong_code(device)})

    response = client.post(CODE_STEP, {"code": app_code(device, steps_ahead=1)})

    assert response.status_code == 422
    assert "Too many wrong codes in a row: wait 1 second" in response.content.decode()
    wait_out_throttle(device)
    assert client.post(CODE_STEP, {"code": app_code(device, steps_ahead=1)}).status_code == 302


def test_a_sign_in_waiting_for_its_code_lapses(client, reviewer, monkeypatch):
    device, _codes = enrol(reviewer)
    sign_in_with_password(client, reviewer)
    monkeypatch.setattr(pending, "PENDING_SECONDS", -1)

    response = client.post(CODE_STEP, {"code": app_code(device, steps_ahead=1)})

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session


def test_the_code_step_without_a_password_first_leads_to_the_login(client, reviewer):
    assert client.get(CODE_STEP)["Location"] == "/login/"
    client.force_login(reviewer)  # signed in, nothing to verify
    assert client.get(CODE_STEP)["Location"] == "/login/"


def test_the_admins_login_form_leads_to_the_desks(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/admin/"


# Turning it off, new recovery codes ---------------------------------------------------------------


def test_turning_it_off_needs_the_password_or_a_code(client, reviewer):
    device, _codes = enrol(reviewer)
    verified_login(client, reviewer, device)

    refused = client.post("/settings/two-factor/disable/", {"disable-confirmation": "nope"})
    assert refused.status_code == 422
    assert "neither your password nor a current code" in refused.content.decode()
    assert has_two_factor(reviewer)

    response = client.post(
        "/settings/two-factor/disable/", {"disable-confirmation": FACTORY_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/settings/"
    assert "Two-factor sign-in is off." in response.content.decode()
    assert not has_two_factor(reviewer)
    assert sign_in_with_password(client, reviewer)["Location"] == "/"


def test_new_recovery_codes_are_shown_once_and_the_old_stop(client, reviewer):
    device, old = enrol(reviewer)
    verified_login(client, reviewer, device)

    response = client.post(
        "/settings/two-factor/recovery-codes/", {"codes-confirmation": FACTORY_PASSWORD}
    )

    assert response.status_code == 201
    new = recovery_codes_on(response.content.decode())
    assert len(new) == 10
    assert not set(new) & set(old)
    assert not recovery_codes_on(client.get(MANAGE).content.decode())


def test_a_session_signed_in_without_a_code_changes_nothing(client, reviewer):
    """A session from before enrolling (force_login: no code) must verify first."""
    enrol(reviewer)
    client.force_login(reviewer)
    page = client.get(MANAGE).content.decode()
    assert "Verify with a code" in page
    assert "Turn off two-factor sign-in" not in page

    for address, field in (
        ("/settings/two-factor/disable/", "disable-confirmation"),
        ("/settings/two-factor/recovery-codes/", "codes-confirmation"),
    ):
        response = client.post(address, {field: FACTORY_PASSWORD})
        assert response.status_code == 302
        assert response["Location"] == f"{CODE_STEP}?next=%2Fsettings%2Ftwo-factor%2F"
    assert has_two_factor(reviewer)


def test_verifying_a_session_comes_back_to_where_it_was(client, reviewer):
    device, _codes = enrol(reviewer)
    client.force_login(reviewer)
    page = client.get(f"{CODE_STEP}?next={MANAGE}")
    assert page.status_code == 200
    assert "to verify this session" in page.content.decode()

    response = client.post(CODE_STEP, {"code": app_code(device, steps_ahead=1), "next": MANAGE})

    assert response["Location"] == MANAGE
    assert signed_in_user(client) == (reviewer, True)
    assert "Turn off two-factor sign-in" in client.get(MANAGE).content.decode()
