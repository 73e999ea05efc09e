"""The password reset mails, sent by the worker after the request that asked for them."""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django_tasks import task

from claims.background.enqueue import enqueue_on_commit
from claims.background.retry import retrying
from claims.signin.reset import accounts_for, reset_mail

logger = logging.getLogger("factcheck.signin")

MAIL_ATTEMPTS = 3  # a reset link is wanted now; after a few minutes the person asks again


RESET_WINDOW = 3600  # seconds over which FACTCHECK_PASSWORD_RESETS_PER_HOUR are counted


def _over_reset_limit(email: str) -> bool:
    """Has ``email`` been sent its allowance of reset mails this hour? Counted in the cache
    every process shares, by the address's digest (the cache holds no addresses), here in the
    worker: the request answers the same at once, so a refusal tells nobody anything, while
    nobody can flood a person's mailbox with links from the login page."""
    key = "password-reset:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()
    cache.add(key, 0, RESET_WINDOW)
    try:
        sent = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, RESET_WINDOW)
        sent = 1
    return sent > settings.FACTCHECK_PASSWORD_RESETS_PER_HOUR


@task()
def send_password_reset(email: str) -> int:
    """Enqueue a reset mail for each account at ``email``; how many (none for an unknown one,
    and none past the address's hourly allowance)."""
    if _over_reset_limit(email):
        logger.warning("Password reset refused: its address asked too often this hour")
        return 0
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
