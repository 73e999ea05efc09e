"""What the OpenAPI schema says of every operation besides its own body: the problems it may
answer (``application/problem+json``) and, for a write that rests on a version, ``If-Match``.

Every view gets the problems from ``ProblemAutoSchema`` (the project's schema class), so no
operation can forget one; a view declares ``If-Match`` with ``IF_MATCH`` in its ``extend_schema``
and then gets 412 and 428 documented with it.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from .concurrency import IF_MATCH_SYNTAX
from .problems import PROBLEM_TYPE, TITLES

IF_MATCH_HEADER = "If-Match"

IF_MATCH = OpenApiParameter(
    IF_MATCH_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    pattern=IF_MATCH_SYNTAX,
    description=(
        'The claim\'s `ETag` as last read (`"claim-<id>-v<version>"`). Missing: 428; a version '
        "the claim has moved on from in a way this write rests on: 412."
    ),
)

ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=True,
    description="The claim's version after this request; send it back in `If-Match`.",
)


class ProblemSerializer(serializers.Serializer):
    """An error, as RFC 9457 writes one (``claims.api.problems``)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For invalid input: the messages by field (nested fields joined by dots).",
    )
    current_version = serializers.IntegerField(
        required=False, help_text="On 412 from a conflict: the claim's version now."
    )
    conflicting_fields = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="On 412 from an edit: the fields someone else changed meanwhile, differently.",
    )
    retry_after = serializers.IntegerField(
        required=False, help_text="On 429: seconds to wait, as the Retry-After header says."
    )

    class Meta:
        ref_name = "Problem"


# Every operation: the caller may lack credentials, a role or calls left.
_ALWAYS = (401, 403, 429)


class ProblemAutoSchema(AutoSchema):
    """drf-spectacular's schema, with each operation's possible problems added, and a read's
    query parameters allowed empty: the queue's filter form sends its empty fields, and an
    empty one applies no filter."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None and self.method == "GET":
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    parameter["allowEmptyValue"] = True
        return operation

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for status in self._problem_statuses():
            key = str(status)
            if key not in responses:
                responses[key] = self._get_response_for_code(
                    ProblemSerializer, key, [PROBLEM_TYPE], direction
                )
                responses[key]["description"] = str(TITLES.get(status, "Error"))
        return responses

    def _problem_statuses(self) -> list[int]:
        statuses = list(_ALWAYS)
        # Bad query parameters and bodies are 400; a path naming nothing, or a list's cursor
        # naming no place in it, is 404.
        statuses += [400, 404]
        if self.method in ("POST", "PUT", "PATCH"):
            statuses += [413, 415]
        if any(
            isinstance(p, OpenApiParameter) and p.name == IF_MATCH_HEADER
            for p in self.get_override_parameters()
        ):
            statuses += [412, 428]
        elif self.method in ("POST", "PUT", "PATCH"):
            # A service's conflict with what changed meanwhile (a source's version).
            statuses.append(412)
        return statuses
