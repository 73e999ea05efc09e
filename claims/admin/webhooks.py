"""Webhook endpoints and their deliveries in the admin, read-only: staff see where the desk
sends its events, why an endpoint was turned off, and each delivery's tries and last answer.
Changes go through the editors' webhook pages, which check addresses and show secrets once."""

from django.contrib import admin

from claims.admin.lists import LargeListAdmin, ReadOnlyForEditors
from claims.models import WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyForEditors, LargeListAdmin):
    list_display = ("url", "description", "is_active", "failing_since", "disabled_at", "owner")
    list_filter = ("is_active",)
    list_select_related = ("owner",)
    # The secret is left out: it is shown once, to whoever made it.
    fields = (
        "url",
        "description",
        "event_types",
        "owner",
        "created_at",
        "updated_at",
        "is_active",
        "failing_since",
        "disabled_at",
        "disabled_reason",
    )
    readonly_fields = fields


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyForEditors, LargeListAdmin):
    list_display = (
        "created_at",
        "endpoint",
        "event_type",
        "status",
        "attempts",
        "last_attempt_at",
        "response_status",
    )
    list_filter = ("status", "event_type")
    ordering = ("-created_at", "-id")
    sortable_by = ("created_at",)
    list_select_related = ("endpoint",)
    fields = (
        "endpoint",
        "event",
        "event_type",
        "message_id",
        "payload",
        "status",
        "attempts",
        "last_attempt_at",
        "response_status",
        "response_excerpt",
        "created_at",
    )
    readonly_fields = fields
