"""Notifications: what the desk tells each person, how they like to be told, what they watch.

A notification is written once per event, person and kind (a database constraint makes a
retried fan-out harmless) and once per assignment and reminder kind (so the periodic reminder
job may run as often, and on as many workers, as it likes). Its e-mail's delivery is tracked on
the row itself: pending, sent, or failed after the last try, which staff see.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned to you")
    ASSIGNMENT_WITHDRAWN = "assignment_withdrawn", _("Your assignment withdrawn")
    DUE_TOMORROW = "due_tomorrow", _("Your review is due tomorrow")
    OVERDUE = "overdue", _("Your review is overdue")
    SIGNOFF_WAITING = "signoff_waiting", _("A proposal waits for your sign-off")
    PROPOSAL_APPROVED = "proposal_approved", _("Your proposal signed off")
    PROPOSAL_RETURNED = "proposal_returned", _("Your proposal returned")
    MENTIONED = "mentioned", _("Mentioned in a comment")
    COMMENTED = "commented", _("A new comment on a claim you follow")
    EVIDENCE_ADDED = "evidence_added", _("New evidence on a claim you follow")
    STATE_CHANGED = "state_changed", _("A state change on a claim you follow")


REMINDER_KINDS = (NotificationKind.DUE_TOMORROW, NotificationKind.OVERDUE)


class Channel(models.TextChoices):
    """How a person hears of one kind: each but "off" shows in the inbox as well."""

    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("In the app and by e-mail")
    DIGEST = "digest", _("In the app and in a daily digest")
    OFF = "off", _("Off")


# What a person gets before choosing: work that is theirs by e-mail, the rest in the app.
DEFAULT_CHANNELS = {
    NotificationKind.ASSIGNED: Channel.EMAIL,
    NotificationKind.ASSIGNMENT_WITHDRAWN: Channel.EMAIL,
    NotificationKind.DUE_TOMORROW: Channel.EMAIL,
    NotificationKind.OVERDUE: Channel.EMAIL,
    NotificationKind.SIGNOFF_WAITING: Channel.EMAIL,
    NotificationKind.PROPOSAL_APPROVED: Channel.IN_APP,
    NotificationKind.PROPOSAL_RETURNED: Channel.EMAIL,
    NotificationKind.MENTIONED: Channel.EMAIL,
    NotificationKind.COMMENTED: Channel.IN_APP,
    NotificationKind.EVIDENCE_ADDED: Channel.IN_APP,
    NotificationKind.STATE_CHANGED: Channel.IN_APP,
}


class EmailState(models.TextChoices):
    NONE = "", _("No e-mail")
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    claim = models.ForeignKey(
        "claims.Claim",
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("claim"),
    )
    # Like the event's own links: history is never deleted, so no constraint is needed.
    event = models.ForeignKey(
        "claims.AuditEvent",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
    )
    assignment = models.ForeignKey(
        "claims.Assignment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("assignment"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor's name"), max_length=300, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    created_at = models.DateTimeField(_("created"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_state = models.CharField(
        _("e-mail"), max_length=16, choices=EmailState.choices, default=EmailState.NONE, blank=True
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_error = models.TextField(_("last e-mail error"), blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    # A digest run marks what it gathered with its batch before sending, so two workers
    # running the digest at once never mail one notification twice.
    digest_batch = models.UUIDField(_("digest batch"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient", "kind"],
                condition=Q(event__isnull=False),
                name="notification_once_per_event",
            ),
            models.UniqueConstraint(
                fields=["assignment", "kind"],
                condition=Q(kind__in=REMINDER_KINDS),
                name="reminder_once_per_assignment",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values), name="notification_kind_valid"
            ),
        ]
        indexes = [
            # The inbox, newest first, and the bell's count of what is unread.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox_idx"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            # The retries' and the staff page's view of failed and pending e-mail.
            models.Index(
                fields=["email_state", "created_at"],
                condition=Q(email_state__in=[EmailState.PENDING, EmailState.FAILED]),
                name="notification_email_idx",
            ),
            # What the daily digest has yet to gather.
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(channel=Channel.DIGEST, digest_batch__isnull=True),
                name="notification_digest_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """One person's channel for one kind; without a row the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind"),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="preference_channel_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.kind} by {self.channel}"


class Watch(models.Model):
    """Someone who follows a claim without being assigned to it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="watches",
        verbose_name=_("user"),
    )
    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="watches", verbose_name=_("claim")
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("watch")
        verbose_name_plural = _("watches")
        constraints = [
            models.UniqueConstraint(fields=["claim", "user"], name="one_watch_per_claim"),
        ]

    def __str__(self):
        return f"{self.user} watches #{self.claim_id}"
