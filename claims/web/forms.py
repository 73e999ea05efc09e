"""Forms turn a request into clean values and clear errors; the services decide and write.

A form whose write rests on what the user saw (editing the claim, moving its state) carries the
version they saw, so the service can tell what changed since; adding or retracting evidence and
assigning or closing reviews conflict with nothing and carry none.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims import services, workflow
from claims.models import (
    COMMENT_TEXT_LENGTH,
    DEFAULT_CHANNELS,
    LARGEST_ID,
    Channel,
    Claim,
    NotificationKind,
    NotificationPreference,
    ReviewState,
    Source,
    Stance,
    WebhookEventType,
    is_row_id,
)
from claims.selectors import queue
from claims.selectors.dashboard import Period
from claims.selectors.filters import PlainInput, PlainSelect
from claims.selectors.people import display_name, name_with_username, reviewer_candidates
from claims.urlnorm import validate_http_url


class VersionField(forms.IntegerField):
    """The version of the claim (or source) the user saw, carried in a hidden input.

    Missing, tampered ("²", letters) or absurd values are one clear error, never a guess: a
    write at a guessed version would overwrite someone else's work blind.
    """

    widget = forms.HiddenInput

    def __init__(self, *, of_source: bool = False, **kwargs):
        super().__init__(min_value=1, max_value=LARGEST_ID, **kwargs)
        if of_source:
            message = _(
                "The form did not say which version of the source you saw. Reload the page."
            )
        else:
            message = _("The form did not say which version of the claim you saw. Reload the page.")
        for code in ("required", "invalid", "min_value", "max_value"):
            self.error_messages[code] = message


def show_service_error(form, error: ValidationError) -> None:
    """A service's refusal on the form: each message at its field when the form has one,
    above the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def keep_input_after_conflict(form, conflict: services.EditConflict) -> None:
    """Keep what the user typed, now against the current version: submitting again after
    reviewing the other person's change is then a deliberate choice."""
    if "expected_version" in form.fields:
        form.data = form.data.copy()
        form.data[form.add_prefix("expected_version")] = str(conflict.current.version)


class ReviewerChoiceField(forms.ModelChoiceField):
    """The people who may review (``selectors.people.reviewer_candidates``): the same people on
    the claim page, in the queue's filter and in the admin; the service checks again.

    ``with_username`` adds the user name where it differs from the name, for lists in which two
    people may share a name.
    """

    widget = PlainSelect  # written in Python: one option template per reviewer cost 1 ms

    def __init__(self, *, with_username: bool = False, **kwargs):
        self.with_username = with_username
        # Asked of the database per form, not when the form class is defined (at import).
        kwargs.setdefault("queryset", None)
        super().__init__(**kwargs)

    def __deepcopy__(self, memo):
        field = super().__deepcopy__(memo)
        if field.queryset is None:
            field.queryset = reviewer_candidates()
        return field

    def label_from_instance(self, obj):
        return name_with_username(obj) if self.with_username else display_name(obj)

    def offer(self, options: list[tuple[str, str]]) -> None:
        """Show these (id, name) pairs (``people.reviewer_options``), read as plain values,
        instead of a user instance per option; validating still asks the queryset."""
        empty = [] if self.empty_label is None else [("", str(self.empty_label))]
        self.widget.plain_choices = [*empty, *options]


class ReviewerPairForm(forms.Form):
    """Two people, ``a`` and ``b`` by number, from a query string: the pair of reviewers whose
    disagreements are listed. Neither given is no pair; one alone, the same person twice or a
    number that is nobody's is refused with the reason. Former reviewers count: their
    judgements stay in the figures."""

    a = forms.CharField(required=False, widget=forms.HiddenInput)
    b = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        given = [cleaned.get(name, "").strip() for name in ("a", "b")]
        if not any(given):
            return cleaned
        if not all(given):
            raise ValidationError(
                _("Choose two reviewers: the address names only one."), code="pair_incomplete"
            )
        for value in given:
            if not is_row_id(value):
                raise ValidationError(
                    _("“%(value)s” is not a person's number."),
                    code="pair_not_a_number",
                    params={"value": value[:30]},
                )
        first, second = (int(value) for value in given)
        if first == second:
            raise ValidationError(_("Choose two different reviewers."), code="pair_same")
        people = (
            get_user_model()
            .objects.filter(pk__in=(first, second))
            .only("username", "first_name", "last_name")
            .in_bulk()
        )
        for number in (first, second):
            if number not in people:
                raise ValidationError(
                    _("Nobody has the number %(number)s."),
                    code="pair_unknown",
                    params={"number": number},
                )
        cleaned["pair"] = (people[first], people[second])
        return cleaned

    def pair(self) -> tuple | None:
        """The two people chosen, in the order given, or None for all reviewers."""
        return self.cleaned_data.get("pair") if self.is_valid() else None


class HttpURLField(forms.URLField):
    """http(s) only, said plainly; a bare domain is taken as https."""

    default_validators = [validate_http_url]

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("max_length", 2000)
        super().__init__(**kwargs)
        self.error_messages["invalid"] = validate_http_url.message


# Long enough for any statement worth checking, short enough for a queue row and a verdict card.
CLAIM_TEXT_LENGTH = 1000


class ClaimForm(forms.Form):
    text = forms.CharField(
        label=_("Claim"),
        max_length=CLAIM_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "data-counter": _("%(left)s characters left")}),
        help_text=_("The statement under review, in neutral words (at most 1,000 characters)."),
    )
    claimant = forms.CharField(label=_("Claimant"), max_length=200, help_text=_("Who made it."))
    claimed_on = forms.DateField(
        label=_("Date made"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ClaimEditForm(ClaimForm):
    """The claim's fields, and what the page showed of each (``seen_*``), so that saving writes
    only what this user changed and a field someone else changed meanwhile is shown beside
    theirs instead of being put back. ``keep_theirs`` names the clashing fields for which the
    user chose the saved value over their own."""

    MERGED = ("text", "claimant", "claimed_on")

    seen_text = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    seen_claimant = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    seen_claimed_on = forms.DateField(widget=forms.HiddenInput, required=False)
    keep_theirs = forms.MultipleChoiceField(
        choices=[(field, field) for field in MERGED],
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=2000,
        required=False,
        help_text=_("This claim has a verdict: readers will see why its wording changed."),
    )
    expected_version = VersionField()

    def __init__(self, *args, has_verdict: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if has_verdict:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]

    def clean(self):
        data = super().clean()
        for field in data.get("keep_theirs") or ():
            data[field] = data.get(f"seen_{field}")
        return data

    def seen(self) -> dict | None:
        """What the page showed, or None for a post that does not say (then any change made
        since the version it names is a conflict, as for every older form)."""
        if not any(self.add_prefix(f"seen_{field}") in self.data for field in self.MERGED):
            return None
        return {field: self.cleaned_data.get(f"seen_{field}") for field in self.MERGED}

    @classmethod
    def seen_initial(cls, claim) -> dict:
        return {f"seen_{field}": getattr(claim, field) for field in cls.MERGED}


def typed_values(form) -> dict:
    """What the user typed in a bound form, as initial values: a form shown again to add or
    remove a row keeps every keystroke without showing errors for fields not filled in yet."""
    return {name: form[name].value() for name in form.fields}


class ClaimCreateForm(ClaimForm):
    """A new claim, and for those who may assign reviewers, its first reviewer: most claims are
    handed to someone as soon as they are logged, and a second visit to the claim page to do
    it was the desk's most common round trip."""

    def __init__(self, *args, may_assign: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if may_assign:
            self.fields["reviewer"] = ReviewerChoiceField(
                queryset=reviewer_candidates(),
                label=_("Reviewer"),
                required=False,
                empty_label=_("Assign later"),
                help_text=_("Who reviews it first; more can be added on the claim page."),
            )
            self.fields["due_on"] = DueDateField(label=_("Review due"))

    def clean(self):
        data = super().clean()
        if data.get("due_on") and not data.get("reviewer"):
            self.add_error("due_on", _("Choose a reviewer for this due date, or clear it."))
        return data

    def claim_values(self) -> dict:
        """The values ``services.claim_create`` takes; the reviewer goes to reviewer_assign."""
        return {name: self.cleaned_data[name] for name in ("text", "claimant", "claimed_on")}


class _AlternativeSelect(forms.Select):
    """A choice that may be left empty when its alternative is filled in: the browser must not
    insist on it."""

    def use_required_attribute(self, initial) -> bool:
        return False


class SourceOnFileField(forms.ModelChoiceField):
    """A row needs a source on file or a new source's title (``AppearanceForm.clean`` checks
    which); the field counts as required, so its label is not marked "(optional)", but an
    empty choice passes here for the new-source path."""

    widget = _AlternativeSelect

    def validate(self, value):
        """The choice itself is checked in ``to_python``; emptiness in the form's ``clean``."""


class AppearanceForm(forms.Form):
    """One place the claim appeared: a source on file, or a new one described here."""

    source = SourceOnFileField(
        label=_("Source"),
        queryset=Source.objects.order_by("title"),
        empty_label=_("Choose a source on file…"),
        help_text=_("A source on file, or a new source described below."),
    )
    new_source_title = forms.CharField(
        label=_("…or a new source: title"), max_length=500, required=False
    )
    new_source_url = HttpURLField(label=_("New source: address"), required=False)
    new_source_outlet = forms.CharField(
        label=_("New source: outlet"), max_length=200, required=False
    )
    new_source_published_on = forms.DateField(
        label=_("New source: publication date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    quote = forms.CharField(
        label=_("Quoted passage"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The words of the claim as they appear in this source."),
    )

    def clean(self):
        data = super().clean()
        if data.get("source") and data.get("new_source_title"):
            raise forms.ValidationError(
                _("Choose a source on file or describe a new one, not both.")
            )
        if not data.get("source") and not data.get("new_source_title"):
            self.add_error("source", _("Choose a source on file or give a new source's title."))
        return data

    def appearance_input(self):
        """The service's input; a new source is an unsaved Source the service records."""
        data = self.cleaned_data
        source = data.get("source") or Source(
            title=data["new_source_title"],
            url=data.get("new_source_url") or "",
            outlet=data.get("new_source_outlet") or "",
            published_on=data.get("new_source_published_on"),
        )
        return services.AppearanceInput(source, data["quote"])


class BaseAppearanceFormSet(forms.BaseFormSet):
    def _kept_forms(self):
        return [
            form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)
        ]

    def clean(self):
        if any(self.errors):
            return
        kept = self._kept_forms()
        if not kept:
            raise forms.ValidationError(
                _("Add at least one source where the claim appeared, with its quote.")
            )
        sources = [form.cleaned_data["source"].pk for form in kept if form.cleaned_data["source"]]
        if len(sources) != len(set(sources)):
            raise forms.ValidationError(_("Each source can be listed once."))

    def appearance_inputs(self) -> list:
        return [form.appearance_input() for form in self._kept_forms()]

    @property
    def may_add(self) -> bool:
        return self.total_form_count() < self.max_num

    def with_one_more_row(self, *, prefix: str):
        """This bound formset shown again, unbound, with the rows marked for removal dropped
        and one empty row added: the no-JavaScript way to add and remove rows in place."""
        rows = [
            typed_values(form)
            for form in self.forms
            if not form[forms.formsets.DELETION_FIELD_NAME].value()
        ]
        for row in rows:
            row.pop(forms.formsets.DELETION_FIELD_NAME, None)
        shown = type(self)(prefix=prefix, form_kwargs={"rows": rows})
        shown.extra = min(len(rows) + 1, self.max_num)
        return shown

    def get_form_kwargs(self, index):
        """Rows carried over from ``with_one_more_row`` are the extra forms' initial values, so
        the next submission treats each of them as new input, not as a row already saved."""
        kwargs = super().get_form_kwargs(index)
        rows = kwargs.pop("rows", None)
        if rows is not None and index is not None and index < len(rows):
            kwargs["initial"] = rows[index]
        return kwargs


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


class SourceEditForm(SourceForm):
    """Corrects a source on file; every claim citing it records the change in its history."""

    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The source's text or transcript, if the desk keeps it."),
    )
    expected_version = VersionField(of_source=True)


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


class RetractForm(forms.Form):
    reason = forms.CharField(label=_("Reason for retracting"), max_length=2000)


def _comment_text_field(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=COMMENT_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "data-counter": _("%(left)s characters left")}),
        help_text=_(
            "Plain text, seen only on the desk. Links starting with http:// or https:// become "
            "clickable; @username mentions a colleague."
        ),
    )


class CommentForm(forms.Form):
    text = _comment_text_field(_("Comment"))


class CommentEditForm(forms.Form):
    text = _comment_text_field(_("Your comment"))


class CommentHideForm(forms.Form):
    """Hiding a comment says why: the discussion shows the reason in its place."""

    reason = forms.CharField(label=_("Reason for hiding"), max_length=2000)


class MentionSearchForm(forms.Form):
    """The name typed to find a colleague to mention: a username or the start of a name."""

    q = forms.CharField(max_length=150, required=False, strip=True)


class DueDateField(forms.DateField):
    """An optional due date that is not already past: one typed in the past would make the
    review overdue the moment it is assigned, almost always a slip of the year or month."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and value < timezone.localdate():
            raise forms.ValidationError(
                _("The due date %(date)s has already passed.") % {"date": value.isoformat()},
                code="past_due_date",
            )


class AssignForm(forms.Form):
    reviewer = ReviewerChoiceField(label=_("Reviewer"), empty_label=_("Choose a reviewer…"))
    due_on = DueDateField(label=_("Due"))


class CloseAssignmentForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class WithdrawForm(forms.Form):
    """Taking a reviewer off a claim says why: they and the desk read it in the history."""

    reason = forms.CharField(label=_("Reason for withdrawing"), max_length=2000)


class SignOffForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the proposer"),
        max_length=2000,
        required=False,
        help_text=_("Optional: kept in the history with your sign-off."),
    )


class ReturnProposalForm(forms.Form):
    """Sending a proposal back says why: the proposer reads it on the claim page."""

    note = forms.CharField(
        label=_("Why it goes back"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ReviewModeForm(forms.Form):
    """Set by the button pressed: review independently, or end the independent review."""

    independent = forms.TypedChoiceField(
        choices=(("yes", "yes"), ("no", "no")), coerce=lambda value: value == "yes"
    )


class WithdrawProposalForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=2000, required=False)


class StateChangeForm(forms.Form):
    """Offers only the moves whose preconditions hold now; the service checks again.

    Any review state is accepted as input: a move offered when the page loaded may no longer be
    allowed once someone else has moved the claim, and the service then answers with a
    conflict that keeps the rationale, where the form would only say "Select a valid choice".
    """

    state = forms.ChoiceField(
        label=_("New state"), choices=ReviewState.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why: this becomes the published verdict's rationale."),
    )
    expected_version = VersionField()
    # Set by the button "Change state and close my review", offered to a reviewer of the claim.
    close_review = forms.BooleanField(required=False, widget=forms.HiddenInput)
    review_note = forms.CharField(
        label=_("Note on your review"),
        max_length=2000,
        required=False,
        help_text=_("Optional: kept with your finished review."),
    )

    correction_note = forms.CharField(
        label=_("Correction note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_(
            "Public: readers see it with the corrected verdict. Say what was wrong and what "
            "changed."
        ),
    )

    def __init__(self, *args, claim: Claim, reviews: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].widget.choices = [
            (t.target, t.label) for t in workflow.allowed_targets(claim)
        ]
        # Only someone with an open review of the claim can finish it with the move.
        self.reviews = reviews
        if not reviews:
            del self.fields["close_review"], self.fields["review_note"]
        # Once the public has seen a verdict, every move corrects it (the service requires it).
        self.corrects = claim.published_at is not None
        if self.corrects:
            # Required of the person typing, but checked by the service: a page from before
            # the verdict was published never showed the field, and is a conflict, not a slip.
            self.fields["correction_note"].widget.attrs["required"] = True
        else:
            del self.fields["correction_note"]

    @property
    def offers_moves(self) -> bool:
        """Is there a move to offer, or a refused one whose rationale must be shown again?
        Otherwise the page explains what is missing instead of showing an empty form."""
        return bool(self.fields["state"].widget.choices) or self.is_bound


# Bulk actions from the queue ----------------------------------------------------------------------


class ClaimSelectionField(forms.Field):
    """Claims chosen in the queue, each sent as ``<id>:<version>`` (the version its row showed),
    as ticked checkboxes or as one space-separated list; cleaned to ``{id: version}`` in the
    order sent. A value that names no claim and version is one clear error, never skipped."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> dict[int, int]:
        tokens = [value] if isinstance(value, str) else list(value or ())
        chosen = {}
        for item in " ".join(tokens).split():
            claim_id, _colon, version = item.partition(":")
            if not (is_row_id(claim_id) and is_row_id(version)):
                raise ValidationError(
                    _("The form did not say which claims and versions you saw. Reload the page."),
                    code="invalid",
                )
            chosen[int(claim_id)] = int(version)
        return chosen


def ticked_claims(data) -> frozenset[int]:
    """The claim ids a posted queue form selected (every one the page showed, with "All on
    this page"), read leniently so that the queue shown again after an error keeps every
    readable tick."""
    items = data.getlist("claim")
    if data.get("all_on_page"):
        items += data.get("shown", "").split()
    ids = set()
    for item in items:
        claim_id = item.partition(":")[0]
        if is_row_id(claim_id):
            ids.add(int(claim_id))
    return frozenset(ids)


class QueueBulkForm(forms.Form):
    """The queue's bulk bar: the claims ticked (or every claim the page showed), and either a
    reviewer to assign or a state to move them to with one rationale.

    Checks what can be known before writing: something selected, the action's own fields, and
    for a state change that at least one selected claim could take it now; the services then
    check and record each claim on its own. The form's ids start with ``bulk-`` because the
    filter form on the same page has a reviewer field too.
    """

    ASSIGN, CHANGE_STATE = "assign", "state"

    claim = ClaimSelectionField(required=False)
    all_on_page = forms.BooleanField(label=_("All on this page"), required=False)
    shown = ClaimSelectionField(required=False, widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=[(ASSIGN, _("Assign")), (CHANGE_STATE, _("Change state"))],
        error_messages={"required": _("Choose what to do with the selected claims.")},
    )
    # The reviewer field is added per form (see __init__). The selects are written out in
    # Python, as the filter form's are: the bar is on every queue page an editor opens.
    due_on = DueDateField(label=_("Due"), widget=PlainInput("date"))
    state = forms.ChoiceField(
        label=_("New state"),
        choices=[("", _("Choose a state…")), *ReviewState.choices],
        required=False,
        widget=PlainSelect,
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One rationale for every claim moved: it becomes each one's verdict."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "bulk-%s")
        super().__init__(*args, **kwargs)
        # The reviewers' query is built only to check a posted choice: the page shows the ones
        # it has already read (offer_reviewers), and building it cost 0.9 ms of every queue page.
        reviewers = reviewer_candidates() if self.is_bound else get_user_model().objects.none()
        self.fields = {
            "reviewer": ReviewerChoiceField(
                queryset=reviewers,
                label=_("Reviewer"),
                required=False,
                empty_label=_("Choose a reviewer…"),
                widget=PlainSelect,
            ),
            **self.fields,
        }
        self.claims: list[Claim] = []
        self.missing: set[int] = set()

    def offer_reviewers(self, reviewers: list[tuple[str, str]]) -> None:
        """Offer these (id, name) pairs, which the page has already read for its filter form,
        so that showing the bar asks the database nothing more; validating still asks."""
        self.fields["reviewer"].offer(reviewers)

    def clean(self):
        data = super().clean()
        chosen = {**(data.get("shown") or {})} if data.get("all_on_page") else {}
        chosen.update(data.get("claim") or {})
        data["versions"] = chosen
        if not chosen and not self.has_error("claim") and not self.has_error("shown"):
            self.add_error(
                None,
                _("Select the claims to act on: tick each one, or “All on this page”."),
            )
        elif len(chosen) > services.BULK_LIMIT:
            self.add_error(
                None,
                _("Select at most %(limit)d claims at once.") % {"limit": services.BULK_LIMIT},
            )
        action = data.get("action")
        if action == self.ASSIGN and not data.get("reviewer") and not self.has_error("reviewer"):
            self.add_error("reviewer", _("Choose the reviewer to assign."))
        if action == self.CHANGE_STATE:
            if not data.get("state"):
                self.add_error("state", _("Choose the state to move the claims to."))
            if not (data.get("rationale") or "").strip():
                self.add_error("rationale", _("Write a rationale for this change of state."))
        if chosen and not self.errors:
            self.claims, self.missing = queue.bulk_selection(list(chosen))
            if action == self.CHANGE_STATE:
                self._check_some_can_move(data["state"], data["rationale"])
        return data

    def _check_some_can_move(self, state: str, rationale: str) -> None:
        """Refuse a state that no selected claim can take now, saying why, before writing: one
        error to correct beats every claim refused for the same reason."""
        reasons = []
        for claim in self.claims:
            if claim.pk in self.missing:  # gone since the page was shown: the service says so
                return
            error = workflow.transition_error(claim, state, rationale)
            if error is None:
                return
            reasons.extend(m for m in error.messages if m not in reasons)
        self.add_error(
            "state",
            _("None of the selected claims can move to %(state)s now: %(reasons)s")
            % {"state": ReviewState(state).label, "reasons": " ".join(reasons)},
        )

    @property
    def opened(self) -> str:
        """The action whose fields to show open: the one just tried, when it was refused."""
        return self.data.get("action", "") if self.is_bound else ""


class PeriodForm(forms.Form):
    """The period the dashboard's figures over time cover (the time in each stage), from its
    query string: both days included. Left empty, or given wrongly, it is the weekly chart's
    weeks; given only its last day, the same number of weeks up to that day."""

    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error(
                "until",
                ValidationError(
                    _("The period ends before it starts: choose a day on or after %(since)s.")
                    % {"since": since.isoformat()},
                    code="period_reversed",
                ),
            )
        return cleaned

    @classmethod
    def chosen(cls, query, *, today, auto_id="id_%s") -> tuple[Period, "PeriodForm"]:
        """The period ``query`` chooses and the form to show with it: filled in with the period's
        days, or as it was typed beside its errors. ``auto_id`` keeps the ids of two such forms
        on one page apart (errors take theirs as the form is checked)."""
        form = cls(query, today=today, auto_id=auto_id)
        period = form.period()
        if form.is_valid():
            initial = {"since": period.first, "until": period.last}
            form = cls(initial=initial, today=today, auto_id=auto_id)
        return period, form

    def period(self) -> Period:
        """The period chosen, or the weekly chart's weeks where none was chosen correctly."""
        if not self.is_valid():
            return Period.recent_weeks(self.today)
        since, until = self.cleaned_data["since"], self.cleaned_data["until"]
        if since is None:
            return Period.recent_weeks(until or self.today)
        return Period(since, until or max(since, self.today))


class NotificationPreferencesForm(forms.Form):
    """One choice of channel per kind of notification, starting from the person's current ones."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = dict(
            NotificationPreference.objects.filter(user=user).values_list("kind", "channel")
        )
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Channel.choices,
                initial=chosen.get(kind, DEFAULT_CHANNELS[kind]),
                widget=forms.RadioSelect,
            )


class ApiTokenForm(forms.Form):
    """A new personal API token: a name to tell it apart, and whether it may only read."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What uses it, e.g. “CMS import” or “my laptop”."),
    )
    read_only = forms.BooleanField(
        label=_("Read only: may read the desk but change nothing"), required=False
    )


class WebhookEndpointForm(forms.Form):
    """An endpoint as an editor types it; the service checks the address (``claims.netguard``)
    and the types, and its errors come back at these fields."""

    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://cms.example.org/hooks/factcheck"}),
        help_text=_("http:// or https://, reachable from the internet."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        required=False,
        help_text=_("What receives it, for the desk to know (“CMS: published verdicts”)."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events to send"),
        choices=WebhookEventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event type.")},
    )

    @classmethod
    def of(cls, endpoint) -> "WebhookEndpointForm":
        return cls(
            initial={
                "url": endpoint.url,
                "description": endpoint.description,
                "event_types": endpoint.event_types,
            }
        )
