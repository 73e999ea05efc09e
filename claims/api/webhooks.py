"""Webhook endpoints and their delivery logs, for editors, as the webhooks page offers them.

The writes are ``claims.webhooks.services``' (the address checked against ``claims.netguard``,
the event types against the list); a signing secret is in the answer that made it, creating the
endpoint or rotating its secret, and never again.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from claims.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEventType
from claims.permissions import Action, require
from claims.webhooks import selectors, services

from .base import NoStoreMixin
from .inputs import Text
from .pagination import KeysetCursorPagination
from .representations import person

URL_LENGTH = WebhookEndpoint._meta.get_field("url").max_length
DESCRIPTION_LENGTH = WebhookEndpoint._meta.get_field("description").max_length


class WebhookEndpointSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEventType.choices), read_only=True
    )
    active = serializers.BooleanField(source="is_active", read_only=True)
    owner = person()
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    disabled_at = serializers.DateTimeField(read_only=True, allow_null=True)
    disabled_reason = serializers.CharField(read_only=True)
    failing_since = serializers.DateTimeField(read_only=True, allow_null=True)
    last_status = serializers.ChoiceField(
        choices=DeliveryStatus.choices, read_only=True, allow_null=True, default=None
    )
    last_delivery_at = serializers.DateTimeField(read_only=True, allow_null=True, default=None)


class WebhookEndpointWithSecretSerializer(WebhookEndpointSerializer):
    """The endpoint as the write that gave it a secret answers: the only time it is shown."""

    secret = serializers.CharField(
        read_only=True,
        help_text="The signing secret (`whsec_…`), shown this once: keep it with the receiver.",
    )


class WebhookDeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    message_id = serializers.CharField(
        read_only=True, help_text="The `webhook-id` header, the same on every attempt."
    )
    event_type = serializers.ChoiceField(choices=WebhookEventType.choices, read_only=True)
    event = serializers.IntegerField(source="event_id", read_only=True)
    status = serializers.ChoiceField(choices=DeliveryStatus.choices, read_only=True)
    attempts = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    last_attempt_at = serializers.DateTimeField(read_only=True, allow_null=True)
    response_status = serializers.IntegerField(read_only=True, allow_null=True)
    response_excerpt = serializers.CharField(read_only=True)


class EndpointInputSerializer(serializers.Serializer):
    url = Text(max_length=URL_LENGTH)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEventType.choices),
        allow_empty=False,
        max_length=len(WebhookEventType.choices),
    )
    description = Text(required=False, allow_blank=True, max_length=DESCRIPTION_LENGTH, default="")


class EndpointChangeSerializer(EndpointInputSerializer):
    """What a PATCH changes; what it leaves out stays. ``active: true`` turns a disabled
    endpoint back on with a fresh day before it is disabled again."""

    url = Text(max_length=URL_LENGTH, required=False)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEventType.choices),
        allow_empty=False,
        max_length=len(WebhookEventType.choices),
        required=False,
    )
    description = Text(required=False, allow_blank=True, max_length=DESCRIPTION_LENGTH)
    active = serializers.BooleanField(required=False)


def _endpoint_or_404(pk) -> WebhookEndpoint:
    try:
        return selectors.webhook_endpoint(pk)
    except WebhookEndpoint.DoesNotExist:
        raise exceptions.NotFound(_("No webhook endpoint with this number.")) from None


def _with_secret(endpoint: WebhookEndpoint, secret: str) -> dict:
    endpoint = selectors.webhook_endpoint(endpoint.pk)
    endpoint.secret = secret
    return WebhookEndpointWithSecretSerializer(endpoint).data


class ManagerOnly:
    """Every webhook call, reads too, is for those who manage the desk's webhooks: the log
    shows what the desk sends where."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require(request.user, Action.MANAGE_WEBHOOKS)


@extend_schema(tags=["webhooks"])
class WebhookEndpointViewSet(ManagerOnly, NoStoreMixin, viewsets.GenericViewSet):
    """Addresses the desk's events are sent to, signed as Standard Webhooks says."""

    lookup_value_regex = "[0-9]+"
    serializer_class = WebhookEndpointSerializer
    pagination_class = KeysetCursorPagination

    def get_queryset(self):
        return selectors.webhook_endpoints()

    def get_ordering(self, request) -> tuple[str, ...]:
        return ("created_at", "id")

    @extend_schema(summary="The desk's webhook endpoints, oldest first")
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(WebhookEndpointSerializer(page, many=True).data)

    @extend_schema(
        summary="Register an endpoint; the answer holds its signing secret, once",
        request=EndpointInputSerializer,
        responses={201: WebhookEndpointWithSecretSerializer},
    )
    def create(self, request):
        serializer = EndpointInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint, secret = services.webhook_endpoint_create(
            request.user, **serializer.validated_data
        )
        response = Response(_with_secret(endpoint, secret), status=status.HTTP_201_CREATED)
        response["Location"] = f"{request.path}{endpoint.pk}/"
        return response

    @extend_schema(summary="An endpoint, with its last delivery")
    def retrieve(self, request, pk=None):
        return Response(WebhookEndpointSerializer(_endpoint_or_404(pk)).data)

    @extend_schema(
        summary="Change an endpoint's address, events or description, or turn it off or on",
        request=EndpointChangeSerializer,
        responses={200: WebhookEndpointSerializer},
    )
    def partial_update(self, request, pk=None):
        endpoint = _endpoint_or_404(pk)
        serializer = EndpointChangeSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        if "active" in values:
            values["is_active"] = values.pop("active")
        services.webhook_endpoint_update(request.user, endpoint, **values)
        return Response(WebhookEndpointSerializer(_endpoint_or_404(pk)).data)

    @extend_schema(summary="Remove an endpoint and its delivery log", responses={204: None})
    def destroy(self, request, pk=None):
        services.webhook_endpoint_delete(request.user, _endpoint_or_404(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Give the endpoint a new signing secret; the old one signs nothing more",
        request=None,
        responses={200: WebhookEndpointWithSecretSerializer},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        endpoint, secret = services.webhook_endpoint_rotate_secret(
            request.user, _endpoint_or_404(pk)
        )
        return Response(_with_secret(endpoint, secret))


@extend_schema(tags=["webhooks"])
class WebhookDeliveryViewSet(ManagerOnly, NoStoreMixin, viewsets.GenericViewSet):
    """An endpoint's delivery log, newest first: status, attempts, the receiver's answer."""

    lookup_value_regex = "[0-9]+"
    serializer_class = WebhookDeliverySerializer
    pagination_class = KeysetCursorPagination

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.endpoint = _endpoint_or_404(kwargs["endpoint_id"])

    def get_ordering(self, request) -> tuple[str, ...]:
        return ("-created_at", "-id")

    @extend_schema(summary="The endpoint's deliveries, newest first")
    def list(self, request, endpoint_id=None):
        deliveries = WebhookDelivery.objects.filter(endpoint=self.endpoint).defer("payload")
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)

    @extend_schema(
        summary="Send a delivery again now, as the same message, with fresh retries",
        request=None,
        responses={202: WebhookDeliverySerializer},
    )
    @action(detail=True, methods=["post"])
    def redeliver(self, request, endpoint_id=None, pk=None):
        try:
            delivery = selectors.webhook_delivery(self.endpoint, pk)
        except WebhookDelivery.DoesNotExist:
            missing = _("This endpoint has no delivery with this number.")
            raise exceptions.NotFound(missing) from None
        delivery = services.webhook_delivery_redeliver(request.user, delivery)
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
