"""Personal API tokens: kept as digests, acting as their user, read-only held to reading,
revoked at once; made on the settings page or by ``manage.py api_token``."""

import datetime
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from claims import clock, services
from claims.models import ApiToken, Claim
from claims.permissions import Action, available_actions
from tests.conftest import login
from tests.factories import UserFactory

SCHEMA = "/api/schema/?format=json"


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.django_db
def test_only_a_digest_of_the_secret_is_stored(editor):
    token, secret = services.api_token_create(actor=editor, name="CMS")
    row = ApiToken.objects.values().get(pk=token.pk)
    assert secret.startswith("fct_")
    assert len(secret) > 40
    assert row["digest"] == hashlib.sha256(secret.encode()).hexdigest()
    assert not any(secret in str(value) for value in row.values())
    assert row["prefix"] == secret[:12]
    assert secret.startswith(token.prefix)


@pytest.mark.django_db
def test_a_token_acts_as_its_user(client, editor):
    _token, secret = services.api_token_create(actor=editor, name="script")
    response = client.get(SCHEMA, **bearer(secret))
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "factcheck API"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Bearer fct_not-a-real-token", "This is not a valid token."),
        ("Bearer", "Send the header as “Bearer <token>”."),
        ("Bearer two words", "Send the header as “Bearer <token>”."),
    ],
)
def test_a_bad_token_is_a_401_problem_with_a_challenge(client, header, detail):
    response = client.get(SCHEMA, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {
        "type": "about:blank",
        "title": "Not authenticated",
        "status": 401,
        "detail": detail,
    }


@pytest.mark.django_db
def test_a_revoked_token_stops_working_at_once(client, editor):
    token, secret = services.api_token_create(actor=editor, name="old laptop")
    assert client.get(SCHEMA, **bearer(secret)).status_code == 200
    services.api_token_revoke(actor=editor, token=token)
    response = client.get(SCHEMA, **bearer(secret))
    assert response.status_code == 401
    assert response.json()["detail"] == "This token has been revoked."


@pytest.mark.django_db
def test_a_deactivated_accounts_token_stops_working(client, editor):
    _token, secret = services.api_token_create(actor=editor, name="script")
    editor.is_active = False
    editor.save()
    response = client.get(SCHEMA, **bearer(secret))
    assert response.status_code == 401
    assert response.json()["detail"] == "This token's account is deactivated."


@pytest.mark.django_db
def test_a_user_without_a_role_is_refused(client):
    nobody = UserFactory()
    login(client, nobody)
    response = client.get(SCHEMA)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=nobody, name="x")


@pytest.mark.django_db
def test_last_use_is_written_at_most_once_a_minute(client, editor):
    token, secret = services.api_token_create(actor=editor, name="script")
    first = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)
    with clock.replaying(first):
        client.get(SCHEMA, **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == first
    with clock.replaying(first + datetime.timedelta(seconds=30)):
        client.get(SCHEMA, **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == first
    later = first + datetime.timedelta(minutes=2)
    with clock.replaying(later):
        client.get(SCHEMA, **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == later


@pytest.mark.django_db
def test_a_read_only_token_may_read_and_nothing_else(editor, claim):
    token, _secret = services.api_token_create(actor=editor, name="dashboard", read_only=True)
    editor.api_token = token
    assert available_actions(editor, claim) == {Action.VIEW}
    with pytest.raises(PermissionDenied, match=r"This API token is read-only\."):
        services.claim_create(actor=editor, text="Refused", claimant="Nobody")
    assert not Claim.objects.filter(text="Refused").exists()


@pytest.mark.django_db
def test_only_the_owner_revokes_a_token(editor, reviewer):
    token, _secret = services.api_token_create(actor=editor, name="mine")
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=reviewer, token=token)
    token.refresh_from_db()
    assert token.is_active


# The settings page.


@pytest.mark.django_db
def test_the_settings_page_shows_a_new_secret_once(client, reviewer):
    login(client, reviewer)
    response = client.post("/settings/tokens/", {"token-name": "tipline", "token-read_only": "on"})
    assert response.status_code == 201
    token = ApiToken.objects.get(user=reviewer)
    assert token.name == "tipline"
    assert token.read_only
    secret = response.context["new_token"][1]
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret in response.content.decode()
    again = client.get("/settings/").content.decode()
    assert secret not in again
    assert token.prefix in again
    assert "tipline" in again
    assert "Read only" in again


@pytest.mark.django_db
def test_a_bad_token_name_keeps_what_was_typed(client, reviewer):
    login(client, reviewer)
    response = client.post("/settings/tokens/", {"token-name": "x" * 101})
    assert response.status_code == 422
    assert response.context["token_form"]["name"].value() == "x" * 101
    assert "Ensure this value has at most 100 characters" in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_revoking_from_the_settings_page(client, reviewer, editor):
    mine, _ = services.api_token_create(actor=reviewer, name="mine")
    theirs, _ = services.api_token_create(actor=editor, name="theirs")
    login(client, reviewer)
    assert client.post(f"/settings/tokens/{theirs.pk}/revoke/").status_code == 404
    response = client.post(f"/settings/tokens/{mine.pk}/revoke/", follow=True)
    assert response.status_code == 200
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert not mine.is_active
    assert theirs.is_active
    assert "Token “mine” revoked." in response.content.decode()


@pytest.mark.django_db
def test_token_pages_need_login_and_post(client, reviewer):
    assert client.post("/settings/tokens/", {"token-name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()
    login(client, reviewer)
    assert client.get("/settings/tokens/").status_code == 405


# The command.


@pytest.mark.django_db
def test_the_command_prints_a_working_token_once(client, editor):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", editor.username, "--name", "CMS", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    token = ApiToken.objects.get(user=editor)
    assert token.name == "CMS"
    assert not token.read_only
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert "not shown again" in err.getvalue()
    assert client.get(SCHEMA, **bearer(secret)).status_code == 200


@pytest.mark.django_db
def test_the_command_makes_read_only_tokens(editor):
    call_command(
        "api_token", editor.username, "--read-only", stdout=io.StringIO(), stderr=io.StringIO()
    )
    token = ApiToken.objects.get(user=editor)
    assert token.read_only
    assert token.name == "cli"


@pytest.mark.django_db
def test_the_command_refuses_unknown_users_and_people_without_a_role():
    with pytest.raises(CommandError, match="No user is called “ghost”"):
        call_command("api_token", "ghost", stdout=io.StringIO())
    nobody = UserFactory()
    with pytest.raises(CommandError, match="cannot hold a token"):
        call_command("api_token", nobody.username, stdout=io.StringIO())
    assert not ApiToken.objects.exists()
