"""Stale edits are refused with a conflict; simultaneous writes serialize on the claim row."""

import threading
import time

import pytest
from django.db import connection

from claims import services, workflow
from claims.models import AuditEvent, Claim, ReviewState, Stance
from tests.conftest import add_evidence, postgres_only


def test_stale_version_raises_conflict_and_writes_nothing(claim, editor):
    seen = claim.version
    services.claim_update(
        actor=editor,
        claim=claim,
        expected_version=seen,
        text="First edit wins",
        claimant=claim.claimant,
        claimed_on=None,
    )
    events = AuditEvent.objects.filter(claim_id=claim.pk).count()
    with pytest.raises(services.ClaimConflict) as conflict:
        services.claim_update(
            actor=editor,
            claim=claim,
            expected_version=seen,
            text="Second edit from an old page",
            claimant=claim.claimant,
            claimed_on=None,
        )
    # The error carries the claim as it is now, so a form can show it beside the user's input.
    assert conflict.value.claim.text == "First edit wins"
    assert conflict.value.claim.version == seen + 1
    assert conflict.value.expected_version == seen
    # Said in words, who did what and when, without version numbers.
    assert "changed the claim's text from" in str(conflict.value)
    assert "just now" in str(conflict.value)
    assert "version" not in str(conflict.value)
    claim.refresh_from_db()
    assert claim.text == "First edit wins"
    assert AuditEvent.objects.filter(claim_id=claim.pk).count() == events


@pytest.mark.parametrize(
    "service", ["evidence_add", "reviewer_assign", "evidence_retract", "reviewer_complete"]
)
def test_writes_that_conflict_with_nothing_need_no_version(
    assigned_claim, editor, reviewer, service
):
    """After someone else's write, each of these still goes through: they take no version and
    check their own rules under the claim's lock."""
    claim = assigned_claim
    link = add_evidence(claim, editor, Stance.SUPPORTS)
    add_evidence(claim, editor, Stance.CONTRADICTS)  # someone else's write
    assignment = claim.assignments.get()
    calls = {
        "evidence_add": lambda: services.evidence_add(
            actor=editor, claim=claim, stance=Stance.SUPPORTS, url="https://a.example/late"
        ),
        "reviewer_assign": lambda: services.reviewer_assign(
            actor=editor, claim=claim, reviewer=editor
        ),
        "evidence_retract": lambda: services.evidence_retract(
            actor=editor, evidence=link, reason="r"
        ),
        "reviewer_complete": lambda: services.reviewer_complete(
            actor=reviewer, assignment=assignment
        ),
    }
    before = Claim.objects.get(pk=claim.pk).version
    calls[service]()
    assert Claim.objects.get(pk=claim.pk).version == before + 1


def test_a_state_move_from_a_version_the_claim_never_had_is_a_conflict(claim, editor):
    add_evidence(claim, editor, Stance.SUPPORTS)
    with pytest.raises(services.ClaimConflict):
        services.claim_change_state(
            actor=editor,
            claim=claim,
            expected_version=claim.version + 5,
            state=ReviewState.CORROBORATED,
            rationale="r",
        )


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_state_changes_one_wins_one_conflicts(monkeypatch):
    from claims.models import Evidence
    from tests.conftest import restore_roles
    from tests.factories import ClaimFactory, EditorFactory

    restore_roles()  # an earlier transactional test's flush may have emptied the groups
    editor = EditorFactory(username="racer")
    claim = ClaimFactory()
    Evidence.objects.create(
        claim=claim,
        stance=Stance.SUPPORTS,
        url="https://a.example/",
        normalized_url="https://a.example/",
    )
    Evidence.objects.create(
        claim=claim,
        stance=Stance.CONTRADICTS,
        url="https://b.example/",
        normalized_url="https://b.example/",
    )
    Claim.objects.filter(pk=claim.pk).update(supporting_count=1, contradicting_count=1)
    claim.refresh_from_db()
    seen = claim.version

    # Hold each winner inside its transaction a while, so the loser is certainly waiting
    # on the row lock rather than arriving after the commit.
    original = workflow.check_verdict

    def slow_check(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(workflow, "check_verdict", slow_check)
    barrier = threading.Barrier(2)
    outcomes = []

    def change(target):
        try:
            barrier.wait()
            services.claim_change_state(
                actor=editor,
                claim=claim,
                expected_version=seen,
                state=target,
                rationale=f"Racing to {target}",
            )
            outcomes.append(("ok", target))
        except services.ClaimConflict:
            outcomes.append(("conflict", target))
        except Exception as error:
            outcomes.append(("error", repr(error)))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=change, args=(state,))
        for state in (ReviewState.CORROBORATED, ReviewState.DISPUTED)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(kind for kind, _ in outcomes) == ["conflict", "ok"], outcomes
    winner = next(target for kind, target in outcomes if kind == "ok")
    claim.refresh_from_db()
    assert claim.state == winner
    assert claim.version == seen + 1
    changes = AuditEvent.objects.filter(claim_id=claim.pk, action="claim.state_changed")
    assert changes.count() == 1
    assert changes.get().data["new"]["state"] == winner


def test_a_conflict_says_how_long_ago_an_older_change_was(claim, editor):
    import datetime

    from claims import clock

    seen = claim.version
    with clock.replaying(clock.now() - datetime.timedelta(minutes=5)):
        services.claim_update(
            actor=editor,
            claim=claim,
            expected_version=seen,
            text="Five minutes ago",
            claimant=claim.claimant,
            claimed_on=None,
        )
    with pytest.raises(services.ClaimConflict) as conflict:
        services.claim_update(
            actor=editor,
            claim=claim,
            expected_version=seen,
            text="Now",
            claimant=claim.claimant,
            claimed_on=None,
        )
    assert "5\xa0minutes ago" in str(conflict.value)
