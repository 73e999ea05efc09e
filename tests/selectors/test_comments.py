"""Who reads which comments: everyone on the desk, but for a reviewer judging an independent
review blind, who does not read the round's other reviewers until they have proposed."""

import pytest

from claims import services
from claims.audit.actions import COMMENT_EVENTS
from claims.permissions import hidden_comment_authors
from claims.selectors import claim_page
from claims.selectors.comments import hidden_comment_authors_by_claim, visible_comments
from tests.conftest import propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussed(independent_claim, editor, reviewer, other_reviewer):
    """Omar, Rita and Edna each comment; Edna hides a second comment of Omar's."""
    claim = independent_claim
    services.comment_add(actor=other_reviewer, claim=claim, text="Omar: I lean disputed.")
    services.comment_add(actor=reviewer, claim=claim, text="Rita: checking the log.")
    services.comment_add(actor=editor, claim=claim, text="Edna: due Friday, both of you.")
    second = services.comment_add(actor=other_reviewer, claim=claim, text="Omar: the log is wrong")
    services.comment_hide(actor=editor, comment=second, reason="Says how Omar judges it.")
    return claim


def texts(claim, user) -> list[str]:
    return [c.text for c in visible_comments(claim_page.claim_detail(claim.pk), user)]


def comment_events_in_timeline(claim, user) -> list[str]:
    page_claim = claim_page.claim_detail(claim.pk)
    return [
        entry.sentence
        for entry in claim_page.claim_timeline(page_claim, user)
        if entry.event.action in COMMENT_EVENTS
    ]


def test_a_blind_reviewer_does_not_read_the_other_reviewers_comments(discussed, reviewer):
    assert texts(discussed, reviewer) == [
        "Rita: checking the log.",
        "Edna: due Friday, both of you.",
    ]
    assert comment_events_in_timeline(discussed, reviewer) == [
        "Edna Editor commented.",
        "Rita Reviewer commented.",
    ]


def test_everyone_else_reads_every_comment(discussed, editor, other_reviewer, viewer):
    every = [
        "Omar: I lean disputed.",
        "Rita: checking the log.",
        "Edna: due Friday, both of you.",
        "Omar: the log is wrong",
    ]
    # Omar, who has not proposed either, does not see Rita's; the editor and a viewer see all.
    assert texts(discussed, other_reviewer) == [every[0], every[2], every[3]]
    assert texts(discussed, editor) == every
    assert texts(discussed, viewer) == every
    assert len(comment_events_in_timeline(discussed, editor)) == 5


def test_having_proposed_the_reviewer_reads_them_all(discussed, reviewer):
    propose(discussed, reviewer)
    assert len(texts(discussed, reviewer)) == 4
    assert "Edna Editor hid a comment by Omar Other: “Says how Omar judges it.”" in (
        comment_events_in_timeline(discussed, reviewer)
    )


def test_a_proposer_of_the_round_stays_hidden_after_closing_their_review(
    discussed, reviewer, other_reviewer
):
    """Omar proposes and closes his review: he is still one of the round's judges."""
    claim = discussed
    claim.refresh_from_db()
    services.verdict_propose(
        actor=other_reviewer,
        claim=claim,
        expected_version=claim.version,
        state="disputed",
        rationale="The log is wrong.",
        close_my_review=True,
    )
    assert "Omar: I lean disputed." not in texts(claim, reviewer)


def test_outside_an_independent_review_nothing_is_hidden(claim, editor, reviewer, other_reviewer):
    services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer)
    services.reviewer_assign(actor=editor, claim=claim, reviewer=other_reviewer)
    services.comment_add(actor=other_reviewer, claim=claim, text="Omar's view")
    assert texts(claim, reviewer) == ["Omar's view"]
    assert hidden_comment_authors_by_claim(reviewer) == {}


def test_the_exports_rule_is_the_pages_rule(discussed, editor, reviewer, other_reviewer, viewer):
    page_claim = claim_page.claim_detail(discussed.pk)
    for user in (editor, reviewer, other_reviewer, viewer):
        by_claim = hidden_comment_authors_by_claim(user)
        assert by_claim.get(discussed.pk, frozenset()) == hidden_comment_authors(user, page_claim)
    assert hidden_comment_authors_by_claim(reviewer) == {discussed.pk: {other_reviewer.pk}}
    propose(discussed, reviewer)
    assert hidden_comment_authors_by_claim(reviewer) == {}


def test_the_exports_rule_reads_in_a_fixed_number_of_queries(
    discussed, reviewer, django_assert_num_queries
):
    with django_assert_num_queries(3):
        hidden_comment_authors_by_claim(reviewer)
