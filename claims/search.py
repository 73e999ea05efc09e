"""Full-text search over claim text and claimant, on a real index in either database.

SQLite: an FTS5 table kept in step with claims by triggers (migration 0005).
PostgreSQL: a GIN index on the claim's tsvector (same migration), queried with the same expression.
Both use prefix matching on every word, so "netan" finds "Netanyahu" and all words must match.
"""

import re

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

_WORD = re.compile(r"\w+", re.UNICODE)

# The one tsvector expression: the GIN index and the query must use exactly this text.
PG_DOCUMENT = (
    "to_tsvector('simple'::regconfig, "
    "coalesce(claims_claim.text, '') || ' ' || coalesce(claims_claim.claimant, ''))"
)
PG_INDEX_DOCUMENT = PG_DOCUMENT.replace("claims_claim.", "")


def search_terms(query: str) -> list[str]:
    """The words of a search box entry; punctuation and operators are dropped, not interpreted."""
    return [word.lower() for word in _WORD.findall(query or "")][:12]


def search_claims(queryset: QuerySet, query: str) -> QuerySet:
    """Claims whose text or claimant contains every word of ``query`` (as a word prefix)."""
    terms = search_terms(query)
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{term}:*" for term in terms)
        # The SQL is constant; the user's words travel only as a parameter.
        condition = RawSQL(  # noqa: S611
            f"{PG_DOCUMENT} @@ to_tsquery('simple'::regconfig, %s)",
            [tsquery],
            output_field=BooleanField(),
        )
    else:
        match = " ".join(f'"{term}"*' for term in terms)
        condition = RawSQL(
            "claims_claim.id IN "
            "(SELECT rowid FROM claims_claim_fts WHERE claims_claim_fts MATCH %s)",
            [match],
            output_field=BooleanField(),
        )
    return queryset.filter(condition)
