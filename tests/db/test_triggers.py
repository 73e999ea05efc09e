"""The SQL the database runs by itself: all of it in claims.db.triggers, and never rewritten."""

import hashlib

import pytest
from django.db import connection

from claims.db import triggers

pytestmark = pytest.mark.django_db

# What the applied migrations ran. A new trigger is a new migration with a new constant: these
# digests change only if a text an applied migration ran was edited, which no database would see.
APPLIED = {
    "AUDIT_APPEND_ONLY_PG": "776a63885698af91",
    "AUDIT_APPEND_ONLY_PG_DROP": "efc919396580b9c6",
    "CLAIM_FTS_SQLITE": "291420324bedc03b",
    "CLAIM_FTS_SQLITE_DROP": "09b28009470614b0",
    "OPEN_REVIEWS_PG": "6ca476a08fa8891d",
    "OPEN_REVIEWS_PG_DROP": "59c07c6092b69f30",
    "OPEN_REVIEWS_REFRESH": "9f06eae2be15321e",
    "OPEN_REVIEWS_SQLITE": "413bc7e4d37a8a39",
    "OPEN_REVIEWS_SQLITE_DROP": "cfbb0a95a9cc5c6a",
    "SEARCH_DOCUMENT_PG": "078608292a30fce5",
    "SEARCH_DOCUMENT_PG_DROP": "0a880f03dd760867",
    "STATE_TALLY_PG": "509c55b302d2d2b8",
    "STATE_TALLY_PG_DROP": "22401ab062524804",
    "STATE_TALLY_SQLITE": "0e27dacf75b14f55",
    "STATE_TALLY_SQLITE_DROP": "ba684791578a6227",
}


def digest(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]


@pytest.mark.parametrize("name", sorted(APPLIED))
def test_an_applied_text_is_never_rewritten(name):
    assert digest(getattr(triggers, name)) == APPLIED[name]


def test_every_trigger_in_the_database_is_written_in_claims_db_triggers():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cursor.fetchall()}
    texts = " ".join(str(getattr(triggers, name)) for name in dir(triggers) if name.isupper())
    assert names
    assert {name for name in names if f"CREATE TRIGGER {name}" not in texts} == set()
