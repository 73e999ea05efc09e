"""The bell, the inbox, the settings page and watching a claim, through the web."""

import re

import pytest
from django.urls import reverse

from claims import clock, services
from claims.audit.actions import AuditAction
from claims.models import (
    DEFAULT_CHANNELS,
    AuditEvent,
    Channel,
    Notification,
    NotificationKind,
    NotificationPreference,
    Watch,
)
from claims.notifications.fanout import fan_out
from tests.conftest import detail_url, login, make_claim

INBOX = reverse("claims:inbox")


def assign_and_tell(editor, reviewer, text="A claim"):
    claim = make_claim(editor, text=text)
    services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer)
    fan_out(
        AuditEvent.objects.filter(claim_id=claim.pk, action=AuditAction.REVIEWER_ASSIGNED).get()
    )
    return claim


def bell(page: str) -> str:
    return re.search(r'<a class="bell"[^>]*>.*?</a>', page, re.S).group(0)


def test_the_bell_counts_unread_and_the_inbox_lists_newest_first(client, editor, reviewer):
    first = assign_and_tell(editor, reviewer, "The first claim")
    second = assign_and_tell(editor, reviewer, "The second claim")
    page = login(client, reviewer).get(reverse("claims:my_queue")).content.decode()
    assert 'aria-label="Notifications: 2 unread"' in bell(page)
    assert '<span class="count" aria-hidden="true">2</span>' in bell(page)

    page = client.get(INBOX).content.decode()
    assert page.index(f"#{second.pk} “The second claim”") < page.index(
        f"#{first.pk} “The first claim”"
    )
    assert "Edna Editor assigned you to review" in page
    assert page.count('class="unread"') == 2


def test_opening_a_notification_reads_it_and_goes_to_its_claim(client, editor, reviewer):
    claim = assign_and_tell(editor, reviewer)
    notification = Notification.objects.get(recipient=reviewer)
    response = login(client, reviewer).post(
        reverse("claims:notification_open", args=[notification.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(claim)
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "Notifications: 0 unread" in client.get(INBOX).content.decode()


def test_nobody_opens_or_reads_another_persons_notification(
    client, editor, reviewer, other_reviewer
):
    assign_and_tell(editor, reviewer)
    notification = Notification.objects.get(recipient=reviewer)
    login(client, other_reviewer)
    url = reverse("claims:notification_open", args=[notification.pk])
    assert client.post(url).status_code == 404
    client.post(reverse("claims:notifications_read"), {"id": [notification.pk]})
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_one_and_mark_all_read(client, editor, reviewer):
    assign_and_tell(editor, reviewer, "One")
    assign_and_tell(editor, reviewer, "Two")
    one, two = Notification.objects.filter(recipient=reviewer).order_by("id")
    login(client, reviewer).post(reverse("claims:notifications_read"), {"id": [one.pk]})
    assert list(Notification.objects.filter(read_at__isnull=True)) == [two]
    client.post(reverse("claims:notifications_read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_inbox_reads_in_the_same_queries_for_ten_or_a_thousand(
    client, editor, reviewer, django_assert_max_num_queries
):
    claim = make_claim(editor)

    def fill(n):
        Notification.objects.bulk_create(
            Notification(
                recipient=reviewer,
                kind=NotificationKind.EVIDENCE_ADDED,
                claim=claim,
                actor_name="Edna Editor",
                channel=Channel.IN_APP,
                created_at=clock.now(),
            )
            for _ in range(n)
        )

    fill(10)
    login(client, reviewer)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(INBOX)
    fill(990)
    with CaptureQueriesContext(connection) as many:
        page = client.get(INBOX).content.decode()
    assert len(many) == len(few)
    assert page.count('<li id="notification-') == 50
    assert "Page 1 of 20" in page


def test_settings_save_a_channel_per_kind_and_refuse_nonsense(client, reviewer):
    login(client, reviewer)
    page = client.get(reverse("claims:settings")).content.decode()
    assert "Mentioned in a comment" in page
    data = dict.fromkeys(NotificationKind.values, Channel.IN_APP)
    data[NotificationKind.MENTIONED] = Channel.DIGEST
    assert client.post(reverse("claims:settings"), data).status_code == 302
    saved = NotificationPreference.objects.filter(user=reviewer).values_list("kind", "channel")
    # A kind left at its default keeps no row.
    assert dict(saved) == {k: c for k, c in data.items() if c != DEFAULT_CHANNELS[k]}
    page = client.get(reverse("claims:settings")).content.decode()
    (mentioned,) = re.findall(r'<input type="radio" name="mentioned" value="digest"[^>]*>', page)
    assert "checked" in mentioned
    data[NotificationKind.OVERDUE] = "carrier-pigeon"
    response = client.post(reverse("claims:settings"), data)
    assert response.status_code == 422
    assert "carrier-pigeon is not one of the available choices" in response.content.decode()


def test_watch_and_unwatch_from_the_claim_page(client, claim, viewer):
    login(client, viewer)
    page = client.get(detail_url(claim)).content.decode()
    assert 'aria-pressed="false"' in page
    client.post(reverse("claims:watch", args=[claim.pk]))
    assert Watch.objects.filter(user=viewer, claim=claim).exists()
    assert 'aria-pressed="true"' in client.get(detail_url(claim)).content.decode()
    client.post(reverse("claims:watch", args=[claim.pk]), {"watch": "off"})
    assert not Watch.objects.filter(user=viewer, claim=claim).exists()


def test_watching_refuses_an_outside_address_to_go_back_to(client, claim, viewer):
    response = login(client, viewer).post(
        reverse("claims:watch", args=[claim.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == detail_url(claim)


@pytest.mark.parametrize("name", ["claims:inbox", "claims:settings"])
def test_pages_need_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
