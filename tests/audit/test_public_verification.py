"""The public verification pages: open without signing in, they show a published verdict and
whether its history is in the newest signed checkpoint, and hide every unpublished claim."""

import json

import pytest

from claims import services
from claims.audit import checkpoints, proofcheck
from claims.audit.signing import private_key_from, public_key_text
from claims.models import AuditLogEntry, ReviewState, Stance
from tests.conftest import add_evidence, change_state

from .conftest import KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(claim, editor):
    add_evidence(claim, editor, Stance.SUPPORTS, "https://records.example/a")
    return change_state(claim, editor, ReviewState.CORROBORATED, "The records bear it out.")


def test_a_published_verdict_in_a_checkpoint_is_confirmed_without_signing_in(
    client, signing, published
):
    checkpoints.make_checkpoint()
    page = client.get(f"/verify/{published.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Included in a signed checkpoint" in html
    position = AuditLogEntry.objects.get(
        event__claim_id=published.pk, event__sequence=published.audit_length
    )
    assert f"its latest event is leaf {position.position} of the signed tree" in html
    assert "The records bear it out." in html
    assert public_key_text(private_key_from(KEY).public_key()) in html


def test_the_downloaded_proof_checks_out_with_the_public_key_alone(client, signing, published):
    checkpoints.make_checkpoint()
    download = client.get(f"/verify/{published.pk}/proof.json")
    assert download["Content-Disposition"] == (
        f'attachment; filename="verdict-{published.pk}-proof.json"'
    )
    document = json.loads(download.content)
    assert set(document["history"][0]) == {"sequence", "previous_hash", "hash"}  # no contents
    key = private_key_from(KEY).public_key()
    assert proofcheck.check_claim(document, key) == []


def test_a_verdict_changed_since_the_checkpoint_is_not_confirmed_yet(
    client, signing, published, editor
):
    checkpoints.make_checkpoint()
    services.evidence_add(
        actor=editor, claim=published, stance=Stance.SUPPORTS, url="https://records.example/b"
    )
    html = client.get(f"/verify/{published.pk}/").content.decode()
    assert "Not confirmed" in html
    assert "is not in a signed checkpoint yet" in html


def test_unpublished_claims_are_not_found(client, signing, claim):
    checkpoints.make_checkpoint()
    assert client.get(f"/verify/{claim.pk}/").status_code == 404
    assert client.get(f"/verify/{claim.pk}/proof.json").status_code == 404
    assert client.get("/verify/999999/").status_code == 404


def test_the_index_names_the_key_and_sends_a_number_to_its_verdict(client, signing, published):
    checkpoints.make_checkpoint()
    index = client.get("/verify/")
    assert index.status_code == 200
    assert "The newest checkpoint covers" in index.content.decode()
    assert client.get("/verify/", {"claim": f"#{published.pk}"})["Location"] == (
        f"/verify/{published.pk}/"
    )
    bad = client.get("/verify/", {"claim": "forty-two"})
    assert bad.status_code == 404
    assert 'value="forty-two"' in bad.content.decode()


def test_without_a_key_the_page_says_the_desk_signs_nothing(client, settings, published):
    settings.AUDIT_SIGNING_KEY = ""
    settings.AUDIT_SIGNING_KEY_FILE = ""
    assert "This desk signs no checkpoints yet." in client.get("/verify/").content.decode()
    assert (
        "this desk signs no checkpoints yet"
        in client.get(f"/verify/{published.pk}/").content.decode()
    )
