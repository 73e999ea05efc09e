"""The daily digest: each person's digest notifications from before today, in one mail sent
once the desk's morning hour (``FACTCHECK_DIGEST_HOUR``, local time) has come.

A run first marks what it gathers with a batch of its own, in one UPDATE of only the rows no
batch holds yet, so two workers running it at once split the rows and never mail one twice.
"""

import datetime
import logging
import uuid

from django.conf import settings
from django.utils import timezone

from claims import clock
from claims.background.enqueue import enqueue_on_commit
from claims.models import Channel, Notification
from claims.notifications.tasks import send_digest_email

logger = logging.getLogger("factcheck.notifications")


def send_digests(now: datetime.datetime | None = None) -> int:
    """Gather and enqueue today's digests; how many people get one."""
    local = timezone.localtime(now or timezone.now())
    if local.hour < settings.FACTCHECK_DIGEST_HOUR:
        return 0
    cutoff = clock.day_start(local.date())
    waiting = Notification.objects.filter(
        channel=Channel.DIGEST, digest_batch__isnull=True, created_at__lt=cutoff
    )
    people = 0
    for user_id in waiting.values_list("recipient_id", flat=True).distinct().order_by():
        batch = uuid.uuid4()
        if waiting.filter(recipient_id=user_id).update(digest_batch=batch):
            enqueue_on_commit(send_digest_email, user_id, str(batch))
            people += 1
    if people:
        logger.info("Gathered digests for %s people", people)
    return people
