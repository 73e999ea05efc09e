"""The Django admin for the desk: every model is registered, and every save goes through services.

Add and change forms are ``admin_forms.ServiceForm`` subclasses that call the service as their last
validation step; the ModelAdmins' own save steps do nothing. Nothing can be deleted here, and audit
events can only be read.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .admin_forms import (
    AppearanceFormSet,
    AssignmentAddForm,
    ClaimAddForm,
    ClaimChangeForm,
    EvidenceAddForm,
    EvidenceRetractForm,
    SourceForm,
)
from .audit import AuditAction, describe
from .models import Appearance, Assignment, AuditEvent, Claim, Evidence, Source


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose forms write through services and which never deletes.

    ``add_form_class`` / ``change_form_class`` pick the form by page, as ``UserAdmin`` does.
    """

    add_form_class = None
    change_form_class = None

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = self.add_form_class if obj is None else self.change_form_class
        if form_class is not None:
            kwargs.setdefault("form", form_class)
        form = super().get_form(request, obj, change=change, **kwargs)
        # The services need the acting user; the form class is built per request anyway.
        return type(form.__name__, (form,), {"actor": request.user})

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        """The form's service call saved the object while the form was validated."""

    def save_related(self, request, form, formsets, change):
        """The service saved related rows (appearances) in the same call."""

    def construct_change_message(self, request, form, formsets, add=False):
        # Inline formsets were never saved, so they have no record of what they added.
        return super().construct_change_message(request, form, [], add)

    def has_delete_permission(self, request, obj=None):
        return False


def _admin_link(viewname: str, label: str, *, query: str) -> str:
    url = f"{reverse(viewname)}?{query}"
    return format_html('<a href="{}">{}</a>', url, label)


# Sources ------------------------------------------------------------------------------------------


@admin.register(Source)
class SourceAdmin(ServiceAdmin):
    add_form_class = change_form_class = SourceForm
    list_display = ("title", "outlet", "author", "published_on", "url")
    list_filter = ("outlet", "published_on")
    search_fields = ("title", "outlet", "author", "url")
    date_hierarchy = "published_on"
    readonly_fields = ("created_at",)
    fields = ("title", "url", "outlet", "author", "published_on", "text", "created_at")


# Claims -------------------------------------------------------------------------------------------


class AppearanceInline(admin.TabularInline):
    """Where the claim appeared; written by the claim form through claim_create / claim_update."""

    model = Appearance
    formset = AppearanceFormSet
    fields = ("source", "quote")
    autocomplete_fields = ("source",)
    extra = 1

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "quote":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 60})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")

    # Appearances are part of the claim: whoever may add or change the claim may edit its rows.
    def _may_edit_claim(self, request, obj):
        action = "add" if obj is None else "change"
        return request.user.has_perm(f"claims.{get_permission_codename(action, Claim._meta)}")

    def has_add_permission(self, request, obj):
        return self._may_edit_claim(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit_claim(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit_claim(request, obj)


@admin.register(Claim)
class ClaimAdmin(ServiceAdmin):
    add_form_class = ClaimAddForm
    change_form_class = ClaimChangeForm
    inlines = (AppearanceInline,)
    list_display = (
        "__str__",
        "claimant",
        "state",
        "supporting_count",
        "contradicting_count",
        "claimed_on",
        "updated_at",
    )
    list_filter = ("state", "claimed_on", "updated_at")
    search_fields = ("text", "claimant")
    date_hierarchy = "created_at"
    readonly_fields = (
        "state",
        "rationale",
        "supporting_count",
        "contradicting_count",
        "state_changed_at",
        "first_verdict_at",
        "version",
        "created_by",
        "created_at",
        "updated_at",
        "audit_length",
        "audit_head",
        "desk_links",
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": ("text", "claimant", "claimed_on")}),)
        claim_fields = ("text", "claimant", "claimed_on")
        if self.has_change_permission(request, obj):
            claim_fields += ("expected_version",)
        return (
            (None, {"fields": claim_fields}),
            (
                _("Review (changed in the review workflow, not here)"),
                {
                    "fields": (
                        "state",
                        "rationale",
                        "supporting_count",
                        "contradicting_count",
                        "state_changed_at",
                        "first_verdict_at",
                        "desk_links",
                    )
                },
            ),
            (
                _("Record"),
                {
                    "fields": (
                        "version",
                        "created_by",
                        "created_at",
                        "updated_at",
                        "audit_length",
                        "audit_head",
                    )
                },
            ),
        )

    @admin.display(description=gettext_lazy("evidence, reviewers, history"))
    def desk_links(self, obj):
        by_claim = f"claim__id__exact={obj.pk}"
        links = [
            _admin_link("admin:claims_evidence_changelist", _("Evidence"), query=by_claim),
            _admin_link("admin:claims_evidence_add", _("add evidence"), query=f"claim={obj.pk}"),
            _admin_link("admin:claims_assignment_changelist", _("Reviewers"), query=by_claim),
            _admin_link(
                "admin:claims_assignment_add", _("assign a reviewer"), query=f"claim={obj.pk}"
            ),
            _admin_link(
                "admin:claims_auditevent_changelist",
                _("Audit trail (%(count)s events)") % {"count": obj.audit_length},
                query=by_claim,
            ),
        ]
        return format_html_join(" · ", "{}", ((link,) for link in links))


# Evidence -----------------------------------------------------------------------------------------


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
    "added_by",
    "added_at",
)
_EVIDENCE_RETRACTION = ("retracted_at", "retracted_by", "retraction_reason")


@admin.register(Evidence)
class EvidenceAdmin(ServiceAdmin):
    """Links are added here; an existing link can only be retracted, with a reason."""

    add_form_class = EvidenceAddForm
    change_form_class = EvidenceRetractForm
    list_display = (
        "__str__",
        "claim",
        "stance",
        "is_standing",
        "publisher",
        "added_by",
        "added_at",
    )
    list_filter = ("stance", StandingFilter, "added_at")
    search_fields = ("url", "title", "publisher", "claim__text")
    list_select_related = ("claim", "added_by")
    date_hierarchy = "added_at"
    autocomplete_fields = ("claim",)

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
                (_("Retract this link"), {"fields": ("reason", "expected_version")}),
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


# Reviewer assignments -----------------------------------------------------------------------------


@admin.register(Assignment)
class AssignmentAdmin(ServiceAdmin):
    """Reviewers are assigned here; an assignment is closed by the actions, never edited."""

    add_form_class = AssignmentAddForm
    list_display = (
        "claim",
        "reviewer",
        "status",
        "due_on",
        "assigned_by",
        "assigned_at",
        "closed_at",
    )
    list_filter = ("status", ("reviewer", admin.RelatedOnlyFieldListFilter), "due_on")
    search_fields = (
        "claim__text",
        "reviewer__username",
        "reviewer__first_name",
        "reviewer__last_name",
    )
    list_select_related = ("claim", "reviewer", "assigned_by")
    date_hierarchy = "assigned_at"
    autocomplete_fields = ("claim",)
    actions = ("complete_selected", "withdraw_selected")
    readonly_fields = (
        "claim",
        "reviewer",
        "status",
        "due_on",
        "assigned_by",
        "assigned_at",
        "closed_by",
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
            # Each close bumps the claim's version, so read it afresh for every row.
            version = Claim.objects.values_list("version", flat=True).get(pk=assignment.claim_id)
            try:
                close(actor=request.user, assignment=assignment, expected_version=version)
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
                "reviewer": assignment.reviewer,
                "claim": assignment.claim_id,
                "text": text,
            },
            level,
        )


# Audit events -------------------------------------------------------------------------------------


class ActionFilter(admin.SimpleListFilter):
    title = gettext_lazy("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return AuditAction.choices

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail, read-only: events are appended by services and never changed."""

    list_display = ("created_at", "claim_link", "action", "actor_name", "sentence")
    list_filter = (ActionFilter,)
    search_fields = ("actor_name", "claim__text")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
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
