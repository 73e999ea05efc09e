"""Claims: the queue as a list (the queue's own filters, search and sorts, paged by cursor), a
claim with everything its page shows the reader, and creating and editing claims."""

import django_filters
from django.db import connection
from django.http import HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response

from claims import services
from claims.models import Claim, Source, is_row_id
from claims.permissions import (
    Action,
    available_actions,
    judgements_hidden,
    require,
)
from claims.search import IN_ORDER_MATCHES, count_matches, search_claims
from claims.selectors.claim_page import claim_detail, claim_signoff
from claims.selectors.comments import visible_comments
from claims.selectors.filters import (
    ASSIGNED,
    ME,
    SORTS,
    UNASSIGNED,
    WAITING,
    WAITING_SORT,
    ClaimFilter,
)
from claims.selectors.queue import open_assignments_prefetch
from claims.services.conflicts import fields_as_of

from .base import NoStoreMixin
from .concurrency import claim_etag, expected_version, with_etag
from .inputs import LONG_TEXT, Text, optional_text, required_text
from .pagination import KeysetCursorPagination
from .representations import ClaimDetailSerializer, ClaimSummarySerializer
from .schema import ETAG_HEADER, IF_MATCH


def _names(ordering) -> tuple[str, ...]:
    """A queue sort as field names ("-" for descending), as the cursor pages them; the
    pagination places a nullable field's nulls last, as the queue's own sorts do."""
    names = []
    for part in ordering:
        if isinstance(part, str):
            names.append(part)
        else:
            names.append(("-" if part.descending else "") + part.expression.name)
    return tuple(names)


API_SORTS = {key: _names(ordering) for key, ordering in SORTS.items()}
DEFAULT_SORT = "updated"


def claim_ordering(params) -> tuple[str, ...]:
    """The order ``sort`` asks for, as the queue orders it; the waiting tab defaults to its
    own, longest waiting first (elsewhere that sort puts the waiting claims first, the rest
    after them). An unknown sort is a 400, where the queue page quietly falls back."""
    waiting = params.get("signoff") == WAITING
    sort = params.get("sort") or (WAITING_SORT if waiting else DEFAULT_SORT)
    if sort not in API_SORTS:
        offered = ", ".join(API_SORTS)
        raise exceptions.ValidationError(
            {"sort": [_("Sort by one of: %(sorts)s.") % {"sorts": offered}]}
        )
    return API_SORTS[sort]


class ApiClaimFilter(ClaimFilter):
    """The queue's filters, taking a source or a reviewer by any row id: the page's selects
    offer only those on file, but a script may name one that is not, or no longer, there;
    no claim then appears in that source or with that reviewer. ``overdue`` is ``true`` or
    ``false``, where the page's checkbox takes any value as ticked."""

    overdue = django_filters.TypedChoiceFilter(
        label=gettext_lazy("Overdue only"),
        choices=(("true", "true"), ("false", "false")),
        coerce=lambda value: value == "true",
        method="filter_overdue",
    )

    @extend_schema_field(OpenApiTypes.BOOL)  # the schema cannot read the type off a method
    def filter_overdue(self, queryset, name, value):
        return super().filter_overdue(queryset, name, value)

    def filter_search(self, queryset, name, value):
        """As the queue searches; on SQLite a search matching many claims walks the sort's
        index and keeps the matches (``claims.search``), which also starts a cursor's page at
        its keyset rather than sorting every match to find it."""
        in_order = connection.vendor == "sqlite" and count_matches(value) >= IN_ORDER_MATCHES
        return search_claims(queryset, value, in_order=in_order)

    def _offer_choices(self) -> None:
        """Any row id is accepted, so the sources and reviewers on file need not be read: the
        only options are the ones the request names (a list has no select to fill)."""
        self.reviewers = []
        data = self.data or {}

        def named(name: str) -> list[tuple[str, str]]:
            value = data.get(name) or ""
            return [(value, value)] if is_row_id(value) else []

        sources = named("source")
        people = [(ME, ME), (UNASSIGNED, UNASSIGNED), (ASSIGNED, ASSIGNED), *named("reviewer")]
        self.filters["source"].extra["choices"] = lambda: sources
        self.filters["reviewer"].extra["choices"] = lambda: people


class ClaimFilterBackend(DjangoFilterBackend):
    """The queue's ``ClaimFilter``, asked as the queue asks it (``reviewer=me`` is the caller);
    a value it refuses is a 400 naming the field, not left out as the page leaves it."""

    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "user": request.user}


def claim_for_reader(pk, user) -> Claim:
    """The claim with what its page shows ``user``: its sign-off as they may see it, the
    comments they may read, the actions they may take. A reviewer judging an independent
    review blind reads neither a colleague's returned proposal nor a colleague's note on
    finishing their review, as the claim's history leaves those out for them."""
    try:
        claim = claim_detail(pk)
    except Claim.DoesNotExist:
        raise exceptions.NotFound(_("There is no claim with this number.")) from None
    signoff = claim_signoff(claim, user)
    hidden = judgements_hidden(user, claim)
    if hidden and signoff.returned is not None and signoff.returned.proposed_by_id != user.pk:
        signoff.returned = None
    claim.signoff = signoff
    claim.judgements_hidden = hidden
    claim.visible_comments = visible_comments(claim, user)
    claim.actions = sorted(available_actions(user, claim))
    return claim


def claim_response(request, claim: Claim, *, status_code=status.HTTP_200_OK) -> Response:
    """The claim as ``request``'s user may see it, read again, with its ETag."""
    claim = claim_for_reader(claim.pk, request.user)
    context = {"request": request}
    if claim.judgements_hidden:
        context["judgements_hidden_from"] = request.user.pk
    response = Response(ClaimDetailSerializer(claim, context=context).data, status=status_code)
    return with_etag(response, claim)


class AppearanceInputSerializer(serializers.Serializer):
    """Where the claim appeared: a source on file and the passage quoted from it."""

    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all())
    quote = Text(allow_blank=True, max_length=LONG_TEXT)


def appearance_inputs(values: list[dict] | None) -> list[services.AppearanceInput] | None:
    if values is None:
        return None
    return [services.AppearanceInput(value["source"], value["quote"]) for value in values]


class ClaimCreateSerializer(serializers.Serializer):
    """A new claim: what was said, by whom, when, and where it appeared (sources on file)."""

    text = required_text()
    claimant = required_text(max_length=Claim._meta.get_field("claimant").max_length)
    claimed_on = serializers.DateField(required=False, allow_null=True, default=None)
    appearances = AppearanceInputSerializer(many=True, allow_empty=False, max_length=100)

    def validated_values(self) -> dict:
        values = dict(self.validated_data)
        values["appearances"] = appearance_inputs(values["appearances"])
        return values


class ClaimUpdateSerializer(ClaimCreateSerializer):
    """An edit. With PATCH what is left out stays as it is; ``reason`` is needed once the
    claim has a verdict (its readers must see why its words moved)."""

    appearances = AppearanceInputSerializer(
        many=True, allow_empty=False, max_length=100, required=False
    )
    reason = optional_text()


# The queue's filters as the schema gives them, where django-filter's own description says
# less than the filter takes: the values that name a row or a person.
FILTER_PARAMETERS = [
    OpenApiParameter(
        "source",
        OpenApiTypes.STR,
        pattern=r"^[0-9]{1,18}$",
        description="Claims that appeared in this source (its id).",
    ),
    OpenApiParameter(
        "reviewer",
        OpenApiTypes.STR,
        pattern=rf"^({ME}|{UNASSIGNED}|{ASSIGNED}|[0-9]{{1,18}})$",
        description=(
            f"Claims with an open review by this reviewer (an id, or `{ME}`), by anyone "
            f"(`{ASSIGNED}`) or by no one (`{UNASSIGNED}`)."
        ),
    ),
]

_LIST_PARAMETERS = [
    *FILTER_PARAMETERS,
    OpenApiParameter(
        "sort",
        OpenApiTypes.STR,
        enum=list(API_SORTS),
        description=(
            "The queue's sorts: `updated` is newest change first, `-updated` the reverse, and "
            "so on; `due` soonest due first, claims with no open review last either way; "
            "`waiting` longest waiting for sign-off first (the default with `signoff=waiting`)."
        ),
    ),
]


# What a listed claim shows (ClaimSummarySerializer): the rest of the row stays in the table.
LISTED_FIELDS = (
    "id",
    "version",
    "text",
    "claimant",
    "claimed_on",
    "state",
    "supporting_count",
    "contradicting_count",
    "next_due_on",
    "signoff_waiting_since",
    "created_at",
    "updated_at",
)


@extend_schema(tags=["claims"])
class ClaimViewSet(NoStoreMixin, viewsets.GenericViewSet):
    """The desk's claims."""

    queryset = Claim.objects.all()
    lookup_value_regex = "[0-9]+"
    filter_backends = [ClaimFilterBackend]
    filterset_class = ApiClaimFilter
    pagination_class = KeysetCursorPagination
    serializer_class = ClaimSummarySerializer

    def get_queryset(self):
        return Claim.objects.only(*LISTED_FIELDS).prefetch_related(open_assignments_prefetch())

    def get_ordering(self, request) -> tuple[str, ...]:
        return claim_ordering(request.query_params)

    @extend_schema(parameters=_LIST_PARAMETERS, summary="The claim queue")
    def list(self, request):
        self.get_ordering(request)  # an unknown sort is refused before any query
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ClaimSummarySerializer(page, many=True).data)

    @extend_schema(
        summary="A claim with everything its page shows you",
        responses={
            200: OpenApiResponse(ClaimDetailSerializer),
            304: OpenApiResponse(description="Not modified: If-None-Match names this version."),
        },
        parameters=[ETAG_HEADER],
    )
    def retrieve(self, request, pk=None):
        claim = get_object_or_404(Claim.objects.only("id", "version"), pk=pk)
        if _matches(request.headers.get("If-None-Match", ""), claim_etag(claim)):
            response = HttpResponseNotModified()
            return with_etag(response, claim)
        return claim_response(request, claim)

    @extend_schema(
        summary="Open a claim for review",
        request=ClaimCreateSerializer,
        responses={201: ClaimDetailSerializer},
        parameters=[ETAG_HEADER],
    )
    def create(self, request):
        require(request.user, Action.CREATE_CLAIM)
        serializer = ClaimCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_create(actor=request.user, **serializer.validated_values())
        response = claim_response(request, claim, status_code=status.HTTP_201_CREATED)
        response["Location"] = reverse("api-claim-detail", args=[claim.pk])
        return response

    @extend_schema(
        summary="Edit what the claim says, who said it, when and where (all of it)",
        request=ClaimUpdateSerializer,
        responses={200: ClaimDetailSerializer},
        parameters=[IF_MATCH, ETAG_HEADER],
    )
    def update(self, request, pk=None):
        return self._edit(request, pk, partial=False)

    @extend_schema(
        summary="Edit what the claim says, who said it, when and where",
        request=ClaimUpdateSerializer,
        responses={200: ClaimDetailSerializer},
        parameters=[IF_MATCH, ETAG_HEADER],
    )
    def partial_update(self, request, pk=None):
        return self._edit(request, pk, partial=True)

    def _edit(self, request, pk, *, partial: bool):
        """Write the fields the request sends over what others changed since the version its
        ``If-Match`` names, as the desk's edit form merges: only a field someone else changed
        meanwhile, to something else, is a 412 that names it."""
        claim = get_object_or_404(Claim, pk=pk)
        require(request.user, Action.EDIT_CLAIM, claim)
        serializer = ClaimUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        version = expected_version(request, claim)
        seen = fields_as_of(claim, version)
        values = {**seen, **serializer.validated_data}
        services.claim_update(
            actor=request.user,
            claim=claim,
            expected_version=version,
            text=values["text"],
            claimant=values["claimant"],
            claimed_on=values["claimed_on"],
            appearances=appearance_inputs(values.get("appearances")),  # None: left as they are
            seen=seen,
            reason=values.get("reason", ""),
        )
        return claim_response(request, claim)


def _matches(if_none_match: str, etag: str) -> bool:
    tags = {tag.strip() for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags or f"W/{etag}" in tags
