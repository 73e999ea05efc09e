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
