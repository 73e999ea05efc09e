"""Every write of two-factor sign-in, each to the acting person's own devices: enrol an
authenticator app, confirm it with a code, cancel, disable, make new recovery codes, and check a
code at sign-in. Recovery codes are returned once and kept as django-otp keeps them.

A wrong code counts against the device it was meant for (django-otp's throttling: after n wrong
codes in a row the device takes none for ``2**(n-1)`` seconds, ``OTP_*_THROTTLE_FACTOR``), and
the count is committed before the refusal is raised, so that a retry cannot undo it.
"""

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .selectors import has_two_factor

RECOVERY_CODES = 10
# The names django-otp's tables give the devices; the pages never show them.
APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
APP_CODE = re.compile(r"\d{6}")
_SEPARATORS = re.compile(r"[\s-]+")


def normalize_code(code: str) -> str:
    """A code as typed, without the spaces or dashes an app or a printout groups it with."""
    return _SEPARATORS.sub("", code or "").lower()


def _lock(user) -> None:
    """Serialize one person's enrolment writes (a double click starts one enrolment, not two)."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).exists()


def _refuse_if_throttled(device: Device, field: str) -> None:
    """Refuse at ``field`` while the device's throttling takes no code, saying for how long."""
    allowed, info = device.verify_is_allowed()
    if allowed:
        return
    wait = max(1, round((info["locked_until"] - timezone.now()).total_seconds() + 0.5))
    message = ngettext(
        "Too many wrong codes in a row: wait %(seconds)d second and try again.",
        "Too many wrong codes in a row: wait %(seconds)d seconds and try again.",
        wait,
    ) % {"seconds": wait}
    raise ValidationError({field: ValidationError(message, code="throttled")})


def _new_recovery_codes(user) -> list[str]:
    """Replace ``user``'s recovery codes with RECOVERY_CODES new ones, returned this once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _number in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def totp_enrolment_start(*, actor) -> TOTPDevice:
    """``actor``'s unconfirmed authenticator: made now, or the one they began before, so that an
    app that already scanned its QR code still gives codes that confirm it."""
    with transaction.atomic():
        _lock(actor)
        if has_two_factor(actor):
            raise ValidationError(_("Two-factor sign-in is already set up."))
        device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
        return device or TOTPDevice.objects.create(user=actor, name=APP_NAME, confirmed=False)


def totp_enrolment_cancel(*, actor) -> None:
    """Forget an enrolment ``actor`` began and did not confirm; a confirmed one stays."""
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()


def totp_enrolment_confirm(*, actor, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm ``actor``'s begun enrolment with a code from the app, which proves the app holds
    the secret; returns the device and new recovery codes, which are shown once."""
    code = normalize_code(code)
    with transaction.atomic():
        _lock(actor)
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=actor, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None:
            raise ValidationError(_("Set up two-factor sign-in again: this enrolment is over."))
        _refuse_if_throttled(device, "code")
        verified = device.verify_token(code)  # a wrong code counts, committed with the block
        if verified:
            device.confirmed = True
            device.created_at = timezone.now()  # set up when confirmed, not when begun
            device.save(update_fields=["confirmed", "created_at"])
            TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
            codes = _new_recovery_codes(actor)
    if not verified:
        raise ValidationError(
            {"code": _("That is not the code your app shows now. Check the app and try again.")}
        )
    return device, codes


def second_factor_verify(*, user, code: str) -> Device:
    """The device of ``user``'s that accepts ``code``: six digits are the app's code, anything
    else a recovery code, used up as it is accepted. Raises ValidationError otherwise."""
    code = normalize_code(code)
    model = TOTPDevice if APP_CODE.fullmatch(code) else StaticDevice
    with transaction.atomic():
        device = (
            model.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
            .first()
        )
        verified = False
        if device is not None:
            _refuse_if_throttled(device, "code")
            verified = device.verify_token(code)
    if not verified:
        raise ValidationError(
            {
                "code": _(
                    "That code is not right. Type the code your app shows now, or a recovery code."
                )
            }
        )
    return device


def _confirm_identity(user, confirmation: str) -> None:
    """Refuse unless ``confirmation`` is ``user``'s password or a code of theirs: what a change
    to the second factor asks for, so that a browser left signed in is not enough."""
    if confirmation and user.check_password(confirmation):
        return
    try:
        second_factor_verify(user=user, code=confirmation)
    except ValidationError as refused:
        if refused.error_dict["code"][0].code == "throttled":
            raise ValidationError({"confirmation": refused.error_dict["code"]}) from refused
        raise ValidationError(
            {"confirmation": _("That is neither your password nor a current code.")}
        ) from refused


def two_factor_disable(*, actor, confirmation: str) -> None:
    """Remove ``actor``'s authenticator and recovery codes, once they confirm who they are; the
    password alone signs them in again."""
    _confirm_identity(actor, confirmation)
    with transaction.atomic():
        _lock(actor)
        TOTPDevice.objects.filter(user=actor).delete()
        StaticDevice.objects.filter(user=actor).delete()


def recovery_codes_regenerate(*, actor, confirmation: str) -> list[str]:
    """New recovery codes for ``actor``, returned once; the old ones stop working."""
    if not has_two_factor(actor):
        raise ValidationError(_("Set up two-factor sign-in first."))
    _confirm_identity(actor, confirmation)
    with transaction.atomic():
        _lock(actor)
        return _new_recovery_codes(actor)


def two_factor_reset(*, user) -> int:
    """Remove every device of ``user``'s, for an operator when a person has lost both their app
    and their recovery codes (``manage.py twofactor_reset``); returns how many were removed."""
    with transaction.atomic():
        _lock(user)
        removed = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
        removed += (
            StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
        )
    return removed
