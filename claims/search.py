"""Full-text search over claim text and claimant, on a real index in either database.

SQLite reads the FTS5 table ``claims_claim_fts``, PostgreSQL the GIN index on the stored tsvector
column ``search_document``; the database keeps both in step with the claims, with the SQL in
``claims.db.triggers``. Both use prefix matching on every word, so "netan" finds "Netanyahu" and
all words must match.

The queries stay here rather than beside that SQL in ``claims.db``: each database's half is a
line or two of a function that is otherwise the same, and the queue, its filters and the admin
come here for search whatever the database.
"""

import re

from django.db import connection
from django.db.models import BooleanField, F, Func, IntegerField, QuerySet, Value
from django.db.models.expressions import RawSQL

_WORD = re.compile(r"\w+", re.UNICODE)


class _DocumentMatches(Func):
    """``search_document @@ to_tsquery(...)`` on PostgreSQL, naming the claim table by whatever
    alias the query gives it (``U0`` inside a subquery).

    ``search_document`` is a stored generated column (``claims.db.triggers``) that the model
    does not declare: Django never writes it, and SQLite has no such column.
    """

    output_field = BooleanField()

    def __init__(self, tsquery: str):
        super().__init__(F("id"), Value(tsquery))

    def as_sql(self, compiler, connection, **extra_context):
        (id_column, id_params), (query, query_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        table = id_column.rsplit(".", 1)[0]
        sql = f"{table}.search_document @@ to_tsquery('simple'::regconfig, {query})"
        return sql, (*id_params, *query_params)


def search_terms(query: str) -> list[str]:
    """The words of a search box entry; punctuation and operators are dropped, not interpreted."""
    return [word.lower() for word in _WORD.findall(query or "")][:12]


def _tsquery(terms: list[str]) -> str:
    """PostgreSQL's query for every word as a prefix."""
    return " & ".join(f"{term}:*" for term in terms)


def _fts_match(terms: list[str]) -> str:
    """SQLite FTS5's query for every word as a prefix."""
    return " ".join(f'"{term}"*' for term in terms)


# A search matching at least this many claims reads its first pages in the page's order (see
# search_claims) as long as the page ends within the first tenth of the matches: the scan then
# reads at most about ten times the page's end in index entries to fill it.
IN_ORDER_MATCHES = 2_000


def reads_in_order(matches: int, page_end: int) -> bool:
    """Whether a page ending at ``page_end`` of ``matches`` search results is cheaper to find
    by walking the page's index (``in_order``) than by sorting every match."""
    return matches >= IN_ORDER_MATCHES and page_end * 10 <= matches


def search_claims(queryset: QuerySet, query: str, *, in_order: bool = False) -> QuerySet:
    """Claims whose text or claimant contains every word of ``query`` (as a word prefix).

    ``in_order`` is for reading the first pages of a search that matches many claims, on
    SQLite: rather than fetching every match and sorting them all to keep 25, walk the claims
    in the page's order on its index and keep those among the matches. PostgreSQL's planner
    makes that choice itself from its statistics, so there the flag changes nothing.
    """
    terms = search_terms(query)
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.filter(_DocumentMatches(_tsquery(terms)))
    match = _fts_match(terms)
    # The SQL is constant; the user's words travel only as a parameter.
    matching_ids = RawSQL(
        "SELECT rowid FROM claims_claim_fts WHERE claims_claim_fts MATCH %s", [match]
    )
    if in_order:
        # ``+id`` keeps SQLite from looking the matches up by primary key, so it scans an
        # index in the requested order instead.
        unindexed_id = Func(F("id"), template="+%(expressions)s", output_field=IntegerField())
        return queryset.alias(unindexed_id=unindexed_id).filter(unindexed_id__in=matching_ids)
    return queryset.filter(pk__in=matching_ids)


def count_matches(query: str) -> int:
    """How many claims ``search_claims`` finds for ``query``, counted on the index alone.

    On SQLite the FTS5 table answers without looking up a single claim row; PostgreSQL counts
    through its GIN index.
    """
    from .models import Claim

    terms = search_terms(query)
    if not terms:
        return Claim.objects.count()
    if connection.vendor != "sqlite":
        return search_claims(Claim.objects.all(), query).count()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM claims_claim_fts WHERE claims_claim_fts MATCH %s",
            [_fts_match(terms)],
        )
        return cursor.fetchone()[0]


# The SQL is constant; the user's words travel only as a parameter.
_COUNT_BY_TAB = {
    # The narrow copy migration 0027 keeps of each claim's state, waiting and search document.
    "postgresql": """SELECT state, COUNT(*), COUNT(*) FILTER (WHERE waiting)
        FROM claims_claim_search_tabs
        WHERE document @@ to_tsquery('simple'::regconfig, %s) GROUP BY state""",
    # SQLite would look each match up in the claims table by rowid; migration 0027's index
    # holds the three columns wanted, a fraction of a claim's row.
    "sqlite": """SELECT claim.state, COUNT(*), COUNT(claim.signoff_waiting_since)
        FROM claims_claim_fts AS found
        JOIN claims_claim AS claim INDEXED BY claim_search_tabs_idx ON claim.id = found.rowid
        WHERE found.claims_claim_fts MATCH %s GROUP BY claim.state""",
}


def count_by_tab(query: str) -> list[tuple[str, int, int]]:
    """(state, claims, claims waiting for sign-off) among the claims ``search_claims`` finds
    for ``query``, a row per state found: the queue's tabs for a search and nothing else.

    One query that reads only the search index and a narrow copy of what the tabs count, where
    grouping the matching claims would read every one of them (migration 0027).
    """
    terms = search_terms(query)
    vendor = connection.vendor
    match = _tsquery(terms) if vendor == "postgresql" else _fts_match(terms)
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_BY_TAB[vendor], [match])
        return [(state, int(claims), int(waiting)) for state, claims, waiting in cursor.fetchall()]
