"""Password reset mails (claims.signin.reset, claims.signin.tasks): the request enqueues the
address, whatever it is, and the worker finds the accounts and mails each its link."""

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.signin import tasks
from claims.signin.tasks import send_password_reset
from tests.factories import UserFactory


def test_the_request_enqueues_the_address_whatever_it_is(client, editor, monkeypatch):
    enqueued = []
    monkeypatch.setattr(
        "claims.signin.reset.enqueue_on_commit", lambda task, *args: enqueued.append((task, args))
    )

    for email in ("edna@desk.example", "nobody@desk.example"):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("password_reset"), {"email": email})
        assert response.status_code == 302
        assert not [q for q in queries if "auth_user" in q["sql"]], "looked the address up"

    assert enqueued == [
        (send_password_reset, ("edna@desk.example",)),
        (send_password_reset, ("nobody@desk.example",)),
    ]


def test_the_worker_mails_every_account_at_the_address(db, django_capture_on_commit_callbacks):
    UserFactory(username="one", email="shared@desk.example")
    UserFactory(username="two", email="Shared@desk.example")
    UserFactory(username="gone", email="shared@desk.example", is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        count = send_password_reset.call("shared@desk.example")

    assert count == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["Shared@desk.example", "shared@desk.example"]
    assert all("one" in m.body or "two" in m.body for m in mail.outbox)


def test_a_mail_that_fails_is_tried_again(editor, monkeypatch, django_capture_on_commit_callbacks):
    real_send = mail.EmailMultiAlternatives.send
    tries = []

    def flaky_send(message, *args, **kwargs):
        tries.append(1)
        if len(tries) == 1:
            raise ConnectionRefusedError("mail server down")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", flaky_send)

    with django_capture_on_commit_callbacks(execute=True):
        send_password_reset.call("edna@desk.example")

    assert len(tries) == 2
    assert len(mail.outbox) == 1


def test_an_account_gone_by_the_time_the_mail_goes_gets_none(editor):
    editor.is_active = False
    editor.save()

    assert tasks.send_password_reset_email.call(editor.pk) is False
    assert mail.outbox == []


def test_an_address_is_sent_at_most_its_hourly_allowance(
    db, settings, django_capture_on_commit_callbacks
):
    """Nobody can flood a person's mailbox from the login page: past the allowance the worker
    sends nothing, while the form answers every request the same."""
    from django.core.cache import cache

    cache.clear()
    settings.FACTCHECK_PASSWORD_RESETS_PER_HOUR = 2
    UserFactory(username="one", email="target@desk.example")

    with django_capture_on_commit_callbacks(execute=True):
        counts = [send_password_reset.call("Target@desk.example") for _ in range(4)]

    assert counts == [1, 1, 0, 0]
    assert len(mail.outbox) == 2
    assert send_password_reset.call("other@desk.example") == 0  # no account, counted apart
    cache.clear()
