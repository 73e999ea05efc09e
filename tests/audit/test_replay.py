"""verify_audit's replay: each claim's events folded to what its rows must say; a row changed
directly in the database, with no event, is named, and rows written by the services are not."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from claims import services
from claims.models import Assignment, AssignmentStatus, Claim, Evidence, ReviewState, Stance
from tests.conftest import add_evidence, change_state, run_verify_audit
from tests.factories import ReviewerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(assigned_claim, editor, reviewer, other_reviewer):
    """A claim through most of what the services write: an edit, links added and one
    retracted, a verdict, a second reviewer assigned and the first one's review completed."""
    claim = assigned_claim
    kept = add_evidence(claim, reviewer, url="https://records.example/kept")
    dropped = add_evidence(claim, reviewer, Stance.CONTRADICTS, url="https://records.example/x")
    add_evidence(claim, reviewer, Stance.CONTRADICTS, url="https://records.example/y")
    services.evidence_retract(actor=editor, evidence=dropped, reason="Wrong page.")
    claim.refresh_from_db()
    services.claim_update(
        actor=editor,
        claim=claim,
        expected_version=claim.version,
        text=claim.text + " (as reported)",
        claimant="The former president",
        claimed_on=claim.claimed_on,
    )
    claim = change_state(claim, editor, ReviewState.CORROBORATED, "The records bear it out.")
    services.reviewer_assign(actor=editor, claim=claim, reviewer=other_reviewer)
    first = Assignment.objects.get(claim=claim, reviewer=reviewer)
    services.reviewer_complete(actor=reviewer, assignment=first, note="Done.")
    claim.refresh_from_db()
    return claim, kept


def broken() -> tuple[str, str]:
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", stdout=out)
    return out.getvalue(), str(failure.value)


def sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_rows_the_services_wrote_replay_cleanly(worked):
    assert "Audit trail intact" in run_verify_audit()


@pytest.mark.parametrize(
    ("statement", "named"),
    [
        ("UPDATE claims_claim SET rationale = 'Quietly softened.' WHERE id = %s", "rationale"),
        ("UPDATE claims_claim SET state = 'disputed' WHERE id = %s", "state"),
        ("UPDATE claims_claim SET claimant = 'Someone nicer' WHERE id = %s", "claimant"),
        ("UPDATE claims_claim SET text = 'Another claim' WHERE id = %s", "text"),
    ],
)
def test_a_claim_row_changed_directly_is_named(worked, statement, named):
    claim, _kept = worked
    sql(statement, [claim.pk])
    out, failure = broken()
    assert f"CHANGED claim {claim.pk}: its {named} is not what its events recorded" in out
    assert failure.startswith("Rows changed behind the services: 1 claim differ")


def test_an_evidence_url_changed_directly_is_named(worked):
    claim, kept = worked
    sql("UPDATE claims_evidence SET url = %s WHERE id = %s", ["https://spin.example/", kept.pk])
    out, _failure = broken()
    assert (
        f"claim {claim.pk}: evidence {kept.pk} is supports https://spin.example/, but its event "
        "recorded supports https://records.example/kept"
    ) in out


def test_a_stance_flipped_or_a_link_retracted_or_added_without_an_event_is_named(worked, reviewer):
    claim, kept = worked
    other = Evidence.objects.get(claim=claim, retracted_at__isnull=True, stance="contradicts")
    sql("UPDATE claims_evidence SET stance = 'contradicts' WHERE id = %s", [kept.pk])
    sql("DELETE FROM claims_evidence WHERE id = %s", [other.pk])
    planted = Evidence.objects.create(
        claim=claim, stance=Stance.SUPPORTS, url="https://planted.example/", added_by=reviewer
    )
    out, _failure = broken()
    assert f"evidence {kept.pk} is contradicts" in out
    assert f"evidence {other.pk} was retracted or removed without an event" in out
    assert f"evidence {planted.pk} (https://planted.example/) stands, but no event added it" in out


def test_an_assignment_closed_reopened_or_reassigned_directly_is_named(worked, other_reviewer):
    claim, _kept = worked
    reviewer = ReviewerFactory()
    still_open = Assignment.objects.get(claim=claim, status=AssignmentStatus.OPEN)
    done = Assignment.objects.get(claim=claim, status=AssignmentStatus.DONE)
    sql("UPDATE claims_assignment SET reviewer_id = %s WHERE id = %s", [reviewer.pk, still_open.pk])
    sql("UPDATE claims_assignment SET status = 'open' WHERE id = %s", [done.pk])
    out, _failure = broken()
    assert (
        f"assignment {still_open.pk} names reviewer {reviewer.pk}, but its event assigned "
        f"reviewer {other_reviewer.pk}"
    ) in out
    assert f"assignment {done.pk} is open, but its events never opened it or closed it" in out


def test_an_imported_claims_unnamed_links_are_accepted_up_to_their_count(worked, editor, tmp_path):
    """An import's one event counts its links without naming them; each may stand, and the
    replay still catches one link more."""
    path = tmp_path / "desk.json"
    call_command("export_verdicts", format="json", output=str(path), stderr=StringIO())
    path.write_text(path.read_text().replace("(as reported)", "(as imported)"))
    call_command("import_claims", str(path), actor=editor.username, stdout=StringIO())
    copy = Claim.objects.get(text__endswith="(as imported)")
    assert copy.evidence.filter(retracted_at__isnull=True).count() == 2
    assert "Audit trail intact" in run_verify_audit()

    extra = Evidence.objects.create(
        claim=copy, stance=Stance.SUPPORTS, url="https://planted.example/", added_by=editor
    )
    out, _failure = broken()
    assert f"claim {copy.pk}: evidence " in out
    assert "stands, but no event added it" in out
    assert extra.pk
