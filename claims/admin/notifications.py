"""Notifications in the admin, read-only: staff see what was sent, and every mail that failed
after its last try (filter "E-mail: Failed") with the error, to fix the address or the server."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from claims.admin.lists import LargeListAdmin, ReadOnlyForEditors
from claims.models import EmailState, Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyForEditors, LargeListAdmin):
    list_display = (
        "created_at",
        "recipient",
        "kind",
        "claim_id",
        "channel",
        "email_state",
        "email_attempts",
        "read_at",
    )
    list_filter = ("email_state", "kind", "channel")
    ordering = ("-created_at", "-id")
    sortable_by = ("created_at",)
    list_select_related = ("recipient",)
    fields = (
        "recipient",
        "kind",
        "claim",
        "event",
        "assignment",
        "actor_name",
        "channel",
        "created_at",
        "read_at",
        "email_state",
        "email_attempts",
        "email_error",
        "emailed_at",
    )
    readonly_fields = fields

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        failed = Notification.objects.filter(email_state=EmailState.FAILED).count()
        if failed:
            changelist.title = gettext_lazy("Notifications: %(failed)s e-mails failed") % {
                "failed": failed
            }
        return changelist
