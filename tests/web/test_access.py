"""The editor UI's doors: login, roles, the header's links and missing claims."""

import re

import pytest
from django.urls import reverse

from claims.models import Claim
from tests.conftest import detail_url, login

# Access -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/claims/", "/claims/mine/", "/claims/new/", "/sources/new/", "/corrections/"]
)
def test_pages_require_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_claim_page_requires_login(client, claim):
    assert client.get(detail_url(claim))["Location"].startswith("/login/")


def test_user_without_a_role_gets_403(client, claim):
    from tests.factories import UserFactory

    login(client, UserFactory(username="no_role"))
    response = client.get("/claims/")
    assert response.status_code == 403
    assert "no role on this desk" in response.content.decode()


@pytest.mark.parametrize("user_fixture", ["reviewer", "viewer"])
def test_only_editors_create_and_edit(client, claim, request, user_fixture):
    login(client, request.getfixturevalue(user_fixture))
    assert client.get("/claims/new/").status_code == 403
    assert client.get(reverse("claims:edit", args=[claim.pk])).status_code == 403
    response = client.post("/claims/new/", {"text": "x", "claimant": "y"})
    assert response.status_code == 403
    assert Claim.objects.count() == 1


def test_login_and_logout(client, editor):
    editor.set_password("a long pass phrase")
    editor.save()
    response = client.post("/login/", {"username": "edna", "password": "a long pass phrase"})
    assert response.status_code == 302
    assert client.get("/claims/").status_code == 200

    assert client.get("/logout/").status_code == 405  # a GET must not log anyone out
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/claims/")["Location"].startswith("/login/")


def test_wrong_password_keeps_the_username_and_says_so(client, editor):
    response = client.post("/login/", {"username": "edna", "password": "wrong"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="edna"' in page
    assert "correct username and password" in page


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        (
            "editor",
            {"Claim queue", "My queue", "New claim", "Corrections", "Dashboard", "Webhooks"},
        ),
        ("reviewer", {"Claim queue", "My queue", "Corrections"}),
        ("viewer", {"Claim queue", "Corrections"}),  # a viewer is never assigned claims
    ],
)
def test_header_offers_the_pages_the_user_may_open(client, db, request, role, offered):
    login(client, request.getfixturevalue(role))
    page = client.get("/claims/").content.decode()
    nav = page.split('<nav class="nav"', 1)[1].split("</nav>", 1)[0]
    assert set(re.findall(r">([^<]+)</a>", nav)) == offered


@pytest.mark.parametrize(
    ("role", "landing"),
    [("editor", "claims:list"), ("reviewer", "claims:my_queue"), ("viewer", "claims:list")],
)
def test_home_sends_reviewers_to_their_queue_and_others_to_the_desk(
    client, db, request, role, landing
):
    login(client, request.getfixturevalue(role))
    assert client.get("/")["Location"] == reverse(landing)


def test_login_lands_a_reviewer_on_my_queue(client, reviewer):
    reviewer.set_password("a long pass phrase")
    reviewer.save()
    response = client.post(
        "/login/", {"username": reviewer.username, "password": "a long pass phrase"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("claims:my_queue")


def test_missing_claim_is_404(client, editor):
    login(client, editor)
    assert client.get("/claims/999999/").status_code == 404
