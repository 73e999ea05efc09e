"""Concurrency through the API's own endpoints: every answer about a claim carries its ETag;
the writes the desk UI checks take it back in If-Match (428 without, 412 when what they rest
on moved); the writes that conflict with nothing take none and never make another stale."""

import pytest

from claims import services
from claims.models import Claim, ReviewState, Stance

from .conftest import claim_url, if_match

pytestmark = pytest.mark.django_db


def etag_of(claim) -> str:
    claim = Claim.objects.get(pk=claim.pk)
    return f'"claim-{claim.pk}-v{claim.version}"'


def test_reading_a_claim_gives_its_etag_and_if_none_match_answers_304(editor_api, claim):
    response = editor_api.get(claim_url(claim))
    assert response.status_code == 200
    assert response["ETag"] == etag_of(claim)
    assert response.json()["etag"] == etag_of(claim)

    again = editor_api.get(claim_url(claim), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]

    services.evidence_add(
        actor=claim.created_by, claim=claim, stance=Stance.SUPPORTS, url="https://a.example.org/"
    )
    moved = editor_api.get(claim_url(claim), HTTP_IF_NONE_MATCH=response["ETag"])
    assert moved.status_code == 200
    assert moved["ETag"] != response["ETag"]


def test_an_edit_without_if_match_is_428_and_writes_nothing(editor_api, claim):
    response = editor_api.patch(claim_url(claim), {"claimant": "Someone"}, format="json")
    assert response.status_code == 428
    assert response["Content-Type"] == "application/problem+json"
    assert "If-Match" in response.json()["detail"]
    assert Claim.objects.get(pk=claim.pk).claimant == claim.claimant


def test_an_if_match_that_is_not_an_entity_tag_is_400(editor_api, claim):
    response = editor_api.patch(
        claim_url(claim), {"claimant": "Someone"}, format="json", HTTP_IF_MATCH="v1"
    )
    assert response.status_code == 400
    assert "If-Match" in response.json()["errors"]


def test_another_claims_etag_is_412(editor_api, claim, editor, source):
    other = services.claim_create(
        actor=editor,
        text="Another claim.",
        claimant="Someone",
        appearances=[services.AppearanceInput(source, "another claim")],
    )
    response = editor_api.patch(
        claim_url(claim), {"claimant": "X"}, format="json", HTTP_IF_MATCH=etag_of(other)
    )
    assert response.status_code == 412


def test_an_edit_answers_with_the_new_etag_which_the_next_edit_uses(editor_api, claim):
    first = editor_api.patch(
        claim_url(claim), {"claimant": "The president"}, format="json", **if_match(claim)
    )
    assert first.status_code == 200
    assert first["ETag"] == etag_of(claim) != f'"claim-{claim.pk}-v{claim.version}"'

    second = editor_api.patch(
        claim_url(claim), {"claimed_on": "2025-06-21"}, format="json", HTTP_IF_MATCH=first["ETag"]
    )
    assert second.status_code == 200
    stale = editor_api.patch(
        claim_url(claim), {"claimant": "Nobody"}, format="json", HTTP_IF_MATCH=first["ETag"]
    )
    # The claimant was not changed since first's version: the edit merges over the date.
    assert stale.status_code == 200
    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.claimant, str(claim.claimed_on)) == ("Nobody", "2025-06-21")


def test_a_field_someone_else_changed_meanwhile_is_412_naming_it(
    editor_api, reviewer_api, claim, editor
):
    read = editor_api.get(claim_url(claim))
    services.claim_update(
        actor=editor,
        claim=claim,
        expected_version=claim.version,
        text=claim.text,
        claimant="Rosa's correction",
        claimed_on=claim.claimed_on,
    )

    response = editor_api.patch(
        claim_url(claim), {"claimant": "Mine"}, format="json", HTTP_IF_MATCH=read["ETag"]
    )

    assert response.status_code == 412
    problem = response.json()
    assert problem["conflicting_fields"] == ["claimant"]
    assert problem["current_version"] == Claim.objects.get(pk=claim.pk).version
    assert "edited" in problem["detail"]
    assert "v" + str(claim.version) not in problem["detail"]  # in words, no version numbers
    assert Claim.objects.get(pk=claim.pk).claimant == "Rosa's correction"


def test_adding_evidence_needs_no_version_and_leaves_an_edit_valid(
    editor_api, reviewer_api, claim, editor, reviewer
):
    services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer)
    read = editor_api.get(claim_url(claim))

    added = reviewer_api.post(
        claim_url(claim, "evidence"),
        {"stance": "contradicts", "url": "https://wire.example.org/report"},
        format="json",
    )
    assert added.status_code == 201
    assert added["ETag"] == etag_of(claim) != read["ETag"]

    edited = editor_api.patch(
        claim_url(claim), {"claimant": "The White House"}, format="json", HTTP_IF_MATCH=read["ETag"]
    )
    assert edited.status_code == 200


def test_a_state_move_on_a_stale_etag_is_412_only_when_what_it_rests_on_moved(
    editor_api, claim, editor
):
    link = services.evidence_add(
        actor=editor, claim=claim, stance=Stance.SUPPORTS, url="https://a.example.org/"
    )
    read = editor_api.get(claim_url(claim))
    services.evidence_add(
        actor=editor, claim=claim, stance=Stance.CONTRADICTS, url="https://b.example.org/"
    )
    move = {"state": ReviewState.CORROBORATED, "rationale": "The record bears it out."}

    # A link added since does not undo the move...
    assert (
        editor_api.post(
            claim_url(claim, "state"), move, format="json", HTTP_IF_MATCH=read["ETag"]
        ).status_code
        == 200
    )

    # ...a move since does, and so does retracting the link the move rests on.
    back = {
        "state": ReviewState.UNVERIFIED,
        "rationale": "Reopened.",
        "correction_note": "We reopened this check.",
    }
    stale = editor_api.post(
        claim_url(claim, "state"), back, format="json", HTTP_IF_MATCH=read["ETag"]
    )
    assert stale.status_code == 412
    assert Claim.objects.get(pk=claim.pk).state == ReviewState.CORROBORATED

    fresh = editor_api.post(claim_url(claim, "state"), back, format="json", **if_match(claim))
    assert fresh.status_code == 200, fresh.json()
    before_retraction = etag_of(claim)
    services.evidence_retract(actor=editor, evidence=link, reason="Wrong page.")
    rests_on_retracted = editor_api.post(
        claim_url(claim, "state"), move, format="json", HTTP_IF_MATCH=before_retraction
    )
    assert rests_on_retracted.status_code == 412
    assert "retracted" in rests_on_retracted.json()["detail"]
    assert Claim.objects.get(pk=claim.pk).state == ReviewState.UNVERIFIED


def test_a_state_move_without_if_match_is_428(editor_api, claim):
    move = {"state": ReviewState.DISPUTED, "rationale": "No."}
    response = editor_api.post(claim_url(claim, "state"), move, format="json")
    assert response.status_code == 428
    assert Claim.objects.get(pk=claim.pk).state == ReviewState.UNVERIFIED


def test_a_source_edit_takes_the_sources_own_etag(editor_api, source):
    read = editor_api.get(f"/api/v1/sources/{source.pk}/")
    tag = read["ETag"]
    assert tag == f'"source-{source.pk}-v{source.version}"'
    url = f"/api/v1/sources/{source.pk}/"

    assert editor_api.patch(url, {"outlet": "Wire"}, format="json").status_code == 428
    saved = editor_api.patch(url, {"outlet": "Wire"}, format="json", HTTP_IF_MATCH=tag)
    assert saved.status_code == 200
    assert saved["ETag"] != tag
    stale = editor_api.patch(url, {"outlet": "Other"}, format="json", HTTP_IF_MATCH=tag)
    assert stale.status_code == 412
