"""What the API tests share: a client per role, acting through a personal token."""

import pytest
from rest_framework.test import APIClient

from claims.api.concurrency import claim_etag
from claims.models import Claim
from claims.services import api_token_create


def token_client(user, *, read_only: bool = False) -> APIClient:
    """A client sending ``Authorization: Bearer`` with a new token of ``user``'s."""
    _token, secret = api_token_create(actor=user, name="tests", read_only=read_only)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def editor_api(editor):
    return token_client(editor)


@pytest.fixture
def reviewer_api(reviewer):
    return token_client(reviewer)


@pytest.fixture
def other_reviewer_api(other_reviewer):
    return token_client(other_reviewer)


@pytest.fixture
def viewer_api(viewer):
    return token_client(viewer)


@pytest.fixture
def read_only_api(editor):
    """An editor's read-only token: it reads what the editor reads and writes nothing."""
    return token_client(editor, read_only=True)


def if_match(claim) -> dict:
    """The If-Match header naming ``claim``'s version as it is now."""
    return {"HTTP_IF_MATCH": claim_etag(Claim.objects.get(pk=claim.pk))}


def claim_url(claim, part: str = "") -> str:
    return f"/api/v1/claims/{claim.pk}/" + (f"{part}/" if part else "")
