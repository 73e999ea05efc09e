"""django-axes' records of sign-ins, for editors: who is locked out, and the lock lifted.

Axes' own admins need model permissions no role holds; here every editor reads the attempts and
the logs, and lifts a lock ("Unlock"), which deletes the attempts that make it: the failures
stay in the failure log, which nobody changes.
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from claims.admin.lists import ReadOnlyForEditors
from claims.permissions import is_editor

for model in (AccessAttempt, AccessLog, AccessFailureLog):
    admin.site.unregister(model)


@admin.register(AccessAttempt)
class LockoutAdmin(ReadOnlyForEditors, AccessAttemptAdmin):
    actions = ["unlock"]

    def has_delete_permission(self, request, obj=None):
        return is_editor(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # "Unlock" says what deleting these means
        return actions

    @admin.action(description=_("Unlock: forget these failures"), permissions=["delete"])
    def unlock(self, request, queryset):
        count, _by_model = queryset.delete()
        self.message_user(
            request,
            ngettext(
                "Forgot %(count)d attempt: its username and address may sign in again.",
                "Forgot %(count)d attempts: their usernames and addresses may sign in again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(AccessLog)
class SignInLogAdmin(ReadOnlyForEditors, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class SignInFailureLogAdmin(ReadOnlyForEditors, AccessFailureLogAdmin):
    pass
