"""verify_audit: an intact trail passes; every way of tampering with it in the database fails,
naming the claim and the first bad event."""

import json
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from claims import services
from claims.audit import chain as audit_chain
from claims.audit.chain import build_event, event_hash
from claims.models import Claim, Stance
from tests.conftest import add_evidence, events_of, postgres_only, run_verify_audit
from tests.factories import ClaimFactory, SourceFactory


def verify_broken() -> tuple[str, str]:
    """The lines printed and the CommandError's summary of a run that finds a break."""
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", stdout=out)
    return out.getvalue(), str(failure.value)


@contextmanager
def tampering():
    """A raw cursor on the audit table; PostgreSQL's append-only trigger is off meanwhile."""
    trigger = "claims_auditevent_append_only"
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(f"ALTER TABLE claims_auditevent DISABLE TRIGGER {trigger}")
        try:
            yield cursor
        finally:
            if postgres:
                cursor.execute(f"ALTER TABLE claims_auditevent ENABLE TRIGGER {trigger}")


@pytest.fixture
def bystander(editor):
    """A claim with one event, there to stay intact (or be deleted) beside the chain."""
    return services.claim_create(
        actor=editor,
        text="A bystander claim.",
        claimant="Someone Else",
        appearances=[services.AppearanceInput(SourceFactory(), "said so")],
    )


@pytest.fixture
def chain(assigned_claim, bystander, reviewer):
    """A claim with five events: created, reviewer assigned, three evidence links."""
    for number in range(3):
        add_evidence(assigned_claim, reviewer, url=f"https://stats.example/table-{number}")
    assert assigned_claim.audit_length == 5
    return assigned_claim


def test_intact_trail_exits_zero_with_a_summary(chain):
    assert run_verify_audit() == "Audit trail intact: 6 events in 2 claims.\n"


def test_claims_without_events_are_intact_and_counted(chain):
    ClaimFactory()  # made directly, audit_length 0: nothing recorded, nothing missing
    assert "Audit trail intact: 6 events in 3 claims." in run_verify_audit()


def test_edited_event_data_names_the_edited_event(chain):
    third = events_of(chain)[2]
    with tampering() as cursor:
        cursor.execute(
            "UPDATE claims_auditevent SET data = %s WHERE id = %s",
            [json.dumps({**third.data, "evidence_id": 999}), third.pk],
        )
    lines, summary = verify_broken()
    assert lines == (
        f"BROKEN claim {chain.pk}: event {third.pk} (position 3): "
        "content does not match its hash (edited)\n"
    )
    assert summary.startswith("Audit trail broken: 1 chain broken (1 of 2 claims, ")


def test_edited_actor_name_is_caught(chain):
    first = events_of(chain)[0]
    with tampering() as cursor:
        cursor.execute(
            "UPDATE claims_auditevent SET actor_name = %s WHERE id = %s", ["Someone", first.pk]
        )
    lines, _summary = verify_broken()
    assert f"claim {chain.pk}: event {first.pk} (position 1): content does not match" in lines


def test_rehashed_edit_is_caught_at_the_next_link(chain):
    """Recomputing the edited event's own hash only moves the break to its successor."""
    second, third = events_of(chain)[1:3]
    second.actor_name = "Forger"
    forged_hash = event_hash(second)
    with tampering() as cursor:
        cursor.execute(
            "UPDATE claims_auditevent SET actor_name = %s, hash = %s WHERE id = %s",
            ["Forger", forged_hash, second.pk],
        )
    lines, _summary = verify_broken()
    assert f"event {third.pk} (position 3): does not link to the event before it" in lines


def test_deleted_middle_event_names_the_event_after_the_gap(chain):
    third, fourth = events_of(chain)[2:4]
    with tampering() as cursor:
        cursor.execute("DELETE FROM claims_auditevent WHERE id = %s", [third.pk])
    lines, summary = verify_broken()
    assert lines == (
        f"BROKEN claim {chain.pk}: event {fourth.pk} (position 4): "
        "expected position 3; an event is missing or out of order\n"
    )
    assert "1 chain broken" in summary


def test_deleted_newest_event_is_caught_by_the_claims_head(chain):
    newest = events_of(chain)[-1]
    with tampering() as cursor:
        cursor.execute("DELETE FROM claims_auditevent WHERE id = %s", [newest.pk])
    lines, _summary = verify_broken()
    assert lines.startswith(f"BROKEN claim {chain.pk}: position 5 (no such event): missing; ")
    assert "the claim records 5 events" in lines
    assert "the table holds 4" in lines
    assert "newest events were deleted" in lines


def test_all_events_of_a_claim_deleted(chain):
    with tampering() as cursor:
        cursor.execute("DELETE FROM claims_auditevent WHERE claim_id = %s", [chain.pk])
    lines, summary = verify_broken()
    assert lines.startswith(f"BROKEN claim {chain.pk}: position 1 (no such event): missing; ")
    assert "the table holds none: all its events were deleted" in lines
    assert "1 of 2 claims" in summary


def test_reordered_events_name_the_first_out_of_place(chain):
    second, third = events_of(chain)[1:3]
    with tampering() as cursor:
        # Through a free position, as (claim, sequence) is unique.
        for event_id, sequence in ((second.pk, 1000), (third.pk, 2), (second.pk, 3)):
            cursor.execute(
                "UPDATE claims_auditevent SET sequence = %s WHERE id = %s", [sequence, event_id]
            )
    lines, _summary = verify_broken()
    assert lines == (
        f"BROKEN claim {chain.pk}: event {third.pk} (position 2): "
        "does not link to the event before it (reordered or predecessor changed)\n"
    )


def test_edited_claim_head_is_caught(chain):
    newest = events_of(chain)[-1]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE claims_claim SET audit_head = %s WHERE id = %s", ["f" * 64, chain.pk]
        )
    lines, _summary = verify_broken()
    assert lines.startswith(
        f"BROKEN claim {chain.pk}: event {newest.pk} (position 5): does not match the chain head"
    )
    assert "ending in ffffffffffff" in lines


def test_shortened_claim_length_is_caught(chain):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE claims_claim SET audit_length = 4 WHERE id = %s", [chain.pk])
    lines, _summary = verify_broken()
    newest = events_of(chain)[-1]
    assert f"claim {chain.pk}: event {newest.pk} (position 5): not recorded on the claim" in lines


def test_event_appended_behind_the_claims_back_is_caught(chain, editor):
    """A well-linked event the claim row does not know of: someone wrote history directly."""
    stale = Claim.objects.get(pk=chain.pk)
    event = build_event(stale, actor=editor, action="claim.edited", data={"new": {"text": "x"}})
    event.save(force_insert=True)
    lines, _summary = verify_broken()
    assert f"event {event.pk} (position 6): not recorded on the claim" in lines


def test_every_broken_claim_is_listed_then_counted(chain, bystander):
    other = events_of(bystander)[0]
    newest = events_of(chain)[-1]
    with tampering() as cursor:
        cursor.execute("DELETE FROM claims_auditevent WHERE id = %s", [newest.pk])
        cursor.execute(
            "UPDATE claims_auditevent SET actor_name = %s WHERE id = %s", ["x", other.pk]
        )
    lines, summary = verify_broken()
    assert [line.split(":")[0] for line in lines.splitlines()] == [
        f"BROKEN claim {pk}" for pk in sorted([chain.pk, bystander.pk])
    ]
    assert summary.startswith("Audit trail broken: 2 chains broken (2 of 2 claims, ")


def test_history_of_a_deleted_claim_is_checked_for_links_and_counted_apart(chain, bystander):
    Claim.objects.filter(pk=bystander.pk).delete()  # history outlives the claim
    output = run_verify_audit()
    assert output == (
        "Audit trail intact: 5 events in 1 claim. "
        "Also 1 event of 1 deleted claim, checked for their links only.\n"
    )


def test_tampered_history_of_a_deleted_claim_is_reported(chain, bystander):
    event = events_of(bystander)[0]
    Claim.objects.filter(pk=bystander.pk).delete()
    with tampering() as cursor:
        cursor.execute(
            "UPDATE claims_auditevent SET actor_name = %s WHERE id = %s", ["x", event.pk]
        )
    lines, summary = verify_broken()
    assert lines == (
        f"BROKEN claim {bystander.pk}: event {event.pk} (position 1): "
        "content does not match its hash (edited) (claim deleted)\n"
    )
    assert "(0 of 1 claim, 1 of 1 deleted claim)" in summary


def test_writes_during_the_run_are_not_reported_as_tampering(monkeypatch, chain, editor):
    """Heads are read before events; a chain that grows, or a claim created, in between is
    checked again under its lock instead of being reported."""
    original = audit_chain.iter_chains

    def iter_chains_after_writes(events):
        add_evidence(chain, editor, Stance.CONTRADICTS, url="https://late.example/")
        services.claim_create(
            actor=editor,
            text="Created while verifying.",
            claimant="Late Comer",
            appearances=[services.AppearanceInput(SourceFactory(), "just now")],
        )
        return original(events)  # the events query runs only now, after the writes

    monkeypatch.setattr(audit_chain, "iter_chains", iter_chains_after_writes)
    assert run_verify_audit() == "Audit trail intact: 8 events in 3 claims.\n"


def test_queries_do_not_grow_with_claims(chain, editor, django_assert_max_num_queries):
    for number in range(5):
        services.claim_create(
            actor=editor,
            text=f"Claim {number}",
            claimant="Many",
            appearances=[services.AppearanceInput(SourceFactory(), "q")],
        )
    # The checkpoints, the heads, the events, the claims', links' and assignments' rows for the
    # replay (and nothing per claim; no leaves without a checkpoint to check them against).
    with django_assert_max_num_queries(7):
        assert "11 events in 7 claims" in run_verify_audit()


def test_the_streamed_check_hashes_as_the_writer_did_without_falling_back(
    chain, monkeypatch, editor
):
    """verify_all hashes streamed rows with orjson and the database's own text for times; if
    either ever differed from how events are written, every event would take the slow path.
    Times with a whole second (no fraction written) are among them."""
    from datetime import UTC, datetime

    from claims import clock

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 5, 1, 9, 30, 0, tzinfo=UTC))
    services.claim_create(
        actor=editor,
        text="Written on the second, “quoted” ünïcode and\\ttabs",
        claimant="Someone",
        appearances=[services.AppearanceInput(SourceFactory(), "said")],
    )

    def slow_path(_event):
        raise AssertionError("fell back to the slow hash")

    monkeypatch.setattr(audit_chain, "event_hash", slow_path)
    tally = audit_chain.verify_all()
    assert not tally.problems
    assert tally.events >= 6


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_processes_check_a_large_desk_and_find_a_break_in_either_half(monkeypatch):
    """Past PARALLEL_FROM claims, and outside a transaction, the upper half of the claims is
    checked in a forked process: its findings and counts reach the report like the lower's."""
    from tests.conftest import restore_roles
    from tests.factories import EditorFactory

    restore_roles()
    editor = EditorFactory()
    made = [
        services.claim_create(
            actor=editor,
            text=f"Claim {number}",
            claimant="Many",
            appearances=[services.AppearanceInput(SourceFactory(), "q")],
        )
        for number in range(6)
    ]
    monkeypatch.setattr(audit_chain, "PARALLEL_FROM", 2)
    assert audit_chain._split_point({c.pk: None for c in made}) == made[3].pk

    with tampering() as cursor:
        for claim in (made[0], made[-1]):
            cursor.execute(
                "UPDATE claims_auditevent SET actor_name = 'Someone else' WHERE claim_id = %s",
                [claim.pk],
            )
    tally = audit_chain.verify_all()
    assert set(tally.problems) == {made[0].pk, made[-1].pk}
    assert tally.claims == 6
    assert tally.events == 6
