"""The evidence links' admin: links are added here, and a standing link can only be retracted."""

from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.admin.forms import EvidenceAddForm, EvidenceRetractForm
from claims.admin.lists import ClaimTextSearchMixin, ServiceAdmin, person
from claims.models import Evidence


class StandingFilter(admin.SimpleListFilter):
    title = gettext_lazy("standing")
    parameter_name = "standing"

    def lookups(self, request, model_admin):
        return (("yes", _("Standing")), ("no", _("Retracted")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(retracted_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(retracted_at__isnull=False)
        return queryset


_EVIDENCE_RECORD = (
    "claim",
    "stance",
    "url",
    "normalized_url",
    "title",
    "publisher",
    "excerpt",
    "note",
    "added_by_name",
    "added_at",
)
_EVIDENCE_RETRACTION = ("retracted_at", "retracted_by_name", "retraction_reason")


@admin.register(Evidence)
class EvidenceAdmin(ClaimTextSearchMixin, ServiceAdmin):
    """Links are added here; an existing link can only be retracted, with a reason."""

    add_form_class = EvidenceAddForm
    change_form_class = EvidenceRetractForm
    list_display = (
        "__str__",
        "claim",
        "stance",
        "is_standing",
        "publisher",
        "added_by_name",
        "added_at",
    )
    list_filter = ("stance", StandingFilter, "added_at")
    # And the claim's text, on its full-text index (ClaimTextSearchMixin).
    search_fields = ("url", "title", "publisher")
    list_select_related = ("claim", "added_by")
    # Newest first on the primary key: 500,000 links have no index on added_at to sort by,
    # and a date hierarchy would truncate every row's date to list the years.
    ordering = ("-id",)
    sortable_by = ()
    autocomplete_fields = ("claim",)
    added_by_name = person(Evidence, "added_by")
    retracted_by_name = person(Evidence, "retracted_by")

    @admin.display(description=gettext_lazy("standing"), boolean=True)
    def is_standing(self, obj):
        return obj.is_standing

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return (
                (
                    None,
                    {"fields": ("claim", "stance", "url", "title", "publisher", "excerpt", "note")},
                ),
            )
        if obj.is_standing and self.has_change_permission(request, obj):
            return (
                (None, {"fields": _EVIDENCE_RECORD}),
                (_("Retract this link"), {"fields": ("reason",)}),
            )
        return (
            (None, {"fields": _EVIDENCE_RECORD}),
            (_("Retraction"), {"fields": _EVIDENCE_RETRACTION}),
        )

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else _EVIDENCE_RECORD + _EVIDENCE_RETRACTION

    def has_change_permission(self, request, obj=None):
        # Changing a link means retracting it, which happens once.
        return super().has_change_permission(request, obj) and (obj is None or obj.is_standing)
