"""Throttled sign-in (django-axes, claims.signin.lockout): five failures for one username from
one address pause that pair for fifteen minutes, on the desk's login and the admin's, with the
same answer whether or not the account exists."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from claims.auth_backend import ModelBackendOneQuery
from claims.signin.lockout import client_address
from tests.conftest import FACTORY_PASSWORD

HOME = "198.51.100.7"
ELSEWHERE = "203.0.113.40"


def sign_in(client, username, password, address=HOME, path="/login/", **headers):
    return client.post(
        path, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail(client, username, times, **kwargs):
    return [sign_in(client, username, "not it", **kwargs).status_code for _ in range(times)]


def without_csrf_tokens(response) -> str:
    """The page, less the CSRF token, which is masked anew on every page."""
    return re.sub(r'("X-CSRFToken": ")[^"]+', r"\1", response.content.decode())


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_fifth_failure_pauses_the_pair_with_a_429_page(client, editor):
    assert fail(client, "edna", 4) == [200] * 4

    response = sign_in(client, "edna", "not it")

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert "Sign-in paused" in page
    assert "After 5 failed attempts" in page
    until = timezone.localtime(AccessAttempt.objects.get().attempt_time + timedelta(minutes=15))
    assert f"Try again after {until:%H:%M}, in 15 minutes." in page
    assert "ask an editor or the desk's staff" in page
    assert response["Retry-After"] == "900"


def test_the_right_password_is_refused_while_paused(client, editor):
    fail(client, "edna", 5)

    response = sign_in(client, "edna", FACTORY_PASSWORD)

    assert response.status_code == 429
    assert not signed_in(client)


def test_another_address_or_another_username_is_not_paused(client, editor, reviewer):
    fail(client, "edna", 5)

    assert sign_in(client, "rita", FACTORY_PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "edna", FACTORY_PASSWORD, address=ELSEWHERE).status_code == 302
    assert signed_in(client)


def test_an_unknown_username_gets_the_same_answers(client, editor):
    known = fail(client, "edna", 6)
    unknown = fail(client, "nobody-here", 6)
    assert known == unknown == [200, 200, 200, 200, 429, 429]

    known_page = without_csrf_tokens(sign_in(client, "edna", "not it"))
    unknown_page = without_csrf_tokens(sign_in(client, "nobody-here", "not it"))
    assert known_page == unknown_page


def test_wrong_passwords_cost_one_hash_whether_or_not_the_user_exists(editor, monkeypatch):
    """ModelBackend hashes the password of an unknown username too, so a refusal takes about
    as long either way; the one-query backend inherits that."""
    hashes = []
    real_encode = MD5PasswordHasher.encode

    def encode(self, *args):
        hashes.append(1)
        return real_encode(self, *args)

    monkeypatch.setattr(MD5PasswordHasher, "encode", encode)
    request = RequestFactory().post("/login/")
    backend = ModelBackendOneQuery()

    assert backend.authenticate(request, username="edna", password="not it") is None
    assert backend.authenticate(request, username="nobody-here", password="not it") is None
    assert len(hashes) == 2


def test_a_paused_attempt_hashes_nothing(client, editor, monkeypatch):
    fail(client, "edna", 5)
    monkeypatch.setattr(MD5PasswordHasher, "encode", pytest.fail)

    assert sign_in(client, "edna", FACTORY_PASSWORD).status_code == 429


def test_the_pause_ends_fifteen_minutes_after_the_last_attempt(client, editor):
    fail(client, "edna", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert sign_in(client, "edna", FACTORY_PASSWORD).status_code == 429  # starts it again

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))

    assert sign_in(client, "edna", FACTORY_PASSWORD).status_code == 302


def test_failures_spread_wider_than_the_window_do_not_add_up(client, editor):
    fail(client, "edna", 4)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert fail(client, "edna", 4) == [200] * 4


def test_signing_in_forgets_the_pairs_earlier_failures(client, editor):
    fail(client, "edna", 4)
    assert sign_in(client, "edna", FACTORY_PASSWORD).status_code == 302
    client.logout()

    assert fail(client, "edna", 4) == [200] * 4


def test_the_admin_signs_in_through_the_paused_desk_login(client, staff_editor):
    """The admin's own form would take a password alone (claims/twofactor/): it sends people
    to the desk's login, so the pause covers the admin's sign-in too."""
    posted = sign_in(client, "edna", FACTORY_PASSWORD, path="/admin/login/")
    assert posted.status_code == 302
    assert posted["Location"].startswith("/login/")
    assert not signed_in(client)

    fail(client, "edna", 5)
    assert sign_in(client, "edna", FACTORY_PASSWORD).status_code == 429
    assert not signed_in(client)


def test_every_failure_and_sign_in_is_logged(client, editor):
    fail(client, "edna", 5)
    sign_in(client, "rita", "not it")

    failures = AccessFailureLog.objects.order_by("attempt_time", "pk")
    assert [(f.username, f.ip_address, f.locked_out) for f in failures] == [
        ("edna", HOME, False),
        ("edna", HOME, False),
        ("edna", HOME, False),
        ("edna", HOME, False),
        ("edna", HOME, True),
        ("rita", HOME, False),
    ]
    sign_in(client, "edna", FACTORY_PASSWORD, address=ELSEWHERE)
    assert AccessLog.objects.filter(username="edna", ip_address=ELSEWHERE).count() == 1


def test_staff_lift_a_pause_with_the_command(client, editor):
    fail(client, "edna", 5)
    out = StringIO()

    call_command("axes_reset_username", "edna", stdout=out)

    assert sign_in(client, "edna", FACTORY_PASSWORD).status_code == 302


def test_force_login_and_tokens_pass_untouched(client, editor):
    """The tests' force_login and the API's bearer tokens never call authenticate(), so a
    paused username still works through them."""
    from tests.api.conftest import token_client

    fail(client, "edna", 5)
    client.force_login(editor)
    assert client.get("/claims/").status_code == 200
    assert token_client(editor).get("/api/v1/claims/").status_code == 200


# The address counted -------------------------------------------------------------------------


def request_from(remote_addr, forwarded=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/login/", **headers)


@pytest.fixture
def behind_proxy(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


def test_without_a_proxy_forwarded_for_is_ignored(db):
    assert client_address(request_from("10.0.0.2", "203.0.113.9")) == "10.0.0.2"


@pytest.mark.parametrize(
    ("forwarded", "counted"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("8.8.8.8, 203.0.113.9", "203.0.113.9"),  # a client's own entry comes first
        ("8.8.8.8, 10.1.2.3", "10.1.2.3"),  # a private client, even after a public lie
        ("2001:db8::1", "2001:db8::1"),
        ("203.0.113.9, not-an-address", "10.0.0.2"),
        (None, "10.0.0.2"),
    ],
)
def test_behind_the_proxy_the_address_it_saw_counts(behind_proxy, forwarded, counted):
    assert client_address(request_from("10.0.0.2", forwarded)) == counted


def test_behind_the_proxy_a_forged_first_entry_does_not_escape_the_pause(
    client, editor, behind_proxy
):
    for lie in ("8.8.8.8", "8.8.4.4", "1.1.1.1", "9.9.9.9", "4.4.4.4"):
        sign_in(client, "edna", "not it", address="10.0.0.2", HTTP_X_FORWARDED_FOR=f"{lie}, {HOME}")

    response = sign_in(
        client,
        "edna",
        FACTORY_PASSWORD,
        address="10.0.0.2",
        HTTP_X_FORWARDED_FOR=f"1.2.3.4, {HOME}",
    )

    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {HOME}
