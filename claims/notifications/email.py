"""The mails: one notification, or a day's digest, as plain text and HTML, linking back to the
desk at ``FACTCHECK_SITE_URL`` (a worker has no request to take the address from)."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims.models import Notification
from claims.notifications.presentation import sentence


def site_url(path: str) -> str:
    return settings.FACTCHECK_SITE_URL.rstrip("/") + path


@dataclass(frozen=True)
class DigestItem:
    sentence: str
    url: str


def desk_mail(subject: str, template: str, context: dict, to: str) -> EmailMultiAlternatives:
    """A mail from the desk in both parts, from ``notifications/{template}.txt`` and ``.html``."""
    context = {**context, "subject": subject, "settings_url": site_url(reverse("claims:settings"))}
    mail = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"notifications/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    html = render_to_string(f"notifications/{template}.html", context)
    mail.attach_alternative(html, "text/html")
    return mail


def notification_mail(notification: Notification) -> EmailMultiAlternatives:
    """The mail for one notification, in the desk's language."""
    with translation.override(settings.LANGUAGE_CODE):
        words = sentence(notification)
        return desk_mail(
            _("[factcheck] %(sentence)s") % {"sentence": words},
            "email",
            {"sentence": words, "claim_url": site_url(notification.claim.get_absolute_url())},
            notification.recipient.email,
        )


def digest_mail(user, notifications: list[Notification]) -> EmailMultiAlternatives:
    """One mail gathering ``notifications``, oldest first."""
    with translation.override(settings.LANGUAGE_CODE):
        items = [
            DigestItem(sentence(n), site_url(n.claim.get_absolute_url())) for n in notifications
        ]
        subject = ngettext(
            "[factcheck] Your digest: %(count)d notification",
            "[factcheck] Your digest: %(count)d notifications",
            len(items),
        ) % {"count": len(items)}
        return desk_mail(subject, "digest", {"items": items}, user.email)
