"""The password reset mails, sent by the worker after the request that asked for them."""

import logging
from datetime import timedelta

from django.contrib.auth import get_user_model
from django_tasks import task

from claims.background.enqueue import enqueue_on_commit
from claims.background.retry import retrying
from claims.signin.reset import accounts_for, reset_mail

logger = logging.getLogger("factcheck.signin")

MAIL_ATTEMPTS = 3  # a reset link is wanted now; after a few minutes the person asks again


@task()
def send_password_reset(email: str) -> int:
    """Enqueue a reset mail for each account at ``email``; how many (none for an unknown one)."""
    accounts = accounts_for(email)
    for user in accounts:
        enqueue_on_commit(send_password_reset_email, user.pk)
    return len(accounts)


@task(queue_name="email")
@retrying(attempts=MAIL_ATTEMPTS, first_delay=timedelta(seconds=30))
def send_password_reset_email(user_id: int) -> bool:
    """Mail one account its reset link, made now (a retry makes a fresh one, as valid)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not user.has_usable_password():
        return False
    reset_mail(user).send()
    logger.info("Sent a password reset link to user %s", user.pk)
    return True
