"""Password reset by e-mail, with Django's tokens and views, its mail sent by the worker.

Django's PasswordResetForm looks the address up and sends the mail inside the request, so a
known address answers a mail server's round trip later than an unknown one, and that delay
tells anyone which addresses have accounts. Here the request only enqueues the address, the
same one task whatever it is; the worker looks it up and mails each account it has. The link
is built on ``FACTCHECK_SITE_URL``, as every mail of the desk's is, never on the request's
Host header.
"""

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from claims.background.enqueue import enqueue_on_commit
from claims.notifications.email import desk_mail, site_url


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, whose ``save`` (which the view calls with what it would send with) only
    enqueues the mails."""

    def save(self, **kwargs) -> None:
        from claims.signin.tasks import send_password_reset

        enqueue_on_commit(send_password_reset, self.cleaned_data["email"])


def accounts_for(email: str) -> list:
    """The active accounts with a usable password at ``email``: whom Django's form would mail."""
    return list(auth_forms.PasswordResetForm().get_users(email))


def reset_link(user) -> str:
    """The one-time link that lets ``user`` choose a new password; it stops working once the
    password changes, and after ``PASSWORD_RESET_TIMEOUT``."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return site_url(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}))


def reset_mail(user):
    """The mail with ``user``'s reset link, in the desk's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return desk_mail(
            _("[factcheck] Reset your password"),
            "password_reset",
            {
                "user": user,
                "reset_url": reset_link(user),
                "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
                "login_url": site_url(reverse("login")),
            },
            user.email,
        )
