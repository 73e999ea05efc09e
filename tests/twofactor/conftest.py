"""What the two-factor tests share: codes computed from a device's key as an authenticator app
computes them, enrolment through the services, and sessions signed in with or without a code."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp

from claims.twofactor import services
from tests.conftest import FACTORY_PASSWORD


def app_code(device, steps_ahead: int = 0) -> str:
    """The code an authenticator app holding ``device``'s key shows, ``steps_ahead`` time steps
    from now (a code is taken once: the next sign-in in the same 30 seconds needs the next)."""
    device.refresh_from_db()
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{code:0{device.digits}d}"


def wrong_code(device) -> str:
    """Six digits that no code around now is."""
    taken = {app_code(device, steps) for steps in (-1, 0, 1, 2)}
    return next(code for code in ("123456", "654321", "111111") if code not in taken)


def enrol(user):
    """``user`` with a confirmed authenticator; returns it and the recovery codes."""
    device = services.totp_enrolment_start(actor=user)
    return services.totp_enrolment_confirm(actor=user, code=app_code(device))


def wait_out_throttle(device) -> None:
    """As if the delay after the last wrong code had passed (the count of wrong codes stays)."""
    device.refresh_from_db()
    if device.throttling_failure_timestamp is not None:
        device.throttling_failure_timestamp = timezone.now() - timedelta(days=1)
        device.save(update_fields=["throttling_failure_timestamp"])


def verified_login(client, user, device):
    """``client`` signed in as ``user`` with a code from ``device``, as the code step leaves it."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def sign_in_with_password(client, user, next_url: str = ""):
    """The sign-in's first step, through the login form."""
    address = "/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(address, {"username": user.username, "password": FACTORY_PASSWORD})


def signed_in_user(client):
    """Who ``client``'s session acts as now, and whether a code verified it."""
    request = client.get("/settings/two-factor/").wsgi_request
    return request.user, request.user.is_authenticated and request.user.is_verified()


@pytest.fixture
def required(settings):
    settings.FACTCHECK_REQUIRE_2FA = True
