"""schemathesis against the app's own schema, with an editor's token: every operation, with
generated valid and invalid requests; no 500, and every answer as the schema says.

The paths name rows that exist (a claim with evidence, a reviewer's assignment, a comment, a
source), made with fixed ids so that the schema's parameters can name them, so the requests
reach the services rather than a 404; ids out of range or of the wrong type are tried in
``test_errors``. Examples are few and drawn deterministically: the run is the same on every
machine and on both databases.
"""

import json

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from schemathesis.config import SchemathesisConfig

from claims import netguard
from claims.models import (
    Comment,
    DeliveryStatus,
    Stance,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEventType,
)
from claims.services import api_token_create
from claims.webhooks.services import webhook_endpoint_create
from factcheck.wsgi import application
from tests.factories import (
    AppearanceFactory,
    AssignmentFactory,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
)

MAX_EXAMPLES = 10
# Far above what the database's sequences give out in a test, so rows made meanwhile (by the
# requests themselves) never collide with these.
CLAIM, EVIDENCE, ASSIGNMENT, COMMENT, SOURCE = 900_001, 900_002, 900_003, 900_004, 900_005
WEBHOOK, DELIVERY = 900_006, 900_007


def _schema() -> dict:
    """The schema as /api/schema/ serves it (built here: collecting tests reads no database)."""
    spec = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(spec))


# Three of the checks' expected answers, told what the API promises beyond any schema:
# - a required If-Match left out is 428 Precondition Required (RFC 6585), as issue 14 asks;
# - a body larger than the desk reads is 413 Content Too Large (RFC 9110), whatever is in it;
# - a write the schema allows may still be refused for what the claim is now, not for its
#   shape: 412 when If-Match names a version since changed (RFC 9110: no schema can say which
#   version is current), 400 when the workflow forbids it (a verdict without the evidence it
#   needs, a reviewer id that names no reviewer, a link already retracted). Reads get no such
#   allowance: every schema-valid query is answered 2xx.
WRITE_REFUSALS = ["2xx", "3xx", "400", "401", "403", "404", "409", "412", "429", "5xx"]
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 14,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True},
        "parameters": {"claim_id": str(CLAIM), "endpoint_id": str(WEBHOOK)},
        "checks": {
            "missing_required_header": {
                "expected-statuses": ["400", "401", "403", "406", "415", "422", "428"]
            },
            "negative_data_rejection": {
                "expected-statuses": [
                    *("400", "401", "403", "404", "405", "406", "409", "413", "415", "422"),
                    *("428", "429", "5xx"),
                ]
            },
        },
        "operations": [
            *(
                {"include-path-regex": pattern, "parameters": {"id": str(pk)}}
                for pattern, pk in (
                    ("/evidence/", EVIDENCE),
                    ("/assignments/", ASSIGNMENT),
                    ("/comments/", COMMENT),
                    ("/sources/", SOURCE),
                    (r"/webhooks/\{id\}/", WEBHOOK),
                    ("/deliveries/", DELIVERY),
                    (r"/claims/\{id\}/$", CLAIM),
                )
            ),
            {
                "include-method-regex": "^(POST|PUT|PATCH)$",
                "checks": {"positive_data_acceptance": {"expected-statuses": WRITE_REFUSALS}},
            },
        ],
    }
)
schema = schemathesis.openapi.from_dict(_schema(), config=CONFIG)
schema.app = application


@pytest.fixture
def desk(editor, reviewer, settings, monkeypatch):
    """The rows the paths name, and an editor's token to call with."""
    # The run makes more calls a minute than a token, or an address without one (the checks
    # of ignored authentication), may; the limits have their own tests.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "1000000/min", "anonymous": "1000000/min"},
    }
    claim = ClaimFactory(pk=CLAIM, supporting_count=1, created_by=editor)
    AppearanceFactory(claim=claim, source=SourceFactory(pk=SOURCE))
    EvidenceFactory(pk=EVIDENCE, claim=claim, stance=Stance.SUPPORTS, added_by=editor)
    AssignmentFactory(pk=ASSIGNMENT, claim=claim, reviewer=reviewer, assigned_by=editor)
    Comment.objects.create(pk=COMMENT, claim=claim, author=editor, text="Check the date.")
    ClaimFactory.create_batch(3)
    # Generated webhook addresses name hosts nobody owns: each "resolves" to loopback (which
    # the test settings allow) rather than waiting on DNS. No delivery is sent: the test's
    # transaction never commits.
    monkeypatch.setattr(netguard, "resolve", lambda host, port: ["127.0.0.1"])
    endpoint, _secret = webhook_endpoint_create(
        editor, url="https://cms.example.org/hooks", event_types=[WebhookEventType.CLAIM_EDITED]
    )
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(id=WEBHOOK)
    WebhookDelivery.objects.create(
        pk=DELIVERY,
        endpoint_id=WEBHOOK,
        event_id=1,
        event_type=WebhookEventType.CLAIM_EDITED,
        payload={},
        status=DeliveryStatus.FAILED,
        attempts=1,
        created_at=claim.created_at,
    )
    _token, secret = api_token_create(actor=editor, name="schemathesis")
    # schemathesis calls the WSGI application itself, which closes the database connection
    # after each request; inside the test's transaction it must stay open, as Django's test
    # client keeps it.
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield {"Authorization": f"Bearer {secret}"}
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_every_operation_conforms(case, desk):
    case.call_and_validate(headers=desk)
