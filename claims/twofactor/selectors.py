"""Where a person stands with two-factor sign-in, for the pages, the sign-in and the middleware."""

from dataclasses import dataclass
from datetime import datetime

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


@dataclass(frozen=True)
class TwoFactorStatus:
    """What the settings pages show: enrolled since when, with how many recovery codes left, or
    an enrolment begun and not yet confirmed (its device, to draw its QR code)."""

    enrolled_at: datetime | None
    recovery_codes_left: int
    pending: TOTPDevice | None

    @property
    def enrolled(self) -> bool:
        return self.enrolled_at is not None


def has_two_factor(user) -> bool:
    """Has ``user`` a confirmed authenticator, so that a password alone does not sign them in?"""
    return bool(
        user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    )


def pending_device(user) -> TOTPDevice | None:
    """The authenticator ``user`` began to enrol and has not confirmed with a code yet."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()


def two_factor_status(user) -> TwoFactorStatus:
    """``user``'s two-factor sign-in, in two queries."""
    devices = list(TOTPDevice.objects.filter(user=user).order_by("-confirmed", "pk"))
    confirmed = next((device for device in devices if device.confirmed), None)
    if confirmed is None:
        return TwoFactorStatus(None, 0, next(iter(devices), None))
    left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return TwoFactorStatus(confirmed.created_at, left, None)
