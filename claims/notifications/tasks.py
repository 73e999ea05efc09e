"""The notification tasks, run by the worker after the write that caused them committed.

``announce_event`` is enqueued on commit by the services for every event in
``fanout.ANNOUNCED``; it writes the notifications and enqueues each one's mail. Mails are
retried with backoff (``claims.background.retry.retrying``); after the last try the notification is
marked failed, which staff see in the admin. Nothing here can block or roll back the write.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django_tasks import task

from claims import clock
from claims.background.enqueue import enqueue_on_commit
from claims.background.retry import retrying
from claims.models import AuditEvent, EmailState, Notification
from claims.notifications.email import digest_mail, notification_mail
from claims.notifications.fanout import ANNOUNCED, fan_out

logger = logging.getLogger("factcheck.notifications")

MAIL_ATTEMPTS = 5
FIRST_RETRY = timedelta(seconds=30)


def announce(event: AuditEvent) -> None:
    """Called by the services with each event they record: the people it concerns are told
    once the transaction commits (never for a write that rolled back)."""
    if event.action in ANNOUNCED:
        enqueue_on_commit(announce_event, event.pk)


@task()
def announce_event(event_id: int) -> int:
    """Write the notifications for one event and enqueue their mails; how many were mailed."""
    event = AuditEvent.objects.select_related("claim").filter(pk=event_id).first()
    if event is None:
        return 0
    with transaction.atomic():
        pending = fan_out(event)
        for notification in pending:
            enqueue_on_commit(send_notification_email, notification.pk)
    return len(pending)


def _record_failure(notification_ids: list[int], attempt: int, error: Exception) -> None:
    Notification.objects.filter(pk__in=notification_ids).update(
        email_attempts=attempt, email_error=str(error)[:2000]
    )


@task(queue_name="email")
@retrying(
    attempts=MAIL_ATTEMPTS,
    first_delay=FIRST_RETRY,
    on_give_up="claims.notifications.tasks.notification_email_failed",
)
def send_notification_email(notification_id: int, attempt: int = 1) -> bool:
    """Send one notification's mail, unless it went already (a retry after a lost result)."""
    notification = (
        Notification.objects.select_related("recipient", "claim")
        .filter(pk=notification_id, email_state=EmailState.PENDING)
        .first()
    )
    if notification is None:
        return False
    try:
        notification_mail(notification).send()
    except Exception as error:
        _record_failure([notification.pk], attempt, error)
        raise
    Notification.objects.filter(pk=notification.pk).update(
        email_state=EmailState.SENT, emailed_at=clock.now(), email_attempts=attempt, email_error=""
    )
    return True


def notification_email_failed(notification_id: int, attempt: int = 1, error: str = "") -> None:
    """After the last try: marked failed, for staff to see (and the reader still has it in the
    inbox)."""
    Notification.objects.filter(pk=notification_id, email_state=EmailState.PENDING).update(
        email_state=EmailState.FAILED
    )
    logger.error(
        "Gave up mailing notification %s after %s tries: %s", notification_id, attempt, error
    )


@task(queue_name="email")
@retrying(
    attempts=MAIL_ATTEMPTS,
    first_delay=FIRST_RETRY,
    on_give_up="claims.notifications.tasks.digest_email_failed",
)
def send_digest_email(user_id: int, batch: str, attempt: int = 1) -> int:
    """Mail the notifications a digest run gathered under ``batch``; how many."""
    notifications = list(
        Notification.objects.select_related("recipient", "claim")
        .filter(recipient_id=user_id, digest_batch=batch)
        .exclude(email_state=EmailState.SENT)
        .order_by("created_at", "id")
    )
    if not notifications or not notifications[0].recipient.email:
        return 0  # nobody to mail: the inbox has told them
    ids = [n.pk for n in notifications]
    try:
        digest_mail(notifications[0].recipient, notifications).send()
    except Exception as error:
        _record_failure(ids, attempt, error)
        raise
    Notification.objects.filter(pk__in=ids).update(
        email_state=EmailState.SENT, emailed_at=clock.now(), email_attempts=attempt, email_error=""
    )
    return len(ids)


def digest_email_failed(user_id: int, batch: str, attempt: int = 1, error: str = "") -> None:
    Notification.objects.filter(recipient_id=user_id, digest_batch=batch).exclude(
        email_state=EmailState.SENT
    ).update(email_state=EmailState.FAILED)
    logger.error(
        "Gave up mailing digest %s to user %s after %s tries: %s", batch, user_id, attempt, error
    )
