"""The queue's selectors beyond the page itself: the claims a bulk action names."""

from claims.selectors.queue import bulk_selection
from tests.conftest import make_claim


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
