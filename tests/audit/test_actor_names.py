"""Who the audit trail says acted: the actor's name as every event copies it."""

from claims import services
from claims.audit.chain import verify_chain
from tests.conftest import events_of
from tests.factories import UserFactory


def test_actor_name_is_copied_from_username_when_no_full_name(claim, db):
    bare = UserFactory(username="bare_editor", first_name="", last_name="", role="Editors")
    services.claim_update(
        actor=bare,
        claim=claim,
        expected_version=claim.version,
        text="Changed text",
        claimant=claim.claimant,
        claimed_on=None,
    )
    assert events_of(claim)[-1].actor_name == "bare_editor"


def test_a_full_name_longer_than_the_audit_column_is_shortened_to_fit(claim, db):
    # 150 + space + 150 characters: Django allows it, the audit copy holds 300.
    wordy = UserFactory(username="wordy", first_name="F" * 150, last_name="L" * 150, role="Editors")
    services.claim_update(
        actor=wordy,
        claim=claim,
        expected_version=claim.version,
        text="Changed text",
        claimant=claim.claimant,
        claimed_on=None,
    )
    stored = events_of(claim)[-1]
    assert stored.actor_name == "F" * 150 + " " + "L" * 149
    claim.refresh_from_db()
    head = (claim.audit_length, claim.audit_head)
    assert verify_chain(claim.pk, events_of(claim), head) is None
