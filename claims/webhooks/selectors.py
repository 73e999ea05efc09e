"""The webhook reads: the desk's endpoints with their last delivery, and one endpoint's log.

Each in a fixed number of queries: the list's last deliveries arrive as subqueries over the
log index (``webhookdelivery_log_idx``), and a log page is chosen on the same index.
"""

from django.core.paginator import Page
from django.db.models import OuterRef, QuerySet, Subquery

from claims.models import WebhookDelivery, WebhookEndpoint
from claims.selectors.paging import CountedPaginator

LOG_PAGE_SIZE = 25


def webhook_endpoints() -> QuerySet[WebhookEndpoint]:
    """Every endpoint, oldest first, each with ``last_status`` and ``last_delivery_at``."""
    last = WebhookDelivery.objects.filter(endpoint=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        WebhookEndpoint.objects.select_related("owner")
        .annotate(
            last_status=Subquery(last.values("status")[:1]),
            last_delivery_at=Subquery(last.values("created_at")[:1]),
        )
        .order_by("created_at", "id")
    )


def webhook_endpoint(pk) -> WebhookEndpoint:
    """One endpoint with its owner; WebhookEndpoint.DoesNotExist when there is none."""
    return webhook_endpoints().get(pk=pk)


def delivery_log(endpoint: WebhookEndpoint, page_number=None) -> Page:
    """One page of the endpoint's deliveries, newest first (the payloads left behind)."""
    deliveries = (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .defer("payload")
        .order_by("-created_at", "-id")
    )
    return CountedPaginator(deliveries, LOG_PAGE_SIZE).get_page(page_number)


def webhook_delivery(endpoint: WebhookEndpoint, pk) -> WebhookDelivery:
    """One of the endpoint's deliveries; WebhookDelivery.DoesNotExist for another's."""
    return WebhookDelivery.objects.select_related("endpoint").get(endpoint=endpoint, pk=pk)
