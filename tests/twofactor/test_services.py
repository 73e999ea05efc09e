"""The writes of two-factor sign-in: each to its person's own devices, throttled when guessed."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from claims.twofactor import services
from claims.twofactor.selectors import has_two_factor, two_factor_status
from tests.conftest import FACTORY_PASSWORD, postgres_only
from tests.factories import UserFactory
from tests.twofactor.conftest import app_code, enrol, wait_out_throttle, wrong_code

pytestmark = pytest.mark.django_db


def test_starting_makes_one_unconfirmed_device_and_starting_again_keeps_it(reviewer):
    first = services.totp_enrolment_start(actor=reviewer)
    again = services.totp_enrolment_start(actor=reviewer)

    assert first == again
    assert not first.confirmed
    assert TOTPDevice.objects.filter(user=reviewer).count() == 1
    assert not has_two_factor(reviewer)  # an unconfirmed device signs no one in
    assert two_factor_status(reviewer).pending == first


def test_a_wrong_code_confirms_nothing_and_counts_against_the_device(reviewer):
    device = services.totp_enrolment_start(actor=reviewer)

    with pytest.raises(ValidationError) as refused:
        services.totp_enrolment_confirm(actor=reviewer, code=wrong_code(device))

    assert "not the code your app shows" in refused.value.message_dict["code"][0]
    device.refresh_from_db()
    assert not device.confirmed
    assert device.throttling_failure_count == 1
    assert not StaticDevice.objects.filter(user=reviewer).exists()


def test_the_right_code_confirms_and_makes_ten_recovery_codes(reviewer):
    device = services.totp_enrolment_start(actor=reviewer)

    confirmed, codes = services.totp_enrolment_confirm(actor=reviewer, code=app_code(device))

    assert confirmed.pk == device.pk
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert len(codes) == services.RECOVERY_CODES == len(set(codes))
    # Kept as django-otp keeps them: one static device holding one token per code.
    stored = StaticToken.objects.filter(device__user=reviewer)
    assert sorted(stored.values_list("token", flat=True)) == sorted(codes)
    assert has_two_factor(reviewer)
    status = two_factor_status(reviewer)
    assert status.enrolled
    assert status.recovery_codes_left == 10
    assert status.pending is None


def test_starting_once_enrolled_is_refused(reviewer):
    enrol(reviewer)
    with pytest.raises(ValidationError, match="already set up"):
        services.totp_enrolment_start(actor=reviewer)


def test_each_write_touches_only_its_own_persons_devices(reviewer, other_reviewer):
    theirs, their_codes = enrol(other_reviewer)
    enrol(reviewer)
    services.recovery_codes_regenerate(actor=reviewer, confirmation=FACTORY_PASSWORD)
    services.two_factor_disable(actor=reviewer, confirmation=FACTORY_PASSWORD)

    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert TOTPDevice.objects.get(pk=theirs.pk).confirmed
    stored = StaticToken.objects.filter(device__user=other_reviewer).values_list("token", flat=True)
    assert sorted(stored) == sorted(their_codes)


def test_a_code_from_the_app_is_taken_once(reviewer):
    device, _codes = enrol(reviewer)
    code = app_code(device, steps_ahead=1)

    assert services.second_factor_verify(user=reviewer, code=code) == device
    wait_out_throttle(device)
    with pytest.raises(ValidationError):
        services.second_factor_verify(user=reviewer, code=code)  # replayed


def test_a_recovery_code_works_once(reviewer):
    _device, codes = enrol(reviewer)

    used = services.second_factor_verify(user=reviewer, code=codes[0].upper())
    assert isinstance(used, StaticDevice)
    with pytest.raises(ValidationError):
        services.second_factor_verify(user=reviewer, code=codes[0])
    assert StaticToken.objects.filter(device__user=reviewer).count() == 9


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_one_recovery_code_sent_twice_at_once_signs_in_once(monkeypatch):
    """The device's row is locked while a code is checked: the second request waits, then finds
    the code used up (without the lock both would find it, and both would sign in)."""
    person = UserFactory(username="twice")
    _device, codes = enrol(person)
    original = StaticDevice.verify_is_allowed

    def slow(device):
        time.sleep(0.3)  # inside the lock: the other request is certainly waiting on it
        return original(device)

    monkeypatch.setattr(StaticDevice, "verify_is_allowed", slow)
    barrier = threading.Barrier(2)
    outcomes = []

    def sign_in():
        try:
            barrier.wait()
            services.second_factor_verify(user=person, code=codes[0])
            outcomes.append("signed in")
        except ValidationError:
            outcomes.append("refused")
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_in) for _number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["refused", "signed in"], outcomes
    assert StaticToken.objects.filter(device__user=person).count() == 9


def test_guessing_is_throttled_even_the_right_code_waits(reviewer):
    device, _codes = enrol(reviewer)
    with pytest.raises(ValidationError):
        services.second_factor_verify(user=reviewer, code=wrong_code(device))

    with pytest.raises(ValidationError) as refused:
        services.second_factor_verify(user=reviewer, code=app_code(device, steps_ahead=1))

    assert "Too many wrong codes" in refused.value.message_dict["code"][0]
    wait_out_throttle(device)
    assert services.second_factor_verify(user=reviewer, code=app_code(device, steps_ahead=1))


def test_the_throttle_doubles_with_each_wrong_code(reviewer):
    device, _codes = enrol(reviewer)
    for _attempt in range(4):
        wait_out_throttle(device)
        with pytest.raises(ValidationError):
            services.second_factor_verify(user=reviewer, code=wrong_code(device))
    device.refresh_from_db()
    allowed, info = device.verify_is_allowed()
    assert not allowed
    assert info["failure_count"] == 4
    wait = info["locked_until"] - device.throttling_failure_timestamp
    assert wait.total_seconds() == 8  # 1, 2, 4, 8 seconds


def test_disabling_needs_the_password_or_a_code(reviewer):
    device, _codes = enrol(reviewer)
    with pytest.raises(ValidationError) as refused:
        services.two_factor_disable(actor=reviewer, confirmation="not my password")
    assert (
        "neither your password nor a current code" in refused.value.message_dict["confirmation"][0]
    )
    assert has_two_factor(reviewer)

    wait_out_throttle(device)
    services.two_factor_disable(actor=reviewer, confirmation=app_code(device, steps_ahead=1))

    assert not has_two_factor(reviewer)
    assert not StaticDevice.objects.filter(user=reviewer).exists()


def test_new_recovery_codes_replace_the_old(reviewer):
    _device, old = enrol(reviewer)

    new = services.recovery_codes_regenerate(actor=reviewer, confirmation=FACTORY_PASSWORD)

    assert not set(new) & set(old)
    with pytest.raises(ValidationError):
        services.second_factor_verify(user=reviewer, code=old[0])
    assert StaticToken.objects.filter(device__user=reviewer).count() == 10


def test_cancelling_forgets_only_an_unconfirmed_enrolment(reviewer):
    services.totp_enrolment_start(actor=reviewer)
    services.totp_enrolment_cancel(actor=reviewer)
    assert not TOTPDevice.objects.filter(user=reviewer).exists()

    enrol(reviewer)
    services.totp_enrolment_cancel(actor=reviewer)
    assert has_two_factor(reviewer)


def test_the_reset_command_turns_a_persons_two_factor_off(reviewer, capsys):
    enrol(reviewer)
    call_command("twofactor_reset", reviewer.username)
    assert "is off" in capsys.readouterr().out
    assert not has_two_factor(reviewer)
    assert not StaticDevice.objects.filter(user=reviewer).exists()
