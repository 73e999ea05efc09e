"""Cursor pagination that pages by the whole sort key, so a page never repeats or skips a row.

DRF's ``CursorPagination`` keeps only the first ordering field in its cursor and steps over
rows that share it with an offset, capped at 1000: sorted by state (five values over 100,000
claims) or by a claimant with a thousand claims, its pages would start to repeat. Here the
cursor holds every field of the ordering, which ends with the row's id, so each position is
unique, the offset is always 0, and the next page is a keyset comparison on an index. The
cursor's links, reversal and encoding are DRF's own.

A nullable field's empty values come after the others in either direction, as the queue sorts
claims with no due date last: ``NULLS LAST`` going forward, ``NULLS FIRST`` when a previous page
walks the order backwards, and a keyset comparison that knows where the nulls are.
"""

import json

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination, _reverse_ordering

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


class KeysetCursorPagination(CursorPagination):
    """Pages of ``page_size`` (``?page_size=``, at most MAX_PAGE_SIZE) in the order the view's
    ``get_ordering(request)`` names: field names, each optionally with "-", the last unique.
    A cursor DRF cannot read is a 404, as DRF answers; one that reads but names no place in
    this order is a 400 naming the cursor."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("id",)
    invalid_cursor_message = _("This cursor is not one this list gave out: start again without it.")

    def get_ordering(self, request, queryset, view):
        ordering = getattr(view, "get_ordering", None)
        return tuple(ordering(request)) if ordering is not None else tuple(self.ordering)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(
                    {"minimum": 1, "maximum": self.max_page_size, "default": self.page_size}
                )
        return parameters

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("A whole number from 1 to %(most)s.") % {"most": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.ordering = self.get_ordering(request, queryset, view)
        self.cursor = self.decode_cursor(request)
        offset, reverse, position = self.cursor or (0, False, None)
        ordering = _reverse_ordering(self.ordering) if reverse else self.ordering
        # Forward, the nulls come last; walking back, first.
        fields = {name.lstrip("-") for name in self.ordering}
        nullable = {name for name in fields if _field(queryset, name).null}
        queryset = queryset.order_by(*_order_by(ordering, nullable, nulls_last=not reverse))
        if position is not None:
            values = self._position_values(queryset, position)
            queryset = queryset.filter(_after(ordering, values, nullable, nulls_last=not reverse))
        results = list(queryset[offset : offset + self.page_size + 1])
        self.page = results[: self.page_size]
        following = (
            self._get_position_from_instance(results[-1], self.ordering)
            if len(results) > len(self.page)
            else None
        )
        started = position is not None or offset > 0
        if reverse:
            self.page.reverse()
            self.has_next, self.has_previous = started, following is not None
            self.next_position, self.previous_position = position, following
        else:
            self.has_next, self.has_previous = following is not None, started
            self.next_position, self.previous_position = following, position
        self.display_page_controls = self.has_previous or self.has_next
        return self.page

    def _get_position_from_instance(self, instance, ordering):
        values = [_value_of(instance, field.lstrip("-")) for field in ordering]
        return json.dumps(
            [value.isoformat() if hasattr(value, "isoformat") else value for value in values]
        )

    def _position_values(self, queryset, position: str) -> list:
        """The cursor's values, each as its field's Python value; a bad one is a 400."""
        refused = exceptions.ValidationError(
            {self.cursor_query_param: [self.invalid_cursor_message]}
        )
        try:
            values = json.loads(position)
        except ValueError:
            raise refused from None
        if not isinstance(values, list) or len(values) != len(self.ordering):
            raise refused
        try:
            return [
                _field(queryset, name.lstrip("-")).to_python(value)
                for name, value in zip(self.ordering, values, strict=True)
            ]
        except (ValidationError, TypeError, ValueError):
            raise refused from None


def _value_of(instance, name: str):
    return instance[name] if isinstance(instance, dict) else getattr(instance, name)


def _field(queryset, name: str):
    annotation = queryset.query.annotations.get(name)
    if annotation is not None:
        return annotation.output_field
    try:
        return queryset.model._meta.get_field(name)
    except FieldDoesNotExist:
        raise ValueError(name) from None


def _order_by(ordering: tuple[str, ...], nullable: set[str], *, nulls_last: bool) -> list:
    """``ordering`` for ``order_by``: plain names where no nulls can be (so the SQL matches the
    indexes as they are), and the nullable fields with their nulls placed."""
    placed = []
    for name in ordering:
        if name.lstrip("-") not in nullable:
            placed.append(name)
            continue
        field = F(name.lstrip("-"))
        direction = field.desc if name.startswith("-") else field.asc
        placed.append(direction(nulls_last=True) if nulls_last else direction(nulls_first=True))
    return placed


def _after(ordering: tuple[str, ...], values: list, nullable: set, *, nulls_last: bool) -> Q:
    """The rows that come after ``values`` in ``ordering``: the first field past its value, or
    equal to it and the rest after theirs, and so on (a keyset comparison of mixed direction).
    A nullable field's nulls are past every value when they come last, before every value when
    they come first."""
    condition = Q()
    equal = Q()
    for name, value in zip(ordering, values, strict=True):
        field = name.lstrip("-")
        has_nulls = field in nullable
        if value is None:
            if has_nulls and not nulls_last:
                condition |= equal & Q(**{f"{field}__isnull": False})
            equal &= Q(**{f"{field}__isnull": True})
            continue
        beyond = Q(**{f"{field}__{'lt' if name.startswith('-') else 'gt'}": value})
        if has_nulls and nulls_last:
            beyond |= Q(**{f"{field}__isnull": True})
        condition |= equal & beyond
        equal &= Q(**{field: value})
    first, value = ordering[0].lstrip("-"), values[0]
    if first not in nullable:
        # Implied by the rest, but an index is read from the cursor's place only for a bound
        # on its leading column: without it PostgreSQL walks the index from its start.
        condition &= Q(**{f"{first}__{'lte' if ordering[0].startswith('-') else 'gte'}": value})
    return condition
