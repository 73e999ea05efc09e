"""Full-text search over claim text and claimant, on a real index in either database.

SQLite: an FTS5 table kept in step with claims by triggers (migration 0005).
PostgreSQL: a GIN index on the claim's tsvector (same migration), queried with the same expression.
Both use prefix matching on every word, so "netan" finds "Netanyahu" and all words must match.
"""

import re

from django.db import connection
from django.db.models import BooleanField, F, Func, QuerySet, Value
from django.db.models.expressions import RawSQL

_WORD = re.compile(r"\w+", re.UNICODE)

# The one tsvector expression: the GIN index (migration 0005) and the query must use exactly
# this text, with the claim table's columns in the two slots.
PG_DOCUMENT = (
    "to_tsvector('simple'::regconfig, coalesce({text}, '') || ' ' || coalesce({claimant}, ''))"
)
PG_INDEX_DOCUMENT = PG_DOCUMENT.format(text="text", claimant="claimant")


class _DocumentMatches(Func):
    """``PG_DOCUMENT @@ to_tsquery(...)`` with the columns compiled, so the condition names the
    claim table by whatever alias the query gives it (``U0`` inside a subquery)."""

    output_field = BooleanField()

    def __init__(self, tsquery: str):
        super().__init__(F("text"), F("claimant"), Value(tsquery))

    def as_sql(self, compiler, connection, **extra_context):
        (text, text_params), (claimant, claimant_params), (query, query_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        document = PG_DOCUMENT.format(text=text, claimant=claimant)
        sql = f"{document} @@ to_tsquery('simple'::regconfig, {query})"
        return sql, (*text_params, *claimant_params, *query_params)


def search_terms(query: str) -> list[str]:
    """The words of a search box entry; punctuation and operators are dropped, not interpreted."""
    return [word.lower() for word in _WORD.findall(query or "")][:12]


def search_claims(queryset: QuerySet, query: str) -> QuerySet:
    """Claims whose text or claimant contains every word of ``query`` (as a word prefix)."""
    terms = search_terms(query)
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.filter(_DocumentMatches(" & ".join(f"{term}:*" for term in terms)))
    match = " ".join(f'"{term}"*' for term in terms)
    # The SQL is constant; the user's words travel only as a parameter.
    matching_ids = RawSQL(
        "SELECT rowid FROM claims_claim_fts WHERE claims_claim_fts MATCH %s", [match]
    )
    return queryset.filter(pk__in=matching_ids)
