"""Each verdict's stage spans, kept by triggers (claims.db.triggers) from the proposal and
publication rows, however those rows were written."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from claims import clock
from claims.models import (
    Assignment,
    Claim,
    Evidence,
    Proposal,
    ProposalStatus,
    Publication,
    StageSpan,
)
from tests.signoff.test_stages import Desk, at

HOUR = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def signoff_on(settings):
    settings.FACTCHECK_SIGNOFF = True


def spans(claim=None) -> list[tuple]:
    rows = StageSpan.objects.order_by("stage", "ended_at", "id")
    if claim is not None:
        rows = rows.filter(claim=claim)
    return [(span.stage, span.person_id, span.proposal_id, span.seconds / 3600) for span in rows]


def test_proposing_signing_off_and_publishing_write_the_spans(editor, reviewer):
    write = Desk(editor)
    claim = write.claim(at(0, 9), reviewer)
    first = write.propose(at(0, 10), claim, reviewer)
    assert spans(claim) == [("proposal", reviewer.pk, None, 1)]

    write.send_back(at(0, 11), first)
    again = write.propose(at(0, 13), claim, reviewer)
    assert spans(claim) == [("proposal", reviewer.pk, None, 1)]  # the first proposal stays

    write.sign_off(at(0, 15), again)
    assert spans(claim) == [
        ("proposal", reviewer.pk, None, 1),
        ("publication", reviewer.pk, None, 6),
        ("signoff", reviewer.pk, again.pk, 2),
    ]
    correction = write.propose(
        at(1, 9), claim, reviewer, rationale="Newer figures agree.", correction_note="Updated."
    )
    write.sign_off(at(1, 10), correction)
    assert spans(claim)[1:] == [
        ("publication", reviewer.pk, None, 6),  # the first publication only
        ("signoff", reviewer.pk, again.pk, 2),
        ("signoff", reviewer.pk, correction.pk, 1),
    ]
    span = StageSpan.objects.get(proposal_id=again.pk)
    assert (span.started_at, span.ended_at) == (at(0, 13), at(0, 15))


def test_a_withdrawn_or_returned_proposal_is_no_signoff(editor, reviewer):
    write = Desk(editor)
    claim = write.claim(at(0, 9), reviewer)
    write.withdraw(at(0, 11), write.propose(at(0, 10), claim, reviewer))
    assert [stage for stage, *_rest in spans(claim)] == ["proposal"]


def test_rows_written_in_bulk_get_their_spans(editor, reviewer):
    """As seed_bulk and migrations write them: decided and published in the row as inserted."""
    claim = Desk(editor).claim(at(0, 9), reviewer)
    with clock.replaying(at(0, 9)):
        proposal = Proposal.objects.create(
            claim=claim,
            proposed_by=reviewer,
            proposed_at=at(0, 12),
            from_state="unverified",
            based_on_version=claim.version,
            state="corroborated",
            rationale="Holds.",
            status=ProposalStatus.APPROVED,
            decided_by=editor,
            decided_at=at(0, 14),
        )
        Publication.objects.create(
            claim=claim,
            published_at=at(0, 14),
            state="corroborated",
            proposal=proposal,
            proposed_by=reviewer,
            approved_by=editor,
        )
    assert spans(claim) == [
        ("proposal", reviewer.pk, None, 3),
        ("publication", reviewer.pk, None, 5),
        ("signoff", reviewer.pk, proposal.pk, 2),
    ]


def test_an_earlier_proposal_written_later_becomes_the_first(editor, reviewer, other_reviewer):
    claim = Desk(editor).claim(at(0, 9), reviewer)
    fields = {
        "claim": claim,
        "from_state": "unverified",
        "based_on_version": 1,
        "state": "corroborated",
        "rationale": "Holds.",
        "status": ProposalStatus.WITHDRAWN,
    }
    Proposal.objects.create(proposed_by=reviewer, proposed_at=at(0, 15), **fields)
    Proposal.objects.create(proposed_by=other_reviewer, proposed_at=at(0, 11), **fields)
    assert spans(claim) == [("proposal", other_reviewer.pk, None, 2)]


def test_a_signoff_taken_back_in_the_row_loses_its_span(editor, reviewer):
    write = Desk(editor)
    claim = write.claim(at(0, 9), reviewer)
    proposal = write.propose(at(0, 10), claim, reviewer)
    write.sign_off(at(0, 12), proposal)
    Proposal.objects.filter(pk=proposal.pk).update(decided_at=at(0, 16))
    assert StageSpan.objects.get(proposal_id=proposal.pk).seconds == 6 * 3600
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.RETURNED)
    assert not StageSpan.objects.filter(proposal_id=proposal.pk).exists()


def test_deleting_a_claim_or_a_person_keeps_the_rest_in_step(editor, reviewer, other_reviewer):
    write = Desk(editor)
    gone = write.claim(at(0, 9), reviewer, "gone")
    kept = write.claim(at(0, 9), other_reviewer, "kept")
    write.sign_off(at(0, 12), write.propose(at(0, 10), gone, reviewer))
    write.sign_off(at(0, 12), write.propose(at(0, 10), kept, other_reviewer))

    # A claim with evidence or reviews is protected; one without goes with its proposals.
    Assignment.objects.filter(claim=gone).delete()
    Evidence.objects.filter(claim=gone).delete()
    Claim.objects.filter(pk=gone.pk).delete()
    assert {span.claim_id for span in StageSpan.objects.all()} == {kept.pk}

    Assignment.objects.filter(reviewer=other_reviewer).delete()
    get_user_model().objects.filter(pk=other_reviewer.pk).delete()
    assert {span.person_id for span in StageSpan.objects.all()} == {None}
