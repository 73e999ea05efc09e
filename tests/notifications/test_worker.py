"""Notifications through a real worker: the write enqueues on commit, ``run_worker --once``
(or an RQ worker over the Redis on 127.0.0.1:6379) writes the notifications, mails them and runs
the reminders. Transactional: the worker commits as a real one does."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from claims import services
from claims.models import EmailState, Notification, NotificationKind
from tests.conftest import make_claim
from tests.factories import EditorFactory, ReviewerFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles_after_flush")]


@pytest.fixture
def people():
    editor = EditorFactory(username="worker-edna", first_name="Edna", last_name="Editor")
    reviewer = ReviewerFactory(username="worker-rita", email="rita@example.org")
    return editor, reviewer


def test_the_database_queue_carries_the_fan_out_the_mail_and_the_reminders(
    database_backend,
    people,
    settings,
):
    settings.FACTCHECK_PERIODIC_JOBS = {
        "reminders": {"function": "claims.notifications.reminders.send_reminders", "every": 900}
    }
    editor, reviewer = people
    claim = make_claim(editor)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer, due_on=tomorrow)
    # Committed, and waiting in the table: nothing has run yet.
    assert DBTaskResult.objects.filter(task_path__endswith="announce_event").count() == 1
    assert not Notification.objects.exists()

    call_command("run_worker", once=True)
    kinds = set(Notification.objects.filter(recipient=reviewer).values_list("kind", flat=True))
    assert kinds == {NotificationKind.ASSIGNED, NotificationKind.DUE_TOMORROW}
    call_command("run_worker", once=True)  # the mails the first pass enqueued, if any left
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.SENT}
    assert sorted(m.subject for m in mail.outbox) == sorted(
        [
            f"[factcheck] Edna Editor assigned you to review #{claim.pk} “{claim.text}”",
            f"[factcheck] Your review of #{claim.pk} “{claim.text}” is due tomorrow",
        ]
    )
    call_command("run_worker", once=True)  # the reminder job again: nothing new
    assert Notification.objects.count() == 2


@pytest.mark.redis
def test_an_rq_worker_over_redis_delivers_them(rq_backend, people):
    import django_rq
    from rq import SimpleWorker

    editor, reviewer = people
    claim = make_claim(editor)
    services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer)
    assert not Notification.objects.exists()  # waiting in Redis
    worker = django_rq.get_worker(
        "default", "email", worker_class=SimpleWorker, job_class="django_tasks_rq.Job"
    )
    assert worker.work(burst=True)
    notification = Notification.objects.get(recipient=reviewer)
    assert notification.kind == NotificationKind.ASSIGNED
    assert notification.email_state == EmailState.SENT
    assert len(mail.outbox) == 1
