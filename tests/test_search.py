"""Full-text search over claim text and claimant, on SQLite FTS5 and PostgreSQL GIN alike."""

import pytest
from django.db import connection

from claims import services
from claims.models import Claim
from claims.search import search_claims, search_terms


@pytest.fixture
def claims(editor, source):
    def make(text, claimant):
        return services.claim_create(
            actor=editor,
            text=text,
            claimant=claimant,
            appearances=[services.AppearanceInput(source, "quoted")],
        )

    return {
        "withdrew": make("Israel withdrew from the strike the night before.", "Donald Trump"),
        "proposed": make("Israel proposed a more active role in the strike.", "Israeli official"),
        "cellphone": make("Israel tracked Soleimani's cellphone.", "Yahoo News"),
    }


def found(query):
    return set(search_claims(Claim.objects.all(), query).values_list("text", flat=True))


def test_every_word_must_match_as_a_prefix(claims):
    assert found("israel strike") == {
        claims["withdrew"].text,
        claims["proposed"].text,
    }
    assert found("Soleim") == {claims["cellphone"].text}


def test_claimant_is_searched_too(claims):
    assert found("trump") == {claims["withdrew"].text}


def test_search_follows_edits(claims, editor):
    claim = claims["cellphone"]
    services.claim_update(
        actor=editor,
        claim=claim,
        expected_version=claim.version,
        text="The drone fired Hellfire missiles.",
        claimant=claim.claimant,
        claimed_on=None,
    )
    assert found("cellphone") == set()
    assert found("hellfire") == {"The drone fired Hellfire missiles."}


@pytest.mark.parametrize("query", ['"', "AND OR NOT", "*", "a:b", "(", "NEAR(", "'; DROP TABLE"])
def test_operators_and_punctuation_are_taken_as_plain_words(claims, query):
    list(search_claims(Claim.objects.all(), query))  # must not raise


def test_empty_query_returns_everything(claims):
    assert search_claims(Claim.objects.all(), "  ").count() == 3


def test_search_terms_keep_words_only():
    assert search_terms('Netanyahu\'s "role" -- AND') == ["netanyahu", "s", "role", "and"]


def test_search_uses_a_full_text_index_not_a_like_scan(claims):
    sql = str(search_claims(Claim.objects.all(), "israel").query)
    assert "LIKE" not in sql.upper()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM claims_claim_fts WHERE claims_claim_fts MATCH 'israel'"
            )
            assert cursor.fetchone()[0] == 3
        else:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'claims_claim_document_idx'"
            )
            assert "gin (search_document)" in cursor.fetchone()[0].lower()
            cursor.execute(
                "SELECT count(*) FROM claims_claim "
                "WHERE search_document @@ to_tsquery('simple', 'israel')"
            )
            assert cursor.fetchone()[0] == 3


@pytest.mark.parametrize("query", ["israel", "trump strike", "netan", "nothing-matches"])
def test_searching_in_page_order_finds_the_same_claims_in_the_same_order(claims, query):
    ordering = ("-updated_at", "-id")
    by_match = search_claims(Claim.objects.all(), query).order_by(*ordering)
    in_order = search_claims(Claim.objects.all(), query, in_order=True).order_by(*ordering)
    assert list(in_order.values_list("id", flat=True)) == list(
        by_match.values_list("id", flat=True)
    )


def test_a_broad_search_reads_its_first_pages_in_order_and_deep_pages_by_match(editor, monkeypatch):
    """The queue picks the in-order scan only for the first tenth of a large result."""
    from django.http import QueryDict

    from claims.selectors import queue

    from .factories import ClaimFactory

    ClaimFactory.create_batch(100, text="Inflation rose in the spring")
    ClaimFactory.create_batch(5, text="Unrelated")
    monkeypatch.setattr("claims.search.IN_ORDER_MATCHES", 20)
    seen = []
    real = queue.search_claims

    def spy(queryset, query, *, in_order=False):
        seen.append(in_order)
        return real(queryset, query, in_order=in_order)

    monkeypatch.setattr(queue, "search_claims", spy)
    first = queue.claim_queue(user=editor, params=QueryDict("q=inflation&per_page=10"))
    assert seen == [True]
    assert first.total == 100
    assert [row.claim.text for row in first.rows] == ["Inflation rose in the spring"] * 10
    last = queue.claim_queue(user=editor, params=QueryDict("q=inflation&per_page=10&page=2"))
    assert seen == [True]  # page 2 ends past the first tenth: read by match, through the filter
    assert len(last.rows) == 10
    assert {row.claim.pk for row in first.rows}.isdisjoint(row.claim.pk for row in last.rows)


@pytest.mark.parametrize("query", ["israel", "trump strike", "netan", "nothing-matches", " "])
def test_counting_matches_on_the_index_agrees_with_the_search(claims, query):
    from claims.search import count_matches

    assert count_matches(query) == search_claims(Claim.objects.all(), query).count()
