"""What every API answer shares: problem+json errors, rate limits in the shared cache, ETags,
and no caching of the desk's work."""

import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.exceptions import ValidationError
from rest_framework.test import APIRequestFactory

from claims import services
from claims.api import concurrency
from claims.api.problems import PreconditionFailed, PreconditionRequired
from tests.factories import ClaimFactory

SCHEMA = "/api/schema/?format=json"


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.django_db
def test_an_address_that_names_nothing_is_a_problem_not_a_page(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Not found"


@pytest.mark.django_db
def test_an_anonymous_schema_request_is_a_json_problem_not_yaml(client):
    response = client.get("/api/schema/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401


@pytest.mark.django_db
def test_the_documentation_pages_need_login_and_load_nothing_from_a_cdn(client, editor):
    assert client.get("/api/docs/").status_code == 302
    client.force_login(editor)
    for page in ("/api/docs/", "/api/redoc/"):
        html = client.get(page).content.decode()
        assert "/static/drf_spectacular_sidecar/" in html
        assert "cdn." not in html
        assert "unpkg" not in html


@pytest.fixture
def rates(settings):
    """Small limits, so a test can reach them."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/min", "anonymous": "2/min"},
    }
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
@pytest.mark.usefixtures("rates")
def test_a_token_over_its_limit_gets_429_with_retry_after(client, editor):
    _token, secret = services.api_token_create(actor=editor, name="busy")
    _other, other_secret = services.api_token_create(actor=editor, name="calm")
    for _ in range(3):
        assert client.get(SCHEMA, **bearer(secret)).status_code == 200
    response = client.get(SCHEMA, **bearer(secret))
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    wait = int(response["Retry-After"])
    assert 0 < wait <= 60
    assert response.json()["retry_after"] == wait
    assert response.json()["title"] == "Too many requests"
    # Counted per token: the same person's other tool is not held up.
    assert client.get(SCHEMA, **bearer(other_secret)).status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("rates")
def test_anonymous_calls_are_limited_per_address(client):
    for _ in range(2):
        assert client.get(SCHEMA, REMOTE_ADDR="198.51.100.7").status_code == 401
    assert client.get(SCHEMA, REMOTE_ADDR="198.51.100.7").status_code == 429
    assert client.get(SCHEMA, REMOTE_ADDR="198.51.100.8").status_code == 401


@pytest.mark.django_db
@pytest.mark.usefixtures("rates")
def test_guessing_tokens_is_limited_per_address(client):
    for guess in ("fct_a", "fct_b"):
        response = client.get(SCHEMA, REMOTE_ADDR="198.51.100.9", **bearer(guess))
        assert response.status_code == 401
    response = client.get(SCHEMA, REMOTE_ADDR="198.51.100.9", **bearer("fct_c"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
@pytest.mark.usefixtures("rates")
def test_the_counts_live_in_the_database_cache_every_process_shares(client, editor):
    _token, secret = services.api_token_create(actor=editor, name="x")
    client.get(SCHEMA, **bearer(secret))
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM factcheck_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("throttle_token_token-" in key for key in keys)


# ETags and If-Match.

factory = APIRequestFactory()


def _request(**headers):
    from rest_framework.request import Request

    return Request(factory.post("/", **headers))


@pytest.mark.django_db
def test_etag_names_claim_and_version():
    claim = ClaimFactory()
    assert concurrency.claim_etag(claim) == f'"claim-{claim.pk}-v{claim.version}"'


@pytest.mark.django_db
def test_if_match_gives_the_version_it_names():
    claim = ClaimFactory()
    tag = f'"claim-{claim.pk}-v7"'
    assert concurrency.expected_version(_request(HTTP_IF_MATCH=tag), claim) == 7
    listed = f'"claim-999999-v1", {tag}'
    assert concurrency.expected_version(_request(HTTP_IF_MATCH=listed), claim) == 7


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, {"HTTP_IF_MATCH": "*"}])
def test_a_write_without_a_version_in_if_match_is_428(headers):
    # "*" (any version) is no basis for a write that must say which version it read.
    with pytest.raises(PreconditionRequired):
        concurrency.expected_version(_request(**headers), ClaimFactory())


@pytest.mark.django_db
def test_an_if_match_that_is_no_entity_tag_is_bad_input():
    claim = ClaimFactory()
    with pytest.raises(ValidationError):
        concurrency.expected_version(_request(HTTP_IF_MATCH=f"claim-{claim.pk}-v1"), claim)


@pytest.mark.django_db
@pytest.mark.parametrize("tag", ['W/"claim-{pk}-v1"', '"claim-0-v1"', '"x"'])
def test_an_if_match_naming_no_version_of_the_claim_is_412(tag):
    claim = ClaimFactory()
    with pytest.raises(PreconditionFailed):
        concurrency.expected_version(_request(HTTP_IF_MATCH=tag.format(pk=claim.pk)), claim)
