"""The enrolment's QR code and secret as a person reads them: SVG markup drawn here (segno, no
image service, no script) and the key in groups of four for typing into an app by hand."""

from base64 import b32encode

import segno
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice


def secret_for_typing(device: TOTPDevice) -> str:
    """The key as authenticator apps ask for it by hand: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The device's ``otpauth://`` address as an inline SVG QR code, dark on a white ground
    (with its quiet zone) so that a camera reads it whatever the page's colours."""
    code = segno.make(device.config_url, error="m")
    svg = code.svg_inline(
        scale=4, border=4, dark="#000", light="#fff", svgclass="qr-code", lineclass=None
    )
    label = _("QR code for your authenticator app")
    # segno's markup is the code's own (paths of numbers); the label is escaped here.
    return format_html(
        '<span class="qr-frame" role="img" aria-label="{}">{}</span>', label, SafeString(svg)
    )
