"""A search's tab counts (``search.count_by_tab``) against grouping the matching claims.

On PostgreSQL they are read from the narrow copy the triggers of migration 0027 keep, so every
way a claim's counted columns change is written here and the copy checked after each.
"""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.http import QueryDict
from django.utils import timezone

from claims import services
from claims.models import Claim, ReviewState, Stance
from claims.search import count_by_tab, search_claims
from claims.selectors import queue
from tests.conftest import add_evidence, postgres_only, restore_roles
from tests.factories import ClaimFactory


def grouped(query: str) -> list[tuple[str, int, int]]:
    """What count_by_tab must say, the slow way: the matching claims grouped by state."""
    rows = (
        search_claims(Claim.objects.all(), query)
        .order_by("state")
        .values("state")
        .annotate(n=Count("*"), waiting=Count("signoff_waiting_since"))
    )
    return [(row["state"], row["n"], row["waiting"]) for row in rows]


def tabs(query: str) -> list[tuple[str, int, int]]:
    return sorted(count_by_tab(query))


def test_the_counts_follow_every_write_to_what_they_count(editor, claim):
    ClaimFactory.create_batch(3, text="Inflation doubled in a year", claimant="A minister")
    ClaimFactory(text="Inflation halved", state=ReviewState.DISPUTED, contradicting_count=1)
    ClaimFactory(text="Wages rose", claimant="Inflation watchdog")
    assert tabs("inflation") == grouped("inflation") == [("disputed", 1, 0), ("unverified", 4, 0)]

    # A move of state, by the service.
    add_evidence(claim, editor, Stance.SUPPORTS)
    claim.refresh_from_db()
    services.claim_update(
        actor=editor,
        claim=claim,
        expected_version=claim.version,
        text="Inflation fell below two percent.",
        claimant=claim.claimant,
        claimed_on=None,
    )
    assert tabs("inflation") == grouped("inflation")
    claim.refresh_from_db()
    services.claim_change_state(
        actor=editor,
        claim=claim,
        expected_version=claim.version,
        state=ReviewState.CORROBORATED,
        rationale="The statistics office agrees.",
    )
    assert ("corroborated", 1, 0) in tabs("inflation")

    # Waiting for sign-off, then no longer; and a wait that only moves its start changes nothing.
    since = timezone.now()
    Claim.objects.filter(text="Inflation halved").update(signoff_waiting_since=since)
    assert ("disputed", 1, 1) in tabs("inflation")
    Claim.objects.filter(text="Inflation halved").update(
        signoff_waiting_since=since + datetime.timedelta(hours=1)
    )
    assert ("disputed", 1, 1) in tabs("inflation")
    Claim.objects.filter(text="Inflation halved").update(signoff_waiting_since=None)
    assert ("disputed", 1, 0) in tabs("inflation")

    # Text and claimant edited outside the services, then a raw delete.
    Claim.objects.filter(claimant="Inflation watchdog").update(claimant="Wage council")
    Claim.objects.filter(text="Inflation halved").update(text="Prices halved")
    assert (
        tabs("inflation")
        == grouped("inflation")
        == [
            ("corroborated", 1, 0),
            ("unverified", 3, 0),
        ]
    )
    Claim.objects.filter(text="Prices halved").update(text="Inflation halved again")
    doomed = Claim.objects.filter(claimant="A minister").first()
    doomed.appearances.all().delete()
    doomed.delete()
    assert tabs("inflation") == grouped("inflation")
    assert tabs("inflation halv") == grouped("inflation halv") == [("disputed", 1, 0)]
    assert tabs("nothing-matches") == []


def test_the_queue_counts_a_search_alone_from_the_copy_and_with_other_filters_by_grouping(
    editor, monkeypatch, settings
):
    settings.FACTCHECK_SIGNOFF = True  # the "Waiting for sign-off" tab is counted too
    ClaimFactory.create_batch(2, text="Inflation doubled", supporting_count=1)
    ClaimFactory(text="Inflation halved", state=ReviewState.DISPUTED, contradicting_count=1)
    ClaimFactory(text="Unrelated", signoff_waiting_since=timezone.now())
    Claim.objects.filter(text="Inflation halved").update(signoff_waiting_since=timezone.now())
    first_doubled = Claim.objects.filter(text="Inflation doubled").order_by("id")[:1]
    Claim.objects.filter(pk__in=first_doubled).update(signoff_waiting_since=timezone.now())
    read = []
    real = queue.count_by_tab
    monkeypatch.setattr(queue, "count_by_tab", lambda q: read.append(q) or real(q))

    searched = queue.claim_queue(user=editor, params=QueryDict("q=inflation"))
    assert read == ["inflation"]
    assert searched.state_counts == {"unverified": 2, "corroborated": 0, "disputed": 1}
    assert searched.waiting_count == 2
    assert searched.total == 3

    narrowed = queue.claim_queue(user=editor, params=QueryDict("q=inflation&supporting=yes"))
    assert read == ["inflation"]  # another filter: grouped under all of them instead
    assert narrowed.state_counts == {"unverified": 2, "corroborated": 0, "disputed": 0}
    assert narrowed.waiting_count == 1  # the doubled one; the halved has no supporting link

    # Punctuation alone finds every claim: the desk's tally answers, not a search.
    everything = queue.claim_queue(user=editor, params=QueryDict("q=%2A%2A"))
    assert read == ["inflation"]
    assert everything.total == 4


@postgres_only
def test_the_copy_holds_a_row_per_claim_and_its_search_index(claim):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT claim_id, state, waiting FROM claims_claim_search_tabs ORDER BY claim_id"
        )
        assert cursor.fetchall() == [(claim.pk, "unverified", False)]
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'claims_claim_search_tabs'"
            " AND indexdef ILIKE '%gin%'"
        )
        assert "gin (document)" in cursor.fetchone()[0].lower()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_emptying_the_claims_table_empties_the_copy():
    """TRUNCATE, how the test runner's flush empties tables, passes no row trigger."""
    ClaimFactory.create_batch(2, text="Inflation doubled")
    call_command("flush", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM claims_claim_search_tabs")
        assert cursor.fetchone()[0] == 0
    ClaimFactory(text="Inflation halved")
    assert tabs("inflation") == [("unverified", 1, 0)]
    restore_roles()  # for the transactional tests that run after this one's flush
