"""The sign-in records in the admin (claims.admin.signin): editors see who is paused and lift
the pause; the failure log stays."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse

from tests.conftest import FACTORY_PASSWORD
from tests.signin.test_lockout import fail, sign_in

ATTEMPTS = reverse("admin:axes_accessattempt_changelist")


def unlock(client, *attempts):
    return client.post(
        ATTEMPTS, {"action": "unlock", "_selected_action": [a.pk for a in attempts]}, follow=True
    )


def test_an_editor_sees_the_paused_pair_and_lifts_the_pause(client, staff_editor, reviewer):
    fail(client, "rita", 5)
    client.force_login(staff_editor)

    listing = client.get(ATTEMPTS, {"locked_out": "yes"}).content.decode()
    assert "rita" in listing
    assert "Locked Out" in listing

    response = unlock(client, AccessAttempt.objects.get())

    assert "Forgot 1 attempt: its username and address may sign in again." in (
        response.content.decode()
    )
    client.logout()
    assert sign_in(client, "rita", FACTORY_PASSWORD).status_code == 302
    assert AccessFailureLog.objects.filter(username="rita").count() == 5


def test_unlocking_is_the_one_deletion_offered(client, staff_editor, reviewer):
    fail(client, "rita", 5)
    client.force_login(staff_editor)

    page = client.get(ATTEMPTS).content.decode()

    assert 'value="unlock"' in page
    assert 'value="delete_selected"' not in page


@pytest.mark.parametrize("role", ["reviewer", "viewer"])
def test_staff_who_are_not_editors_cannot_unlock(client, request, role, other_reviewer):
    fail(client, "omar", 5)
    user = request.getfixturevalue(role)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)

    assert unlock(client, AccessAttempt.objects.get()).status_code == 403
    assert AccessAttempt.objects.count() == 1
