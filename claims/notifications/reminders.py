"""The periodic reminders: a review due tomorrow, and one overdue, once per assignment each.

"Once" is the database's promise, not this job's: the notification row for an assignment and a
reminder kind is unique (``reminder_once_per_assignment``), so however often the job runs and on
however many workers, a second insert fails and sends nothing.
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from claims import clock
from claims.background.enqueue import enqueue_on_commit
from claims.models import (
    Assignment,
    AssignmentStatus,
    Channel,
    EmailState,
    Notification,
    NotificationKind,
)
from claims.notifications.fanout import channels_for
from claims.notifications.tasks import send_notification_email

logger = logging.getLogger("factcheck.notifications")


def _reminded(kind: str):
    return Notification.objects.filter(assignment=OuterRef("pk"), kind=kind)


def due_reminders(today: datetime.date) -> list[tuple[Assignment, str]]:
    """Open assignments not yet reminded: due tomorrow, or overdue (due before today)."""
    tomorrow = today + datetime.timedelta(days=1)
    open_ = Assignment.objects.filter(status=AssignmentStatus.OPEN).select_related("reviewer")
    due = open_.filter(due_on=tomorrow).exclude(Exists(_reminded(NotificationKind.DUE_TOMORROW)))
    late = open_.filter(due_on__lt=today).exclude(Exists(_reminded(NotificationKind.OVERDUE)))
    return [(a, NotificationKind.DUE_TOMORROW) for a in due] + [
        (a, NotificationKind.OVERDUE) for a in late
    ]


def send_reminders(today: datetime.date | None = None) -> int:
    """Write (and mail, by each reviewer's choice) the reminders now due; how many were new."""
    today = today or timezone.localdate()
    due = due_reminders(today)
    # Each kind's channels for all its reviewers at once, not a query per assignment.
    channels = {
        kind: channels_for({a.reviewer_id for a, of_kind in due if of_kind == kind}, kind)
        for kind in {kind for _assignment, kind in due}
    }
    written = 0
    for assignment, kind in due:
        reviewer = assignment.reviewer
        channel = channels[kind][reviewer.pk]
        if channel == Channel.OFF or not reviewer.is_active:
            continue
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=reviewer,
                    kind=kind,
                    claim_id=assignment.claim_id,
                    assignment=assignment,
                    channel=channel,
                    created_at=clock.now(),
                    email_state=EmailState.PENDING
                    if channel == Channel.EMAIL and reviewer.email
                    else "",
                )
                if notification.email_state == EmailState.PENDING:
                    enqueue_on_commit(send_notification_email, notification.pk)
        except IntegrityError:  # another worker reminded this assignment a moment ago
            continue
        written += 1
    if written:
        logger.info("Sent %s reminders", written)
    return written
