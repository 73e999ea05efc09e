"""The per-state tally the database keeps (claims.db.triggers) against a count of the claims."""

import threading

import pytest
from django.db import connection, connections
from django.db.models import Count

from claims import services
from claims.models import Claim, ReviewState, Stance, StateTally
from claims.selectors import queue
from tests.conftest import add_evidence, postgres_only, restore_roles
from tests.factories import ClaimFactory


def counted() -> dict[str, int]:
    counts = dict.fromkeys(ReviewState.values, 0)
    counts.update(Claim.objects.order_by().values_list("state").annotate(n=Count("*")))
    return counts


def test_tally_follows_inserts_state_changes_and_deletes(editor, claim):
    ClaimFactory.create_batch(3)
    ClaimFactory(state=ReviewState.DISPUTED, contradicting_count=1)
    assert queue.desk_state_counts() == {"unverified": 4, "corroborated": 0, "disputed": 1}

    add_evidence(claim, editor, Stance.SUPPORTS)
    claim.refresh_from_db()
    services.claim_change_state(
        actor=editor,
        claim=claim,
        expected_version=claim.version,
        state=ReviewState.CORROBORATED,
        rationale="Two outlets agree.",
    )
    assert queue.desk_state_counts() == {"unverified": 3, "corroborated": 1, "disputed": 1}
    assert queue.desk_state_counts() == counted()

    # A write that leaves the state alone does not move the tally.
    Claim.objects.filter(pk=claim.pk).update(claimant="Someone else")
    assert queue.desk_state_counts() == counted()

    # Claims are never deleted through the services, but the tally holds even for raw deletes.
    Claim.objects.filter(state=ReviewState.UNVERIFIED).first().appearances.all().delete()
    Claim.objects.filter(pk=Claim.objects.filter(state="unverified").first().pk).delete()
    assert queue.desk_state_counts() == counted()
    assert queue.desk_state_counts()["unverified"] == 2


def test_an_empty_desk_counts_zero_in_every_state(db):
    StateTally.objects.all().delete()
    assert queue.desk_state_counts() == {"unverified": 0, "corroborated": 0, "disputed": 0}


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_state_changes_in_opposite_directions_do_not_deadlock():
    """Two transactions moving claims between the same two states, at the same time."""
    a = ClaimFactory(state=ReviewState.UNVERIFIED)
    b = ClaimFactory(state=ReviewState.DISPUTED, contradicting_count=1)
    Claim.objects.filter(pk=a.pk).update(contradicting_count=1)
    barrier = threading.Barrier(2)
    errors = []

    def move(pk, to_state):
        try:
            from django.db import transaction

            with transaction.atomic():
                Claim.objects.filter(pk=pk).update(updated_at=Claim.objects.get(pk=pk).updated_at)
                barrier.wait(timeout=5)
                Claim.objects.filter(pk=pk).update(state=to_state)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=move, args=(a.pk, ReviewState.DISPUTED)),
        threading.Thread(target=move, args=(b.pk, ReviewState.UNVERIFIED)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert errors == []
    assert connection.vendor == "postgresql"
    assert queue.desk_state_counts() == counted()
    restore_roles()  # for the transactional tests that run after this one's flush
