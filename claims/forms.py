"""Forms turn a request into clean values and clear errors; the services decide and write.

Every form that changes a claim carries the version the user saw, so a stale submission is
refused by the service as a conflict instead of overwriting someone else's work.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import workflow
from .models import Claim, ReviewState, Source, Stance
from .urlnorm import validate_http_url


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, **kwargs)
        self.error_messages["required"] = _(
            "The form did not say which version of the claim you saw. Reload the page."
        )
        self.error_messages["invalid"] = self.error_messages["required"]


class HttpURLField(forms.URLField):
    """http(s) only, said plainly; a bare domain is taken as https."""

    default_validators = [validate_http_url]

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("max_length", 2000)
        super().__init__(**kwargs)
        self.error_messages["invalid"] = validate_http_url.message


class ClaimForm(forms.Form):
    text = forms.CharField(
        label=_("Claim"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The statement under review, in neutral words."),
    )
    claimant = forms.CharField(label=_("Claimant"), max_length=200, help_text=_("Who made it."))
    claimed_on = forms.DateField(
        label=_("Date made"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ClaimEditForm(ClaimForm):
    expected_version = VersionField()


class AppearanceForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=Source.objects.order_by("title"),
        empty_label=_("Choose a source…"),
    )
    quote = forms.CharField(
        label=_("Quoted passage"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The words of the claim as they appear in this source."),
    )


class BaseAppearanceFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        chosen = [
            f.cleaned_data for f in self.forms if f.cleaned_data and not self._should_delete_form(f)
        ]
        if not chosen:
            raise forms.ValidationError(
                _("Add at least one source where the claim appeared, with its quote.")
            )
        sources = [row["source"].pk for row in chosen]
        if len(sources) != len(set(sources)):
            raise forms.ValidationError(_("Each source can be listed once."))

    def appearance_rows(self) -> list[dict]:
        return [
            f.cleaned_data for f in self.forms if f.cleaned_data and not self._should_delete_form(f)
        ]


AppearanceFormSet = forms.formset_factory(
    AppearanceForm,
    formset=BaseAppearanceFormSet,
    extra=1,
    can_delete=True,
    max_num=20,
    validate_max=True,
)


class SourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    url = HttpURLField(label=_("Address"), required=False)
    outlet = forms.CharField(label=_("Outlet"), max_length=200, required=False)
    author = forms.CharField(label=_("Author"), max_length=200, required=False)
    published_on = forms.DateField(
        label=_("Publication date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class EvidenceForm(forms.Form):
    stance = forms.ChoiceField(choices=Stance.choices, widget=forms.HiddenInput)
    url = HttpURLField(label=_("Link"))
    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    publisher = forms.CharField(label=_("Publisher"), max_length=200, required=False)
    excerpt = forms.CharField(
        label=_("Quoted excerpt"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_version = VersionField()


class RetractForm(forms.Form):
    reason = forms.CharField(label=_("Reason for retracting"), max_length=2000)
    expected_version = VersionField()


def reviewer_choices():
    """Active users who may review: Reviewers, Editors and superusers."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(groups__permissions__codename__in=["review_claims", "manage_claims"])
            | Q(is_superuser=True)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class AssignForm(forms.Form):
    reviewer = ReviewerChoiceField(
        label=_("Reviewer"), queryset=reviewer_choices(), empty_label=_("Choose a reviewer…")
    )
    due_on = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expected_version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewer_choices()


class CloseAssignmentForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)
    expected_version = VersionField()


class StateChangeForm(forms.Form):
    """Offers only the moves whose preconditions hold now; the service checks again."""

    state = forms.ChoiceField(label=_("New state"), widget=forms.RadioSelect)
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why: this becomes the published verdict's rationale."),
    )
    expected_version = VersionField()

    def __init__(self, *args, claim: Claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            (t.target, f"{t.label}: {ReviewState(t.target).label}")
            for t in workflow.allowed_targets(claim)
        ]
