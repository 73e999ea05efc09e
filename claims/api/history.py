"""What the desk has recorded and published: a claim's audit events, the exports of the queue,
and the ClaimReview feed of published verdicts for partners and aggregators."""

from django.db.models import Prefetch
from django.db.models.functions import Coalesce
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.views import APIView

from claims.audit.sentences import describe
from claims.interchange import exports
from claims.interchange.exports import claimreview, reader
from claims.interchange.exports.html import allow_report_assets
from claims.models import Assignment, AuditEvent, Claim, Proposal
from claims.selectors.claim_page import events_hidden_from
from claims.selectors.filters import SORTS
from claims.signoff.selectors import published_claims

from .base import NoStoreMixin
from .claims import FILTER_PARAMETERS, ApiClaimFilter, ClaimFilterBackend
from .concurrency import with_etag
from .pagination import KeysetCursorPagination
from .schema import ETAG_HEADER
from .workflow import ClaimPartViewSet


def given(params) -> dict:
    """The query parameters with a value: an empty one asks for nothing, as in the queue."""
    return {name: value for name, value in params.items() if value != ""}


# Audit events -----------------------------------------------------------------------------------


class AuditEventSerializer(serializers.Serializer):
    """One link of the claim's chain: ``hash`` covers the event and ``previous_hash``."""

    id = serializers.IntegerField(read_only=True)
    claim = serializers.IntegerField(source="claim_id", read_only=True)
    sequence = serializers.IntegerField(read_only=True)
    action = serializers.CharField(read_only=True)
    actor = serializers.IntegerField(source="actor_id", read_only=True, allow_null=True)
    actor_name = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    data = serializers.JSONField(read_only=True)
    hash = serializers.CharField(read_only=True)
    previous_hash = serializers.CharField(read_only=True)
    sentence = serializers.SerializerMethodField()

    def get_sentence(self, event) -> str:
        """The event in words, as the claim's history shows it."""
        return describe(event)


@extend_schema(tags=["history"], parameters=[ETAG_HEADER])
class AuditEventViewSet(ClaimPartViewSet):
    """The claim's audit events in the chain's order. A reviewer judging an independent
    review blind does not get their colleagues' judgements and comments, as the claim's
    history leaves them out; a page then holds fewer events, its cursor still right."""

    serializer_class = AuditEventSerializer
    queryset = AuditEvent.objects.all()
    pagination_class = KeysetCursorPagination

    def get_ordering(self, request) -> tuple[str, ...]:
        return ("sequence",)

    @extend_schema(summary="The claim's audit events, oldest first")
    def list(self, request, claim_id=None):
        claim = Claim.objects.prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.all()),
            Prefetch("proposals", queryset=Proposal.objects.all()),
        ).get(pk=self.claim.pk)
        events = self.paginate_queryset(AuditEvent.objects.filter(claim_id=claim.pk))
        hidden = events_hidden_from(request.user, claim)
        if hidden is not None:
            events = [event for event in events if not hidden(event)]
        response = self.get_paginated_response(AuditEventSerializer(events, many=True).data)
        return with_etag(response, claim)


# Exports ----------------------------------------------------------------------------------------


class ExportRenderer(BaseRenderer):
    """Lets a client ask for an export's own type (``Accept: text/csv``): the view answers with
    the stream itself, so this never renders anything."""

    media_type = "*/*"
    format = "export"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class ExportQuerySerializer(serializers.Serializer):
    corrected_since = serializers.DateField(
        required=False, help_text="Only claims with a correction published on this day or later."
    )
    sort = serializers.ChoiceField(
        choices=list(SORTS), required=False, help_text="As the queue sorts; by id without one."
    )


_EXPORT_TYPES = {
    "csv": OpenApiTypes.STR,
    "json": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
    "claimreview": {"type": "object", "additionalProperties": True},
    "html": OpenApiTypes.STR,
}


@extend_schema(tags=["history"])
@method_decorator(allow_report_assets, name="dispatch")  # the printable report
class ExportView(NoStoreMixin, APIView):
    """The claims the queue's filters select, streamed in one of the export formats, as the
    queue's download buttons give them to the reader (blind review's hiding included)."""

    renderer_classes = [JSONRenderer, ExportRenderer]
    # For the schema's parameters: the queue's filters, the same as the claim list's.
    filter_backends = [ClaimFilterBackend]
    filterset_class = ApiClaimFilter
    queryset = Claim.objects.all()

    @extend_schema(
        summary="Download the queue's claims in a format",
        operation_id="exports_retrieve",
        parameters=[
            OpenApiParameter(
                "export_format", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(exports.FORMATS)
            ),
            ExportQuerySerializer,
            *FILTER_PARAMETERS,
        ],
        responses={
            (200, exports.FORMATS[name].CONTENT_TYPE.split(";")[0]): OpenApiResponse(
                schema, description=f"The {name} export"
            )
            for name, schema in _EXPORT_TYPES.items()
        },
    )
    def get(self, request, export_format):
        if export_format not in exports.FORMATS:
            raise exceptions.NotFound(_("No such export format."))
        query = ExportQuerySerializer(data=given(request.query_params))
        query.is_valid(raise_exception=True)
        back_url = reverse("claims:list")
        if request.GET:
            back_url += "?" + request.GET.urlencode()
        _total, chunks = exports.export(
            export_format,
            request.GET,
            user=request.user,
            strict=True,  # a refused filter is a 400, not left out as the page leaves it
            back_url=back_url,
            corrected_since=query.validated_data.get("corrected_since"),
            filterset=ApiClaimFilter(request.GET, user=request.user, queryset=Claim.objects.all()),
        )
        module = exports.FORMATS[export_format]
        response = StreamingHttpResponse(chunks, content_type=module.CONTENT_TYPE)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=export_format != "html", filename=f"verdicts-{stamp}.{module.EXTENSION}"
        )
        return response


# The ClaimReview feed ---------------------------------------------------------------------------


class FeedQuerySerializer(serializers.Serializer):
    since = serializers.DateTimeField(
        required=False,
        help_text="Only verdicts published or corrected at this time or later (ISO 8601).",
    )


class FeedPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = serializers.ListField(
        child=serializers.DictField(),
        help_text="schema.org ClaimReview objects, oldest change first.",
    )


@extend_schema(tags=["history"])
class ClaimReviewFeedViewSet(NoStoreMixin, viewsets.GenericViewSet):
    """The desk's published verdicts as schema.org ClaimReview, each as the ClaimReview export
    writes it, in the order they were last published or corrected: a partner polls with
    ``since`` (or follows ``next``) and gets each change once."""

    pagination_class = KeysetCursorPagination
    queryset = Claim.objects.all()

    def get_ordering(self, request) -> tuple[str, ...]:
        return ("changed_publicly_at", "id")

    @extend_schema(
        summary="Published verdicts as schema.org ClaimReview",
        parameters=[FeedQuerySerializer],
        responses={200: FeedPageSerializer},
    )
    def list(self, request):
        query = FeedQuerySerializer(data=given(request.query_params))
        query.is_valid(raise_exception=True)
        claims = published_claims(Claim.objects.all()).annotate(
            changed_publicly_at=Coalesce("corrected_at", "published_at")
        )
        since = query.validated_data.get("since")
        if since is not None:
            claims = claims.filter(changed_publicly_at__gte=since)
        page = self.paginate_queryset(claims.only("id", "published_at", "corrected_at"))
        selection = reader.ExportSelection([claim.pk for claim in page])
        author, names = claimreview.organization(), claimreview.rating_names()
        reviews = [
            {"@context": "https://schema.org", **review}
            for record in reader.iter_claims(selection, include=claimreview.INCLUDE)
            if (review := claimreview.claim_review(record, author, names)) is not None
        ]
        return self.get_paginated_response(reviews)
