"""Each write through the API, by each kind of caller: the answer is the desk UI's, decided by
``claims.permissions``, and a refused write changes nothing (no row, no event, no new version).

The callers: a viewer; a reviewer not assigned to the claim; the reviewer assigned to it; an
editor; and the same editor through a read-only token, which may write nothing.
"""

from dataclasses import dataclass

import pytest

from claims import services
from claims.models import AuditEvent, Claim, Source, Stance

from .conftest import claim_url, if_match, token_client

pytestmark = pytest.mark.django_db

CALLERS = ("viewer", "outsider", "assigned", "editor", "read_only")


@dataclass
class Desk:
    """A claim with a supporting link the assigned reviewer added, a link the editor added, an
    open assignment, and a second reviewer with no part in it."""

    claim: Claim
    editor: object
    assigned: object
    outsider: object
    viewer: object
    own_link: object
    editors_link: object
    assignment: object

    def api(self, caller: str):
        if caller == "read_only":
            return token_client(self.editor, read_only=True)
        return token_client(getattr(self, caller))


@pytest.fixture
def desk(claim, editor, reviewer, other_reviewer, viewer):
    assignment = services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer)
    own_link = services.evidence_add(
        actor=reviewer,
        claim=claim,
        stance=Stance.SUPPORTS,
        url="https://archive.example.org/briefing",
    )
    editors_link = services.evidence_add(
        actor=editor,
        claim=claim,
        stance=Stance.CONTRADICTS,
        url="https://wire.example.org/report",
    )
    return Desk(
        claim=Claim.objects.get(pk=claim.pk),
        editor=editor,
        assigned=reviewer,
        outsider=other_reviewer,
        viewer=viewer,
        own_link=own_link,
        editors_link=editors_link,
        assignment=assignment,
    )


def _create_claim(api, desk):
    source = desk.claim.appearances.first().source_id
    body = {
        "text": "Turnout fell by a third.",
        "claimant": "Council spokesperson",
        "appearances": [{"source": source, "quote": "fell by a third"}],
    }
    return api.post("/api/v1/claims/", body, format="json")


def _edit_claim(api, desk):
    return api.patch(
        claim_url(desk.claim), {"claimant": "The mayor"}, format="json", **if_match(desk.claim)
    )


def _add_evidence(api, desk):
    body = {"stance": "supports", "url": "https://records.example.org/minutes"}
    return api.post(claim_url(desk.claim, "evidence"), body, format="json")


def _retract_own_link(api, desk):
    url = claim_url(desk.claim, f"evidence/{desk.own_link.pk}/retract")
    return api.post(url, {"reason": "The page moved."}, format="json")


def _retract_editors_link(api, desk):
    url = claim_url(desk.claim, f"evidence/{desk.editors_link.pk}/retract")
    return api.post(url, {"reason": "Wrong report."}, format="json")


def _move_state(api, desk):
    body = {"state": "corroborated", "rationale": "The briefing's transcript bears it out."}
    return api.post(claim_url(desk.claim, "state"), body, format="json", **if_match(desk.claim))


def _assign(api, desk):
    body = {"reviewer": desk.outsider.pk}
    return api.post(claim_url(desk.claim, "assignments"), body, format="json")


def _complete(api, desk):
    url = claim_url(desk.claim, f"assignments/{desk.assignment.pk}/complete")
    return api.post(url, {"note": "Done."}, format="json")


def _withdraw(api, desk):
    url = claim_url(desk.claim, f"assignments/{desk.assignment.pk}/withdraw")
    return api.post(url, {"reason": "Needed elsewhere."}, format="json")


def _comment(api, desk):
    body = {"text": "Has anyone called the council?"}
    return api.post(claim_url(desk.claim, "comments"), body, format="json")


def _add_source(api, desk):
    return api.post("/api/v1/sources/", {"title": "Council minutes"}, format="json")


# Who may: the desk's rules, written out (the UI's tests hold the same table for its forms).
WRITES = {
    _create_claim: {"editor"},
    _edit_claim: {"editor"},
    _add_evidence: {"assigned", "editor"},
    _retract_own_link: {"assigned", "editor"},
    _retract_editors_link: {"editor"},
    _move_state: {"assigned", "editor"},
    _assign: {"editor"},
    _complete: {"assigned", "editor"},
    _withdraw: {"editor"},
    _comment: {"outsider", "assigned", "editor"},
    _add_source: {"editor"},
}


def _footprint(desk) -> tuple:
    """What a refused write must leave as it was."""
    claim = Claim.objects.get(pk=desk.claim.pk)
    return (
        claim.version,
        claim.state,
        AuditEvent.objects.count(),
        Claim.objects.count(),
        Source.objects.count(),
        desk.claim.comments.count(),
    )


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("write", list(WRITES), ids=lambda write: write.__name__.strip("_"))
def test_each_write_is_allowed_exactly_to_those_the_desk_allows(desk, write, caller):
    assert_allowed_only_to(WRITES[write], desk, write, caller)


def assert_allowed_only_to(allowed: set, desk, write, caller) -> None:
    """``write`` by ``caller`` succeeds and changes something when ``caller`` is ``allowed``;
    else it is a 403 problem and changes nothing."""
    before = _footprint(desk)

    response = write(desk.api(caller), desk)

    if caller in allowed:
        assert response.status_code in (200, 201), response.content
        assert _footprint(desk) != before
    else:
        assert response.status_code == 403, response.content
        assert response["Content-Type"] == "application/problem+json"
        assert _footprint(desk) == before


@pytest.mark.parametrize("write", list(WRITES), ids=lambda write: write.__name__.strip("_"))
def test_a_read_only_token_is_told_so(desk, write):
    response = write(desk.api("read_only"), desk)
    assert response.json()["detail"] == "This API token is read-only."


def test_a_refusal_names_the_action_in_the_desks_words(desk):
    response = _add_evidence(desk.api("outsider"), desk)
    assert response.json()["detail"] == "You do not have permission to add evidence to this claim."


@pytest.mark.parametrize("caller", CALLERS)
def test_every_caller_reads_the_claim_and_is_told_what_they_may_do(desk, caller):
    response = desk.api(caller).get(claim_url(desk.claim))
    assert response.status_code == 200
    actions = set(response.json()["actions"])
    assert ("add_evidence" in actions) == (caller in {"assigned", "editor"})
    assert ("edit_claim" in actions) == (caller == "editor")
    if caller == "read_only":
        assert actions == {"view"}


# With sign-off on: proposing, signing off, returning, and choosing how a claim is reviewed.


@pytest.fixture
def signoff(settings):
    settings.FACTCHECK_SIGNOFF = True


def _propose(api, desk):
    body = {"state": "corroborated", "rationale": "The transcript bears it out."}
    url = claim_url(desk.claim, "proposals")
    return api.post(url, body, format="json", **if_match(desk.claim))


def _proposal_by_the_reviewer(desk):
    return services.verdict_propose(
        actor=desk.assigned,
        claim=desk.claim,
        expected_version=Claim.objects.get(pk=desk.claim.pk).version,
        state="corroborated",
        rationale="The transcript bears it out.",
    )


def _sign_off(api, desk):
    url = claim_url(desk.claim, f"proposals/{desk.proposal.pk}/sign-off")
    return api.post(url, {"note": "Agreed."}, format="json")


def _return(api, desk):
    url = claim_url(desk.claim, f"proposals/{desk.proposal.pk}/return")
    return api.post(url, {"note": "Cite the transcript itself."}, format="json")


def _review_independently(api, desk):
    url = claim_url(desk.claim, "review-mode")
    return api.post(url, {"independent": True}, format="json")


SIGNOFF_WRITES = {
    _propose: {"assigned", "editor"},
    # The proposer cannot sign off or return their own proposal; an editor can.
    _sign_off: {"editor"},
    _return: {"editor"},
    _review_independently: {"editor"},
}


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("write", list(SIGNOFF_WRITES), ids=lambda write: write.__name__.strip("_"))
def test_each_signoff_write_is_allowed_exactly_to_those_the_desk_allows(
    signoff, desk, write, caller
):
    if write in (_sign_off, _return):
        desk.proposal = _proposal_by_the_reviewer(desk)
    assert_allowed_only_to(SIGNOFF_WRITES[write], desk, write, caller)


def test_with_signoff_on_a_direct_move_is_refused_with_where_to_propose(signoff, desk):
    response = _move_state(desk.api("assigned"), desk)
    assert response.status_code == 403
    assert f"/api/v1/claims/{desk.claim.pk}/proposals/" in response.json()["detail"]
    assert Claim.objects.get(pk=desk.claim.pk).state == desk.claim.state
