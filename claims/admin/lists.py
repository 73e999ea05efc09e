"""Changelists for tables of 100,000s of rows, and the admin classes the desk's models share.

One count per page at most (and none when a tally knows it), pages chosen by id in an
index-only subquery, facet counts never offered, a selection of rows checked before an action
reads it, input the database cannot take (a NUL, a number past 64 bits) refused on the page,
saves that go through the services, and pages for editors only. ``claims.admin`` builds each
model's admin on these.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.contrib.admin.views.main import (
    ALL_VAR,
    ERROR_FLAG,
    IS_FACETS_VAR,
    IS_POPUP_VAR,
    ORDER_VAR,
    PAGE_VAR,
    SEARCH_VAR,
    TO_FIELD_VAR,
    ChangeList,
)
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.admin.forms import RowIdAutocompleteSelect
from claims.models import LARGEST_ID, Assignment, AssignmentStatus, Claim, is_row_id
from claims.permissions import is_editor
from claims.search import reads_in_order, search_claims
from claims.selectors.paging import CountedPaginator
from claims.selectors.people import display_name, reviewer_candidates
from claims.web.forms import ReviewerChoiceField

# Query parameters of a changelist that page, sort or frame it without narrowing its rows.
_NOT_FILTERS = {ALL_VAR, ORDER_VAR, PAGE_VAR, IS_POPUP_VAR, TO_FIELD_VAR, IS_FACETS_VAR, ERROR_FLAG}


class DeferredJoinPaginator(CountedPaginator):
    """Pages whose ids are chosen first, in a subquery that can read the ordering's index alone,
    and only those rows read: a page deep in the list skips index entries, not whole rows."""

    def __init__(self, *args, in_order=None, **kwargs):
        super().__init__(*args, **kwargs)
        # For a searched list: a callable giving the same rows searched with
        # ``search_claims(..., in_order=True)``, for the pages where that is cheaper.
        self.in_order = in_order

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        source = self.object_list
        if self.in_order is not None and reads_in_order(self.count, top):
            source = self.in_order().order_by(*self.object_list.query.order_by)
        ids = source.values("pk")[bottom:top]
        # The rows by id, from the same source: the in-order one does not look every match up.
        return self._get_page(source.filter(pk__in=ids), number, self)


# PostgreSQL refuses it in text, so no value holding it can be looked up there.
NUL = "\x00"


def _holds_nul(params: dict[str, list[str]]) -> bool:
    return any(
        NUL in name or any(NUL in value for value in values) for name, values in params.items()
    )


def _past_64_bits(model, name: str, values: list[list[str]]) -> bool:
    """Does this ``__in`` lookup on a whole-number column list a number past 64 bits? Django
    finds nothing for such a number in its other lookups, but passes these on to the database,
    and SQLite cannot even send them."""
    path, _sep, lookup = name.rpartition(LOOKUP_SEP)
    if lookup != "in" or not path:
        return False
    try:
        field = get_fields_from_path(model, path)[-1]
    except (FieldDoesNotExist, NotRelationField):
        return False  # not a column: Django refuses the lookup itself
    if not isinstance(getattr(field, "target_field", field), models.IntegerField):
        return False
    for value in (value for group in values for value in group):
        try:
            number = int(value)  # read as the column reads it
        except ValueError:
            continue  # not a number: Django refuses it itself
        if not -LARGEST_ID - 1 <= number <= LARGEST_ID:
            return True
    return False


class GuardedChangeList(ChangeList):
    """A changelist that refuses the filters the database would fail on, as Django refuses a
    lookup it cannot make (the list unfiltered, flagged ``?e=1``), and says so on that page.

    Refused: a NUL anywhere in a filter; a number past 64 bits in an ``__in`` list; a date
    hierarchy's year, month or day too large for a date (Django catches only a day that does
    not exist, like 31 February).
    """

    def __init__(self, request, *args, **kwargs):
        if ERROR_FLAG in request.GET:
            messages.warning(
                request,
                _("This list cannot be filtered as the address asked: here it is unfiltered."),
            )
        super().__init__(request, *args, **kwargs)

    def get_filters(self, request):
        if _holds_nul(self.get_filters_params()):
            raise IncorrectLookupParameters("A filter holds a NUL character.")
        try:
            filters = super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error
        remaining = filters[2]
        if any(_past_64_bits(self.model, name, values) for name, values in remaining.items()):
            raise IncorrectLookupParameters("A filter names a number past 64 bits.")
        return filters


class GuardedInput:
    """What a model admin (or inline) does with input the database cannot take: refuse it on
    the page instead of passing it on to fail there as a server error.

    Its changelist refuses such filters (``GuardedChangeList``); an autocomplete's search term
    holding a NUL finds nothing (the changelist's own search form refuses a NUL, the
    autocomplete does not); an autocomplete field re-renders only submitted values that can
    name a row (``RowIdAutocompleteSelect``).
    """

    def get_changelist(self, request, **kwargs):
        return GuardedChangeList

    def get_search_results(self, request, queryset, search_term):
        if NUL in search_term:
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = RowIdAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class EditorsOnly:
    """The admin is the staff editors' tool: a staff user without the editor role (a reviewer,
    a viewer, anyone given model permissions by hand) gets none of its pages, whatever model
    permissions they hold; they work on the desk. Superusers are editors. For model admins."""

    def has_module_permission(self, request):
        return is_editor(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_editor(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return is_editor(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return is_editor(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_editor(request.user) and super().has_delete_permission(request, obj)


class ReadOnlyForEditors:
    """A list the desk writes by itself (notifications, background tasks): every editor reads
    it, with no model permission of its own to grant, and nobody adds, changes or deletes."""

    def has_module_permission(self, request):
        return is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return is_editor(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LargeListAdmin(EditorsOnly, GuardedInput, admin.ModelAdmin):
    """Changelist settings for tables of 100,000s of rows: one count per page, at most.

    ``show_full_result_count`` off drops the second, unfiltered count; facet counts (a count per
    filter choice) are never offered. ``known_count`` may answer the one count left.
    """

    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 100

    def known_count(self, request) -> int | None:
        """The number of rows this changelist request shows, when known without counting."""
        return None

    def response_action(self, request, queryset):
        """Refuse a selection that names no row id before the stock action code reads it: it
        would filter by it as given and fail on ``abc`` or a number past 64 bits."""
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(is_row_id(value) for value in selected):
            self.message_user(
                request,
                _("The selection names rows this list does not have: nothing was done."),
                messages.ERROR,
            )
            return None  # the changelist shows the message on a fresh page
        return super().response_action(request, queryset)

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return DeferredJoinPaginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            count=self.known_count(request),
        )


def list_narrowing(request) -> dict[str, list[str]]:
    """The query parameters that narrow a changelist: its filters and a non-blank search."""
    narrowing = {name: values for name, values in request.GET.lists() if name not in _NOT_FILTERS}
    if not "".join(narrowing.get(SEARCH_VAR, [])).strip():
        narrowing.pop(SEARCH_VAR, None)
    return narrowing


def person(model, field_name: str):
    """A column or read-only field for the person in ``field_name``, named as the desk names
    people (``selectors.people.display_name``), not by user name; empty once the account is gone."""
    field = model._meta.get_field(field_name)

    @admin.display(description=field.verbose_name)
    def show(modeladmin, obj):
        user = getattr(obj, field_name)
        return None if user is None else display_name(user)

    return show


class ClaimTextSearchMixin:
    """Search a claim's children by their claim's text on its full-text index, or by their
    own ``search_fields``: ``claim__text`` as a search field would be LIKE over every claim."""

    def get_search_results(self, request, queryset, search_term):
        by_fields, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return by_fields, may_have_duplicates
        by_claim = queryset.filter(claim_id__in=search_claims(Claim.objects.all(), search_term))
        return by_fields | by_claim, may_have_duplicates


class ReviewerFilter(admin.SimpleListFilter):
    """A filter choice per user who may review: a short list, not every user on file."""

    title = gettext_lazy("reviewer")
    parameter_name = "reviewer"

    def lookups(self, request, model_admin):
        field = ReviewerChoiceField(queryset=reviewer_candidates(), with_username=True)
        return [(str(user.pk), field.label_from_instance(user)) for user in field.queryset]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not is_row_id(value):
            return queryset.none()
        return self.for_reviewer(queryset, int(value))

    def for_reviewer(self, queryset, reviewer_id: int):
        raise NotImplementedError


class OpenReviewFilter(ReviewerFilter):
    """Claims with an open assignment to the chosen reviewer."""

    title = gettext_lazy("open review by")

    def for_reviewer(self, queryset, reviewer_id):
        open_reviews = Assignment.objects.filter(
            reviewer_id=reviewer_id, status=AssignmentStatus.OPEN
        )
        return queryset.filter(pk__in=open_reviews.values("claim_id"))


class AssignedReviewerFilter(ReviewerFilter):
    def for_reviewer(self, queryset, reviewer_id):
        return queryset.filter(reviewer_id=reviewer_id)


class ServiceAdmin(LargeListAdmin):
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

    def version_seen(self, request, obj) -> tuple[str, ...]:
        """The hidden input carrying the version the page showed, for a change form the user
        may save: a field left out of the fields shown is never rendered, and the service
        would refuse every save as not saying which version was seen."""
        if obj is not None and self.has_change_permission(request, obj):
            return ("expected_version",)
        return ()

    def save_model(self, request, obj, form, change):
        """The form's service call saved the object while the form was validated."""

    def save_related(self, request, form, formsets, change):
        """The service saved related rows (appearances) in the same call."""

    def construct_change_message(self, request, form, formsets, add=False):
        # Inline formsets were never saved, so they have no record of what they added.
        return super().construct_change_message(request, form, [], add)

    def has_delete_permission(self, request, obj=None):
        return False
