"""The queue selector: rows, order and pages, in a fixed number of queries; and the claims a
bulk action names."""

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from claims.models import AssignmentStatus, Claim
from claims.selectors.queue import bulk_selection, claim_queue
from tests.conftest import make_claim
from tests.factories import AssignmentFactory, ClaimFactory, ReviewerFactory

pytestmark = pytest.mark.django_db


def queue(user, query: str = ""):
    return claim_queue(user=user, params=QueryDict(query))


def claims_changed_in_order(count: int, text: str = "Claim") -> list[Claim]:
    """``count`` claims, the first changed longest ago."""
    start = timezone.now() - datetime.timedelta(days=count)
    claims = []
    for number in range(count):
        claim = ClaimFactory(text=f"{text} {number}")
        Claim.objects.filter(pk=claim.pk).update(
            updated_at=start + datetime.timedelta(hours=number)
        )
        claims.append(claim)
    return claims


def test_queue_row_lists_open_reviewers_soonest_due_first(editor):
    claim = ClaimFactory()
    today = timezone.localdate()
    later, sooner, undated, closed = (ReviewerFactory() for _ in range(4))
    AssignmentFactory(claim=claim, reviewer=later, due_on=today + datetime.timedelta(days=5))
    AssignmentFactory(claim=claim, reviewer=undated, due_on=None)
    AssignmentFactory(claim=claim, reviewer=sooner, due_on=today - datetime.timedelta(days=1))
    AssignmentFactory(claim=claim, reviewer=closed, status=AssignmentStatus.DONE)

    [row] = queue(editor).rows

    assert row.reviewers == [sooner, later, undated]
    assert row.due_on == today - datetime.timedelta(days=1)
    assert row.overdue


def test_a_later_page_holds_the_next_claims_in_order(editor):
    claims = claims_changed_in_order(12)

    result = queue(editor, "per_page=10&page=2")

    assert [row.claim.pk for row in result.rows] == [claims[1].pk, claims[0].pk]
    assert list(result.page.object_list) == [row.claim for row in result.rows]
    assert result.total == 12
    assert result.page.start_index() == 11


@pytest.mark.parametrize("sort", ["updated", "-created", "claimant", "-supporting", "state"])
def test_a_searched_page_holds_only_matching_claims(editor, sort):
    matching = claims_changed_in_order(12, text="Inflation rose")
    claims_changed_in_order(12, text="Unemployment fell")

    first = queue(editor, f"q=inflation&per_page=10&sort={sort}")
    second = queue(editor, f"q=inflation&per_page=10&page=2&sort={sort}")

    shown = [row.claim.pk for row in first.rows + second.rows]
    assert sorted(shown) == sorted(claim.pk for claim in matching)
    assert first.total == second.total == 12


def test_queue_query_count_does_not_grow_with_rows(editor, django_assert_num_queries):
    reviewer = ReviewerFactory()
    for claim in claims_changed_in_order(30):
        AssignmentFactory(claim=claim, reviewer=reviewer)
    queue(editor)  # warm the content-type and permission caches

    # Choices for two filters, the tab counts, the page's rows, their open assignments.
    for query in ("per_page=10", f"per_page=100&reviewer={reviewer.pk}&q=claim&supporting=no"):
        with django_assert_num_queries(5):
            assert queue(editor, query).rows


def test_bulk_selection_reads_the_named_claims_in_order_in_one_query(
    editor, django_assert_num_queries
):
    first, second = make_claim(editor, "First"), make_claim(editor, "Second")
    with django_assert_num_queries(1):
        claims, missing = bulk_selection([second.pk, 999_999, first.pk])
        assert [claim.text for claim in claims] == ["Second", "", "First"]
        assert [claim.state for claim in claims] == ["unverified"] * 3
    assert [claim.pk for claim in claims] == [second.pk, 999_999, first.pk]
    assert missing == {999_999}
