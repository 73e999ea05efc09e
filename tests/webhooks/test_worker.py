"""Webhooks through a real worker on the database queue: the write enqueues the dispatch on
commit, ``run_worker --once`` writes the delivery and sends it, a failed try waits in the
table as a deferred retry. Transactional: the worker commits as a real one does."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from standardwebhooks.webhooks import Webhook

from claims.models import DeliveryStatus, WebhookDelivery
from tests.conftest import make_claim
from tests.factories import EditorFactory
from tests.webhooks.conftest import register

# The roles outlive the module too: the last transactional tests of a run must leave them for
# the tests pytest-django runs after every transactional one.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("roles_after_flush", "roles_outlive_module"),
]


def test_the_database_queue_dispatches_sends_and_defers_a_retry(database_backend, receiver):
    editor = EditorFactory(username="worker-edna")
    endpoint, secret = register(editor, receiver.url, ["claim.created"])
    receiver.answers = [503]
    claim = make_claim(editor)
    assert DBTaskResult.objects.filter(task_path__endswith="dispatch_event").count() == 1
    assert not WebhookDelivery.objects.exists()

    call_command("run_worker", once=True)  # dispatch, then the first try, which fails
    call_command("run_worker", once=True)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1
    assert delivery.response_status == 503
    retry = DBTaskResult.objects.filter(task_path__endswith=".deliver", status="READY").get()
    assert retry.run_after > timezone.now()  # waits its minute: nothing sent meanwhile
    assert len(receiver.received) == 1

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    call_command("run_worker", once=True)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 2
    last = receiver.received[-1]
    assert Webhook(secret).verify(last.body, last.headers)["data"]["claim_id"] == claim.pk
