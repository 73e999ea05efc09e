"""The reviewer assignments' admin: reviewers are assigned here, and closed by its actions."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims import services
from claims.admin.forms import AssignmentAddForm
from claims.admin.lists import (
    AssignedReviewerFilter,
    ClaimTextSearchMixin,
    ServiceAdmin,
    person,
)
from claims.models import Assignment
from claims.selectors.people import display_name


@admin.register(Assignment)
class AssignmentAdmin(ClaimTextSearchMixin, ServiceAdmin):
    """Reviewers are assigned here; an assignment is closed by the actions, never edited."""

    add_form_class = AssignmentAddForm
    list_display = (
        "claim",
        "reviewer_name",
        "status",
        "due_on",
        "assigned_by_name",
        "assigned_at",
        "closed_at",
    )
    list_filter = ("status", AssignedReviewerFilter, "due_on")
    # And the claim's text, on its full-text index (ClaimTextSearchMixin).
    search_fields = ("reviewer__username", "reviewer__first_name", "reviewer__last_name")
    list_select_related = ("claim", "reviewer", "assigned_by")
    # Newest first on the primary key; (status, due_on) serves the status filter.
    ordering = ("-id",)
    sortable_by = ()
    autocomplete_fields = ("claim", "reviewer")
    actions = ("complete_selected", "withdraw_selected")
    reviewer_name = person(Assignment, "reviewer")
    assigned_by_name = person(Assignment, "assigned_by")
    closed_by_name = person(Assignment, "closed_by")
    readonly_fields = (
        "claim",
        "reviewer_name",
        "status",
        "due_on",
        "assigned_by_name",
        "assigned_at",
        "closed_by_name",
        "closed_at",
        "close_reason",
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": ("claim", "reviewer", "due_on")}),)
        return ((None, {"fields": self.readonly_fields}),)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        # Without an object this is the permission the close actions need.
        return obj is None and super().has_change_permission(request)

    @admin.action(
        description=gettext_lazy("Mark the selected reviews done"), permissions=["change"]
    )
    def complete_selected(self, request, queryset):
        self._close_each(request, queryset, services.reviewer_complete, _("marked done"))

    @admin.action(
        description=gettext_lazy("Withdraw the selected reviewers"), permissions=["change"]
    )
    def withdraw_selected(self, request, queryset):
        self._close_each(request, queryset, services.reviewer_withdraw, _("withdrawn"))

    def _close_each(self, request, queryset, close, outcome):
        """One service call per assignment, each in its own transaction, each result reported."""
        for assignment in queryset.select_related("reviewer").order_by("pk"):
            try:
                close(actor=request.user, assignment=assignment)
            except ValidationError as error:
                self._report(request, assignment, " ".join(error.messages), messages.ERROR)
            except (PermissionDenied, services.EditConflict) as error:
                self._report(request, assignment, str(error), messages.ERROR)
            else:
                self._report(request, assignment, outcome, messages.SUCCESS)

    def _report(self, request, assignment, text, level):
        self.message_user(
            request,
            _("Assignment #%(id)s (%(reviewer)s on claim %(claim)s): %(text)s")
            % {
                "id": assignment.pk,
                "reviewer": display_name(assignment.reviewer),
                "claim": assignment.claim_id,
                "text": text,
            },
            level,
        )
