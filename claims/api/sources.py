"""Sources: the documents claims appear in. A source has a version of its own, so an edit
takes the source's ETag in ``If-Match`` as a claim's edit takes the claim's."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from claims import services
from claims.models import Source
from claims.permissions import Action, require

from .base import NoStoreMixin
from .concurrency import IF_MATCH_SYNTAX, expected_source_version, source_etag
from .inputs import Text, required_text
from .pagination import KeysetCursorPagination
from .representations import SourceSerializer
from .schema import IF_MATCH_HEADER

SOURCE_IF_MATCH = OpenApiParameter(
    IF_MATCH_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    pattern=IF_MATCH_SYNTAX,
    description='The source\'s `ETag` as last read (`"source-<id>-v<version>"`).',
)


def _with_source_etag(response, source: Source):
    response["ETag"] = source_etag(source)
    return response


class SourceInputSerializer(serializers.Serializer):
    title = required_text(max_length=Source._meta.get_field("title").max_length)
    url = Text(
        required=False, allow_blank=True, max_length=Source._meta.get_field("url").max_length
    )
    outlet = Text(
        required=False, allow_blank=True, max_length=Source._meta.get_field("outlet").max_length
    )
    author = Text(
        required=False, allow_blank=True, max_length=Source._meta.get_field("author").max_length
    )
    published_on = serializers.DateField(required=False, allow_null=True)
    text = Text(required=False, allow_blank=True, trim_whitespace=False, max_length=1_000_000)


@extend_schema(tags=["sources"])
class SourceViewSet(NoStoreMixin, viewsets.GenericViewSet):
    """Documents claims appear in, the most recently recorded first."""

    queryset = Source.objects.all()
    lookup_value_regex = "[0-9]+"
    serializer_class = SourceSerializer
    pagination_class = KeysetCursorPagination

    def get_ordering(self, request) -> tuple[str, ...]:
        return ("-created_at", "-id")

    @extend_schema(summary="The sources on file")
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SourceSerializer(page, many=True).data)

    @extend_schema(summary="A source")
    def retrieve(self, request, pk=None):
        source = get_object_or_404(Source, pk=pk)
        return _with_source_etag(Response(SourceSerializer(source).data), source)

    @extend_schema(
        summary="Record a source", request=SourceInputSerializer, responses={201: SourceSerializer}
    )
    def create(self, request):
        require(request.user, Action.MANAGE_SOURCES)
        serializer = SourceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        source = services.source_create(actor=request.user, **serializer.validated_data)
        response = Response(SourceSerializer(source).data, status=status.HTTP_201_CREATED)
        response["Location"] = reverse("api-source-detail", args=[source.pk])
        return _with_source_etag(response, source)

    @extend_schema(
        summary="Correct a source (every claim citing it records the change)",
        request=SourceInputSerializer,
        responses={200: SourceSerializer},
        parameters=[SOURCE_IF_MATCH],
    )
    def partial_update(self, request, pk=None):
        source = get_object_or_404(Source, pk=pk)
        require(request.user, Action.MANAGE_SOURCES)
        serializer = SourceInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        version = expected_source_version(request, source)
        source = services.source_update(
            actor=request.user, source=source, expected_version=version, **serializer.validated_data
        )
        return _with_source_etag(Response(SourceSerializer(source).data), source)
