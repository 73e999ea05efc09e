"""Admin forms whose last validation step is a service call: the admin writes only via services.

A refusal from a service (``ValidationError``, ``PermissionDenied``, ``EditConflict``) becomes an
error on the form, shown with what the user typed, instead of a server error after the form was
already accepted.
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims import services
from claims.models import Assignment, Claim, Evidence, ReviewState, Source, is_row_id
from claims.selectors.people import reviewer_candidates
from claims.web.forms import (
    DueDateField,
    HttpURLField,
    ReviewerChoiceField,
    VersionField,
    keep_input_after_conflict,
    show_service_error,
)


class RowIdAutocompleteSelect(AutocompleteSelect):
    """The admin's autocomplete select, re-rendering only submitted values that can name a row.

    Shown again with an error, the stock widget looks the submitted value up to label it, and
    a value such as ``abc`` or a number past 64 bits fails there (SQLite cannot even send it)
    though the field itself has already refused it.
    """

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if is_row_id(str(v))], attr)


class ServiceForm(forms.ModelForm):
    """A ModelForm that writes through a service as its very last validation step.

    The service runs at the end of ``full_clean()``, not in ``clean()``: model validation
    (``_post_clean()``) runs after ``clean()``, so a write made in ``clean()`` could be followed by
    an error, leaving a written row behind a form shown as invalid. Here the form is valid exactly
    when the service wrote. The admin's ``changeform_view`` runs in ``transaction.atomic`` and each
    service opens its own savepoint, so a refused write leaves nothing behind. ``save()`` returns
    what the service wrote; the admin's own save steps do nothing.
    """

    actor = None  # the requesting user; the admin sets it on the form class it builds per request

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.written = None
        if "expected_version" in self.fields and self.instance.pk is not None:
            self.fields["expected_version"].initial = self.seen_version()

    def seen_version(self) -> int:
        """The version of the claim this form acts on, as the page is shown."""
        raise NotImplementedError

    def write(self, data: dict):
        """Call the service with the cleaned data and return what it wrote."""
        raise NotImplementedError

    def full_clean(self):
        super().full_clean()
        if self._errors and "expected_version" in self._errors:
            # A hidden input's error belongs to the whole form: the page shows it above the form.
            for message in self._errors.pop("expected_version"):
                self.add_error(None, message)
        if not self.is_bound or self._errors or self.written is not None:
            return
        if self.empty_permitted and not self.has_changed():
            return
        try:
            self.written = self.write(self.cleaned_data)
        except services.EditConflict as conflict:
            self.add_error(None, str(conflict))
            self.show_conflict(conflict)
        except PermissionDenied as denied:
            self.add_error(None, str(denied) or _("You do not have permission to do this."))
        except ValidationError as error:
            show_service_error(self, error)

    def show_conflict(self, conflict: services.EditConflict) -> None:
        keep_input_after_conflict(self, conflict)

    def save(self, commit=True):
        if self.written is None:
            raise ValueError("The service did not write; check is_valid() before save().")
        return self.written

    def _save_m2m(self):
        """The service saved any related rows already."""


# Sources ------------------------------------------------------------------------------------------


# What a source's form edits; the version seen rides along on the change form.
SOURCE_FIELDS = ("title", "url", "outlet", "author", "published_on", "text")


class SourceForm(ServiceForm):
    expected_version = VersionField(of_source=True)

    class Meta:
        model = Source
        fields = list(SOURCE_FIELDS)
        # http(s) only, refused at the field, https when typed without a scheme: the services
        # refuse other schemes too, but source_create/source_update do not name the field.
        field_classes = {"url": HttpURLField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["expected_version"]  # a new source has no version to be stale against

    def seen_version(self):
        return self.instance.version

    def write(self, data):
        # The source's own fields only: the admin's form lists expected_version among its fields.
        values = {field: data[field] for field in SOURCE_FIELDS if field in data}
        if self.instance.pk is None:
            return services.source_create(actor=self.actor, **values)
        changes = {field: values[field] for field in self.changed_data if field in values}
        return services.source_update(
            actor=self.actor,
            source=self.instance,
            expected_version=data["expected_version"],
            **changes,
        )


# Claims -------------------------------------------------------------------------------------------


class AppearanceFormSet(forms.BaseInlineFormSet):
    """The appearance rows of the claim form; the claim form, not this formset, writes them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin builds this formset on the claim form's own instance; the form finds it here.
        self.instance._admin_appearance_formset = self

    def appearance_inputs(self) -> list[services.AppearanceInput]:
        if not self.is_valid():
            raise ValidationError(_("Correct the errors in the appearances below."))
        inputs = []
        for form in self.forms:
            if form.instance.pk is None and not form.has_changed():
                continue  # an empty extra row
            if form.cleaned_data.get("DELETE"):
                continue
            inputs.append(
                services.AppearanceInput(
                    form.cleaned_data["source"], form.cleaned_data.get("quote") or ""
                )
            )
        return inputs


def _appearance_inputs(claim: Claim) -> list[services.AppearanceInput] | None:
    """The appearances submitted with the claim form, or None when the page had no such rows."""
    formset = getattr(claim, "_admin_appearance_formset", None)
    return None if formset is None else formset.appearance_inputs()


class ClaimAddForm(ServiceForm):
    class Meta:
        model = Claim
        fields = ["text", "claimant", "claimed_on"]

    def write(self, data):
        return services.claim_create(
            actor=self.actor,
            text=data["text"],
            claimant=data["claimant"],
            claimed_on=data["claimed_on"],
            appearances=_appearance_inputs(self.instance) or (),
        )


class ClaimChangeForm(ServiceForm):
    expected_version = VersionField()
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Needed when the claim has a verdict: it is kept in the history."),
    )

    class Meta:
        model = Claim
        fields = ["text", "claimant", "claimed_on"]

    def seen_version(self):
        return self.instance.version

    def write(self, data):
        return services.claim_update(
            actor=self.actor,
            claim=self.instance,
            expected_version=data["expected_version"],
            text=data["text"],
            claimant=data["claimant"],
            claimed_on=data["claimed_on"],
            appearances=_appearance_inputs(self.instance),
            reason=data.get("reason", ""),
        )

    def show_conflict(self, conflict):
        super().show_conflict(conflict)
        current = conflict.claim
        saved = {
            "text": current.text,
            "claimant": current.claimant,
            "claimed_on": current.claimed_on,
        }
        differing = [
            _("%(field)s: “%(value)s”") % {"field": self.fields[field].label, "value": value or "—"}
            for field, value in saved.items()
            if value != self.cleaned_data.get(field)
        ]
        if differing:
            self.add_error(None, _("Saved now: %(values)s.") % {"values": "; ".join(differing)})


# Evidence -----------------------------------------------------------------------------------------


class EvidenceAddForm(ServiceForm):
    """Adds a link at the claim's version as of submitting: the form itself shows no claim state."""

    class Meta:
        model = Evidence
        fields = ["claim", "stance", "url", "title", "publisher", "excerpt", "note"]
        field_classes = {"url": HttpURLField}

    def write(self, data):
        claim = data["claim"]
        return services.evidence_add(
            actor=self.actor,
            claim=claim,
            stance=data["stance"],
            url=data["url"],
            title=data["title"],
            publisher=data["publisher"],
            excerpt=data["excerpt"],
            note=data["note"],
        )


class EvidenceRetractForm(ServiceForm):
    """Saving this form retracts the link; whether it may go is checked against the claim as it
    is when saved (a retraction conflicts with nothing else)."""

    reason = forms.CharField(
        label=gettext_lazy("Reason for retracting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Saving retracts this link: it stays on record but no longer counts as evidence."
        ),
    )

    class Meta:
        model = Evidence
        fields = []

    def write(self, data):
        return services.evidence_retract(
            actor=self.actor,
            evidence=self.instance,
            reason=data["reason"],
        )


# Reviewer assignments -----------------------------------------------------------------------------


class AssignmentAddForm(ServiceForm):
    """Assigns at the claim's version as of submitting: the form itself shows no claim state."""

    class Meta:
        model = Assignment
        fields = ["claim", "reviewer", "due_on"]
        field_classes = {"reviewer": ReviewerChoiceField, "due_on": DueDateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "reviewer" in self.fields:
            self.fields["reviewer"].queryset = reviewer_candidates()
            self.fields["reviewer"].with_username = True

    def write(self, data):
        claim = data["claim"]
        return services.reviewer_assign(
            actor=self.actor,
            claim=claim,
            reviewer=data["reviewer"],
            due_on=data["due_on"],
        )


# Bulk actions on claims ---------------------------------------------------------------------------


class BulkAssignForm(forms.Form):
    """The intermediate page of "assign a reviewer": one reviewer and due date for every claim."""

    reviewer = ReviewerChoiceField(label=gettext_lazy("Reviewer"), with_username=True)
    due_on = DueDateField(label=gettext_lazy("Due date"), help_text=gettext_lazy("Optional."))


class BulkStateChangeForm(forms.Form):
    """The intermediate page of "change state": one target state and one rationale for all.

    The rationale is required here because every move in the workflow needs one: asking for it
    once, on the form, beats refusing every selected claim for the same reason.
    """

    state = forms.ChoiceField(label=gettext_lazy("New state"), choices=ReviewState.choices)
    rationale = forms.CharField(
        label=gettext_lazy("Rationale"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=gettext_lazy("Recorded on each claim as its verdict rationale."),
    )
