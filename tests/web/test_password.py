"""Changing one's password on the settings page, and resetting it by e-mail from the login
page (claims.web.views.password)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import FACTORY_PASSWORD
from tests.factories import UserFactory
from tests.signin.test_lockout import fail, sign_in, without_csrf_tokens

NEW = "a quiet harbour at dawn"


def change(client, old, new1, new2=None):
    return client.post(
        reverse("claims:password_change"),
        {"old_password": old, "new_password1": new1, "new_password2": new2 or new1},
    )


def errors_at(response, field: str) -> str:
    form = response.context["form"]
    return " ".join(form.errors.get(field, []))


# Changing it ------------------------------------------------------------------------------------


def test_the_settings_page_offers_the_change(client, editor):
    client.force_login(editor)
    page = client.get(reverse("claims:settings")).content.decode()
    assert f'href="{reverse("claims:password_change")}"' in page


def test_the_change_needs_a_sign_in(client, db):
    response = client.get(reverse("claims:password_change"))
    assert response["Location"].startswith("/login/?next=/settings/password/")


def test_anyone_signed_in_may_change_it_role_or_none(client, db):
    client.force_login(UserFactory(username="no_role"))
    assert client.get(reverse("claims:password_change")).status_code == 200


def test_a_wrong_old_password_is_refused_at_its_field(client, editor):
    client.force_login(editor)
    before = type(editor).objects.get(pk=editor.pk).password

    response = change(client, "not it", NEW)

    assert response.status_code == 422
    assert "Your old password was entered incorrectly" in errors_at(response, "old_password")
    page = response.content.decode()
    assert 'class="field field-error"' in page
    for name in ("old_password", "new_password1", "new_password2"):
        assert f'name="{name}"' in page
    assert NEW not in page  # passwords are never written back into the page
    assert type(editor).objects.get(pk=editor.pk).password == before


def test_a_weak_new_password_is_refused_by_the_validators(client, editor):
    client.force_login(editor)

    response = change(client, FACTORY_PASSWORD, "password123")

    assert response.status_code == 422
    assert "too common" in errors_at(response, "new_password2")


def test_a_changed_password_signs_in_and_the_old_one_does_not(client, editor):
    client.force_login(editor)

    response = change(client, FACTORY_PASSWORD, NEW)

    assert response.status_code == 302
    assert response["Location"] == reverse("claims:settings")
    settings_page = client.get(response["Location"]).content.decode()
    assert "Password changed." in settings_page  # and still signed in
    client.post("/logout/")
    assert sign_in(client, "edna", FACTORY_PASSWORD).status_code == 200
    assert sign_in(client, "edna", NEW).status_code == 302


def test_changing_it_signs_out_the_other_sessions(client, editor, django_user_model):
    from django.test import Client

    elsewhere = Client()
    elsewhere.force_login(editor)
    client.force_login(editor)

    change(client, FACTORY_PASSWORD, NEW)

    assert client.get("/claims/").status_code == 200
    assert elsewhere.get("/claims/")["Location"].startswith("/login/")


# Resetting it by e-mail -------------------------------------------------------------------------


@pytest.fixture
def ask_for_reset(django_capture_on_commit_callbacks):
    """Post the reset form, running the tasks it enqueues (and those they enqueue) as the
    worker would once the request's transaction commits."""

    def ask(client, email, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("password_reset"), {"email": email}, **kwargs)

    return ask


def link_in(message) -> str:
    return re.search(r"https?://\S+/password-reset/\S+/", message.body).group(0)


@pytest.fixture
def site_url(settings):
    settings.FACTCHECK_SITE_URL = "https://desk.example.org"
    return settings.FACTCHECK_SITE_URL


def test_the_login_page_offers_the_reset(client, db):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in page


@pytest.mark.parametrize(
    "name", ["password_reset", "password_reset_done", "password_reset_complete"]
)
def test_the_reset_pages_need_no_sign_in(client, db, name):
    assert client.get(reverse(name)).status_code == 200


def test_a_known_address_gets_a_mail_with_a_working_link(client, editor, site_url, ask_for_reset):
    response = ask_for_reset(client, "edna@desk.example")

    assert response["Location"] == reverse("password_reset_done")
    (sent,) = mail.outbox
    assert sent.to == ["edna@desk.example"]
    assert sent.subject == "[factcheck] Reset your password"
    link = link_in(sent)
    assert link.startswith(f"{site_url}/password-reset/")
    html, _mime = sent.alternatives[0]
    assert f'href="{link}"' in html

    form_page = client.get(link.removeprefix(site_url))
    assert form_page.status_code == 302  # the token moves into the session, out of the URL
    set_password = client.get(form_page["Location"])
    assert "Choose a new password" in set_password.content.decode()
    done = client.post(form_page["Location"], {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == reverse("password_reset_complete")
    assert sign_in(client, "edna", NEW).status_code == 302


def test_a_link_works_once(client, editor, site_url, ask_for_reset):
    ask_for_reset(client, "edna@desk.example")
    path = link_in(mail.outbox[0]).removeprefix(site_url)
    form_url = client.get(path)["Location"]
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})

    again = client.get(path)

    assert again.status_code == 200
    assert "This link no longer works" in again.content.decode()


def test_an_unknown_address_gets_the_same_page_and_no_mail(client, editor, ask_for_reset):
    known = ask_for_reset(client, "edna@desk.example", follow=True)
    assert len(mail.outbox) == 1
    mail.outbox.clear()

    unknown = ask_for_reset(client, "nobody@desk.example", follow=True)

    assert unknown.redirect_chain == known.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert without_csrf_tokens(unknown) == without_csrf_tokens(known)
    assert mail.outbox == []


def test_a_malformed_address_is_refused_at_its_field(client, db, ask_for_reset):
    response = ask_for_reset(client, "not an address")

    assert response.status_code == 422
    assert "valid email address" in errors_at(response, "email")
    assert mail.outbox == []


def test_the_link_is_built_on_the_site_url_not_the_host_asked(
    client, editor, settings, site_url, ask_for_reset
):
    settings.ALLOWED_HOSTS = ["attacker.example"]

    ask_for_reset(client, "edna@desk.example", HTTP_HOST="attacker.example")

    assert link_in(mail.outbox[0]).startswith(f"{site_url}/")


def test_setting_a_new_password_lifts_a_sign_in_pause(client, editor, site_url, ask_for_reset):
    fail(client, "edna", 5)
    ask_for_reset(client, "edna@desk.example")
    form_url = client.get(link_in(mail.outbox[0]).removeprefix(site_url))["Location"]

    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})

    assert sign_in(client, "edna", NEW).status_code == 302


def test_inactive_accounts_and_unusable_passwords_get_no_mail(client, editor, ask_for_reset):
    editor.is_active = False
    editor.save()
    UserFactory(username="sso", email="sso@desk.example").set_unusable_password()

    ask_for_reset(client, "edna@desk.example")

    assert mail.outbox == []
