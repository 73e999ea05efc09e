"""Changing one's password (from the settings page) and resetting it by e-mail (from the login
page): Django's views with the desk's templates, its 422 for a refused form, and a message.

Passwords are never written back into a refused form: the page would carry them in its HTML.
"""

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from claims.signin.reset import PasswordResetForm


class _RefusedIs422:
    """A refused form comes back as 422, as every form of the desk's does."""

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=422)


class PasswordChangeView(_RefusedIs422, auth_views.PasswordChangeView):
    """Anyone signed in, with or without a role on the desk: it is their account. The session
    stays signed in; the person's other sessions end with the old password."""

    template_name = "claims/password_change.html"
    success_url = reverse_lazy("claims:settings")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            _("Password changed. Your other signed-in sessions, if any, are signed out."),
        )
        return response


class PasswordResetView(_RefusedIs422, auth_views.PasswordResetView):
    """The same answer ("sent, if the address has an account") whatever the address is; the
    worker sends the mail (``claims.signin.reset``)."""

    form_class = PasswordResetForm


class PasswordResetConfirmView(_RefusedIs422, auth_views.PasswordResetConfirmView):
    """Setting the new password from the mail's link also lifts any sign-in lock on the account
    (django-axes): whoever holds its mailbox could reset the password anyway."""

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=self.user.get_username())
        return response
