"""Every API error as ``application/problem+json`` (RFC 9457): a title, the status, a detail in
words and, for bad input, ``errors`` by field. Hand-written: DRF answers errors in its own shape
and the problem-details packages for it are unmaintained; this is one function over DRF's own
exception handler.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.views import exception_handler as drf_exception_handler

from claims.services.conflicts import EditConflict

PROBLEM_TYPE = "application/problem+json"
NON_FIELD = "non_field_errors"


class ProblemRenderer(JSONRenderer):
    """Lets a view answer ``application/problem+json`` whatever the client accepts."""

    media_type = PROBLEM_TYPE


class PreconditionFailed(exceptions.APIException):
    """412: the claim changed since the ETag sent in ``If-Match``."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The claim changed since you read it.")
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    """428: this write needs ``If-Match`` with the claim's ETag."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _("Send If-Match with the claim's ETag, as read from the claim.")
    default_code = "precondition_required"


class ContentTooLarge(exceptions.APIException):
    """413: the body is larger than the desk reads (``DATA_UPLOAD_MAX_MEMORY_SIZE``)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request's body is larger than this desk accepts.")
    default_code = "content_too_large"


TITLES = {
    400: _("Invalid input"),
    401: _("Not authenticated"),
    403: _("Not allowed"),
    404: _("Not found"),
    405: _("Method not allowed"),
    406: _("Not acceptable"),
    409: _("Conflict"),
    412: _("Precondition failed"),
    413: _("Content too large"),
    415: _("Unsupported media type"),
    428: _("Precondition required"),
    429: _("Too many requests"),
}


def problem(status_code: int, detail: str, *, errors: dict | None = None, **extra) -> dict:
    """The body of a problem response."""
    body = {
        "type": "about:blank",
        "title": str(TITLES.get(status_code, _("Error"))),
        "status": status_code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    return body


def _django_errors(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {
            (NON_FIELD if field == "__all__" else field): list(messages)
            for field, messages in error.message_dict.items()
        }
    return {NON_FIELD: list(error.messages)}


def _as_lists(detail) -> dict:
    """DRF's nested error detail as {field: [message, ...]} (nested fields joined by dots)."""
    if isinstance(detail, list):
        return {NON_FIELD: [str(item) for item in _flat(detail)]}
    found = {}
    for field, value in detail.items():
        if isinstance(value, dict):
            for inner, messages in _as_lists(value).items():
                found[f"{field}.{inner}"] = messages
        else:
            found[field] = [str(item) for item in _flat(value)]
    return found


def _flat(value):
    if isinstance(value, list | tuple):
        for item in value:
            yield from _flat(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _flat(item)
    else:
        yield value


def _first_message(errors: dict) -> str:
    for field, messages in errors.items():
        if messages:
            return messages[0] if field == NON_FIELD else f"{field}: {messages[0]}"
    return str(_("The input is not valid."))


def exception_handler(exc, context):
    """DRF's handler, with the services' errors mapped first and every answer a problem."""
    extra = {}
    if isinstance(exc, DjangoValidationError):
        errors = _django_errors(exc)
        exc = exceptions.ValidationError(errors)
    elif isinstance(exc, EditConflict):
        # The write rested on a version that is no longer current: say who changed what.
        extra["current_version"] = exc.current.version
        if getattr(exc, "fields", None):
            extra["conflicting_fields"] = list(exc.fields)
        exc = PreconditionFailed(str(exc) or PreconditionFailed.default_detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, RequestDataTooBig):
        exc = ContentTooLarge()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _as_lists(exc.detail)
        body = problem(response.status_code, _first_message(errors), errors=errors)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        if isinstance(detail, list | dict):
            detail = " ".join(str(item) for item in _flat(detail))
        body = problem(response.status_code, str(detail), **extra)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        body["retry_after"] = int(exc.wait) + (0 if float(exc.wait).is_integer() else 1)
    response.data = body
    request = context.get("request")
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is not None and renderer.format == "api":
        return response  # the browsable pages show the problem in their HTML
    if request is not None and (renderer is None or renderer.format != "json"):
        # The schema's YAML, a CSV export: an error is still a JSON problem.
        request.accepted_renderer, request.accepted_media_type = ProblemRenderer(), PROBLEM_TYPE
    response.content_type = PROBLEM_TYPE
    return response


@csrf_exempt  # a POST to nowhere is a 404 too, not the CSRF failure page's HTML 403
@login_not_required  # a token client gets the problem, not the login page's HTML
def not_found(request, *args, **kwargs):
    """Any address under /api/ that names nothing: a problem, not the desk's HTML 404."""
    return JsonResponse(
        problem(404, str(_("There is no API resource at this address."))),
        status=404,
        content_type=PROBLEM_TYPE,
    )
