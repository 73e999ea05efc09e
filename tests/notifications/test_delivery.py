"""Delivery: notifications written after the write commits (never for one rolled back), mails
with both parts linking to the claim, retries with backoff, a failure staff can see, reminders
once per assignment and kind, and the daily digest."""

import datetime
import smtplib
import threading
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.models import (
    Assignment,
    Channel,
    EmailState,
    Notification,
    NotificationKind,
)
from claims.notifications.digest import send_digests
from claims.notifications.reminders import send_reminders
from claims.notifications.services import notification_preferences_update
from tests.conftest import detail_url, login, make_claim, postgres_only
from tests.factories import EditorFactory, ReviewerFactory


@pytest.fixture(autouse=True)
def desk_address(settings):
    settings.FACTCHECK_SITE_URL = "https://desk.example.org"


def assign(editor, reviewer, **kwargs):
    claim = make_claim(editor)
    services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer, **kwargs)
    return claim


def test_an_assignment_notifies_and_mails_after_the_commit(
    editor, reviewer, django_capture_on_commit_callbacks
):
    reviewer.email = "rita@example.org"
    reviewer.save()
    with django_capture_on_commit_callbacks(execute=True):
        claim = assign(editor, reviewer)
    notification = Notification.objects.get(recipient=reviewer)
    assert notification.kind == NotificationKind.ASSIGNED
    assert notification.email_state == EmailState.SENT
    assert notification.email_attempts == 1
    (sent,) = mail.outbox
    assert sent.to == ["rita@example.org"]
    assert sent.subject.startswith("[factcheck] Edna Editor assigned you to review")
    link = "https://desk.example.org" + detail_url(claim)
    assert link in sent.body
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html


def test_a_write_that_rolled_back_notifies_nobody(
    editor, reviewer, django_capture_on_commit_callbacks
):
    reviewer.email = "rita@example.org"
    reviewer.save()

    def write_then_fail():
        with transaction.atomic():
            assign(editor, reviewer)
            raise RuntimeError("the request failed after the write")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        write_then_fail()
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_failing_mail_is_retried_then_sent(editor, reviewer, django_capture_on_commit_callbacks):
    reviewer.email = "rita@example.org"
    reviewer.save()
    real_send = mail.EmailMultiAlternatives.send
    calls = []

    def flaky(message, *args, **kwargs):
        calls.append(1)
        if len(calls) < 3:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real_send(message, *args, **kwargs)

    with (
        mock.patch.object(mail.EmailMultiAlternatives, "send", flaky),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assign(editor, reviewer)
    notification = Notification.objects.get(recipient=reviewer)
    assert len(calls) == 3
    assert notification.email_state == EmailState.SENT
    assert notification.email_attempts == 3
    assert notification.email_error == ""
    assert len(mail.outbox) == 1


def test_after_the_last_try_the_mail_is_failed_and_staff_see_it(
    client, editor, reviewer, superuser, django_capture_on_commit_callbacks
):
    reviewer.email = "rita@example.org"
    reviewer.save()
    with (
        mock.patch.object(
            mail.EmailMultiAlternatives, "send", side_effect=smtplib.SMTPRecipientsRefused({})
        ) as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        claim = assign(editor, reviewer)
    assert send.call_count == 5
    notification = Notification.objects.get(recipient=reviewer)
    assert notification.email_state == EmailState.FAILED
    assert notification.email_attempts == 5
    assert notification.email_error == str(smtplib.SMTPRecipientsRefused({}))
    # The write stood, and the reader still has it in the inbox.
    assert Assignment.objects.filter(claim=claim, reviewer=reviewer).exists()
    page = login(client, superuser).get(
        reverse("admin:claims_notification_changelist") + "?email_state__exact=failed"
    )
    assert "1 e-mails failed" in page.content.decode()


def test_reminders_go_once_per_assignment_and_kind(editor, reviewer, other_reviewer):
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    assign(editor, reviewer, due_on=tomorrow)
    late = assign(editor, other_reviewer, due_on=today + datetime.timedelta(days=3))
    Assignment.objects.filter(claim=late).update(due_on=today - datetime.timedelta(days=2))
    assign(editor, ReviewerFactory(username="later"), due_on=today + datetime.timedelta(days=5))

    assert send_reminders(today) == 2
    assert send_reminders(today) == 0  # however often the job runs
    kinds = dict(
        Notification.objects.filter(
            kind__in=[NotificationKind.DUE_TOMORROW, NotificationKind.OVERDUE]
        ).values_list("recipient__username", "kind")
    )
    assert kinds == {"rita": NotificationKind.DUE_TOMORROW, "omar": NotificationKind.OVERDUE}
    # The next day the first is overdue: a reminder of the other kind, once.
    assert send_reminders(today + datetime.timedelta(days=2)) == 1
    assert send_reminders(today + datetime.timedelta(days=2)) == 0


def test_no_reminder_for_a_kind_turned_off(editor, reviewer):
    notification_preferences_update(
        actor=reviewer, channels={NotificationKind.DUE_TOMORROW: Channel.OFF}
    )
    today = timezone.localdate()
    assign(editor, reviewer, due_on=today + datetime.timedelta(days=1))
    assert send_reminders(today) == 0


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles_after_flush")
def test_two_workers_at_once_send_each_reminder_once():
    # The people are made here, after the roles are back: an earlier transactional test's
    # flush may have emptied the groups.
    editor = EditorFactory(username="racing-editor")
    reviewer = ReviewerFactory(username="racing-rita")
    other_reviewer = ReviewerFactory(username="racing-omar")
    today = timezone.localdate()
    for person in (reviewer, other_reviewer):
        for days in (1, 1):
            claim = make_claim(editor)
            services.reviewer_assign(
                actor=editor,
                claim=claim,
                reviewer=person,
                due_on=today + datetime.timedelta(days=days),
            )
    barrier = threading.Barrier(2)
    written = []

    def worker():
        from django.db import connections

        try:
            barrier.wait()
            written.append(send_reminders(today))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(written) == 4
    assert Notification.objects.filter(kind=NotificationKind.DUE_TOMORROW).count() == 4


def test_the_digest_gathers_yesterdays_notifications_into_one_mail(
    editor, reviewer, settings, django_capture_on_commit_callbacks
):
    settings.FACTCHECK_DIGEST_HOUR = 7
    reviewer.email = "rita@example.org"
    reviewer.save()
    notification_preferences_update(
        actor=reviewer, channels={NotificationKind.ASSIGNED: Channel.DIGEST}
    )
    with django_capture_on_commit_callbacks(execute=True):
        first, second = assign(editor, reviewer), assign(editor, reviewer)
    assert mail.outbox == []  # a digest kind is not mailed at once
    yesterday = timezone.now() - datetime.timedelta(days=1)
    Notification.objects.update(created_at=yesterday)

    early = timezone.localtime().replace(hour=6, minute=0)
    assert send_digests(early) == 0
    morning = timezone.localtime().replace(hour=8, minute=0)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(morning) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(morning) == 0  # each notification in one digest only
    (digest,) = mail.outbox
    assert digest.subject == "[factcheck] Your digest: 2 notifications"
    for claim in (first, second):
        assert "https://desk.example.org" + detail_url(claim) in digest.body
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.SENT}


def test_todays_notifications_wait_for_tomorrows_digest(editor, reviewer, settings):
    notification_preferences_update(
        actor=reviewer, channels={NotificationKind.ASSIGNED: Channel.DIGEST}
    )
    assign(editor, reviewer)
    from claims.models import AuditEvent
    from claims.notifications.fanout import fan_out

    fan_out(AuditEvent.objects.get(action="reviewer.assigned"))
    assert send_digests(timezone.localtime().replace(hour=23)) == 0
