"""Idle sessions (claims.signin.idle): signed out after SESSION_IDLE_MINUTES without a request,
kept by activity, and the session written at most once a minute for it."""

import time

import pytest
from django.contrib.sessions.models import Session

from claims.signin.idle import LAST_ACTIVITY, RESOLUTION
from tests.api.conftest import token_client


def stamp_of(client) -> int | None:
    return client.session.get(LAST_ACTIVITY)


def idle_for(client, seconds: int) -> None:
    """Make the session's last request ``seconds`` ago."""
    session = client.session
    session[LAST_ACTIVITY] = int(time.time()) - seconds
    session.save()


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


def test_signing_in_stamps_the_session(signed_in):
    assert abs(stamp_of(signed_in) - time.time()) < 5


def test_an_idle_session_is_signed_out_and_told_why(signed_in, settings):
    settings.SESSION_IDLE_MINUTES = 60
    idle_for(signed_in, 61 * 60 + RESOLUTION)

    response = signed_in.get("/claims/?state=unverified")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/claims/%3Fstate%3Dunverified"
    login_page = signed_in.get(response["Location"]).content.decode()
    assert "You were signed out after 60 minutes without activity." in login_page
    assert "_auth_user_id" not in signed_in.session
    assert signed_in.get("/claims/").status_code == 302


def test_a_minute_short_of_the_limit_and_its_resolution_stays_signed_in(signed_in, settings):
    settings.SESSION_IDLE_MINUTES = 60
    idle_for(signed_in, 60 * 60 + RESOLUTION - 5)

    assert signed_in.get("/claims/").status_code == 200


def test_activity_moves_the_stamp_on(signed_in, settings):
    settings.SESSION_IDLE_MINUTES = 60
    idle_for(signed_in, 59 * 60)

    assert signed_in.get("/claims/").status_code == 200
    assert abs(stamp_of(signed_in) - time.time()) < 5
    idle_for(signed_in, 59 * 60)  # another 59 minutes on: still signed in
    assert signed_in.get("/claims/").status_code == 200


def test_the_session_is_not_written_again_within_a_minute(signed_in):
    idle_for(signed_in, RESOLUTION - 10)
    written = stamp_of(signed_in)
    session_row = Session.objects.get()
    expiry = session_row.expire_date

    signed_in.get("/claims/")

    assert stamp_of(signed_in) == written
    assert Session.objects.get().expire_date == expiry  # no save: save moves the expiry on


def test_a_minute_later_the_session_is_written_once(signed_in):
    idle_for(signed_in, RESOLUTION + 1)

    signed_in.get("/claims/")

    assert abs(stamp_of(signed_in) - time.time()) < 5


def test_the_limit_comes_from_the_setting(signed_in, settings):
    settings.SESSION_IDLE_MINUTES = 1
    idle_for(signed_in, 2 * 60 + 1)

    response = signed_in.get("/claims/", follow=True)

    assert "You were signed out after 1 minute without activity." in response.content.decode()


def test_zero_turns_it_off(signed_in, settings):
    settings.SESSION_IDLE_MINUTES = 0
    idle_for(signed_in, 30 * 24 * 3600)

    assert signed_in.get("/claims/").status_code == 200


def test_a_session_from_before_the_stamp_gets_one(signed_in):
    session = signed_in.session
    del session[LAST_ACTIVITY]
    session.save()

    assert signed_in.get("/claims/").status_code == 200
    assert abs(stamp_of(signed_in) - time.time()) < 5


def test_api_token_calls_have_no_session_to_touch(editor):
    api = token_client(editor)

    response = api.get("/api/v1/claims/")

    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0
