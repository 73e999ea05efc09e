"""Outgoing webhooks: the addresses the desk tells of what happens, and each message it sent.

An endpoint is desk configuration, not a claim row: it has no audit trail of its own. A
delivery is one audit event for one endpoint, written once (a database constraint makes a
retried dispatch harmless) and sent until it succeeds or the retries give up; the row keeps
how many tries it took and what the receiver last answered, for the delivery log.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class WebhookEventType(models.TextChoices):
    """What an endpoint may subscribe to; ``claims.webhooks.events`` maps audit actions here."""

    CLAIM_CREATED = "claim.created", _("Claim created or imported")
    CLAIM_EDITED = "claim.edited", _("Claim edited")
    EVIDENCE_ADDED = "evidence.added", _("Evidence added")
    EVIDENCE_RETRACTED = "evidence.retracted", _("Evidence retracted")
    CLAIM_STATE_CHANGED = "claim.state_changed", _("State changed")
    VERDICT_PUBLISHED = "verdict.published", _("Verdict published")
    CORRECTION_PUBLISHED = "correction.published", _("Correction published")
    ASSIGNMENT_MADE = "assignment.made", _("Reviewer assigned")
    ASSIGNMENT_CLOSED = "assignment.closed", _("Assignment completed or withdrawn")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


def new_message_id() -> str:
    """A Standard Webhooks message id: the same on every try, so receivers can drop repeats."""
    return f"msg_{uuid.uuid4().hex}"


class WebhookEndpoint(models.Model):
    url = models.URLField(_("URL"), max_length=2000)
    description = models.CharField(_("description"), max_length=300, blank=True)
    event_types = models.JSONField(_("event types"), default=list)
    # Kept as typed ("whsec_" and base64), since signing needs it; shown once, at creation
    # and after each rotation.
    secret = models.CharField(_("signing secret"), max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
        verbose_name=_("owner"),
    )
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))
    is_active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    disabled_reason = models.TextField(_("why disabled"), blank=True)
    # Since when every attempt has failed; a success clears it, a day of it disables.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_active=True) | Q(disabled_at__isnull=False),
                name="webhookendpoint_disabled_has_time",
            ),
        ]

    def __str__(self):
        return self.url

    def get_absolute_url(self):
        return reverse("claims:webhook_detail", kwargs={"pk": self.pk})


class WebhookDelivery(models.Model):
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("endpoint"),
    )
    # Like a notification's: history is never deleted, so no constraint is needed.
    event = models.ForeignKey(
        "claims.AuditEvent",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("audit event"),
    )
    event_type = models.CharField(_("event type"), max_length=40, choices=WebhookEventType.choices)
    message_id = models.CharField(
        _("message id"), max_length=40, unique=True, default=new_message_id
    )
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    response_excerpt = models.TextField(_("response or error"), blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event"], name="webhookdelivery_once_per_event"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="webhookdelivery_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(event_type__in=WebhookEventType.values),
                name="webhookdelivery_event_type_valid",
            ),
        ]
        indexes = [
            # The delivery log, newest first, and each endpoint's last delivery on the list.
            models.Index(fields=["endpoint", "-created_at", "-id"], name="webhookdelivery_log_idx"),
        ]

    def __str__(self):
        return f"{self.event_type} → {self.endpoint_id} ({self.status})"
