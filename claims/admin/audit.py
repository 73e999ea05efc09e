"""The audit trail's admin: read-only, as events are appended by the services and never changed."""

import json

from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.admin.lists import ClaimTextSearchMixin, LargeListAdmin
from claims.audit.sentences import describe
from claims.models import AuditEvent, Claim


@admin.register(AuditEvent)
class AuditEventAdmin(ClaimTextSearchMixin, LargeListAdmin):
    """The audit trail, read-only: events are appended by services and never changed."""

    list_display = ("created_at", "claim_link", "action", "actor_name", "sentence")
    # Django's own filter on the action's choices: no query, and "action__exact" served by the
    # (action, -created_at) index.
    list_filter = ("action", "created_at")
    # And the claim's text, on its full-text index (ClaimTextSearchMixin).
    search_fields = ("actor_name",)
    # The (-created_at, -id) index; no date hierarchy, which would scan a million rows.
    ordering = ("-created_at", "-id")
    sortable_by = ("created_at",)
    fields = (
        "claim_link",
        "sequence",
        "action",
        "sentence",
        "actor",
        "actor_name",
        "created_at",
        "pretty_data",
        "previous_hash",
        "hash",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        # A subquery, not a join: history outlives claims, and a join would hide such events.
        claim_text = Claim.objects.filter(pk=OuterRef("claim_id")).values("text")[:1]
        return super().get_queryset(request).annotate(claim_text=Subquery(claim_text))

    @admin.display(description=gettext_lazy("claim"), ordering="claim_id")
    def claim_link(self, obj):
        if obj.claim_text is None:
            return _("#%(id)s (deleted)") % {"id": obj.claim_id}
        return format_html(
            '<a href="{}">#{} {}</a>',
            reverse("admin:claims_claim_change", args=[obj.claim_id]),
            obj.claim_id,
            Truncator(obj.claim_text).chars(60),
        )

    @admin.display(description=gettext_lazy("what happened"))
    def sentence(self, obj):
        return describe(obj)

    @admin.display(description=gettext_lazy("data"))
    def pretty_data(self, obj):
        return format_html(
            "<pre>{}</pre>", json.dumps(obj.data, indent=2, sort_keys=True, ensure_ascii=False)
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
