"""Source services: sources are created and corrected through the services, and a correction
is recorded on every claim that cites the source."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from claims import services
from claims.audit.actions import AuditAction
from claims.audit.chain import verify_chain
from claims.audit.sentences import describe
from claims.models import (
    Source,
)
from tests.conftest import events_of
from tests.factories import SourceFactory


def test_source_create_and_update(editor):
    source = services.source_create(
        actor=editor,
        title="Trump: Israel let us down",
        url="https://news.example/let-down",
        outlet="Example Post",
    )
    updated = services.source_update(
        actor=editor, source=source, expected_version=source.version, author="A. Reporter"
    )
    source.refresh_from_db()
    assert source.author == "A. Reporter"
    assert source.version == updated.version == 2


def test_a_source_edit_is_recorded_in_every_claim_that_cites_it(editor, source):
    def cite(text):
        return services.claim_create(
            actor=editor,
            text=text,
            claimant="Someone",
            appearances=[services.AppearanceInput(source, "quoted")],
        )

    citing = [cite("First claim"), cite("Second claim")]
    elsewhere = services.claim_create(
        actor=editor,
        text="Cites another source",
        claimant="Someone",
        appearances=[services.AppearanceInput(SourceFactory(), "quoted")],
    )
    old_title, old_date = source.title, source.published_on
    versions = {claim.pk: claim.version for claim in citing}

    services.source_update(
        actor=editor,
        source=source,
        expected_version=source.version,
        title="Corrected headline",
        published_on=datetime.date(2023, 10, 11),
    )

    for claim in citing:
        event = events_of(claim)[-1]
        assert event.action == AuditAction.SOURCE_EDITED
        assert event.actor == editor
        assert event.data == {
            "source_id": source.pk,
            "source": str(Source.objects.get(pk=source.pk)),
            "old": {"title": old_title, "published_on": old_date and old_date.isoformat()},
            "new": {"title": "Corrected headline", "published_on": "2023-10-11"},
        }
        claim.refresh_from_db()
        assert claim.version == versions[claim.pk] + 1
        head = (claim.audit_length, claim.audit_head)
        assert verify_chain(claim.pk, events_of(claim), head) is None
        assert describe(event).startswith("Edna Editor edited the source “Corrected headline")
    assert [e.action for e in events_of(elsewhere)] == [AuditAction.CLAIM_CREATED]

    # An edit that changes nothing records nothing.
    source.refresh_from_db()
    services.source_update(
        actor=editor, source=source, expected_version=source.version, title="Corrected headline"
    )
    assert len(events_of(citing[0])) == 2


def test_stale_source_edit_is_refused_with_the_current_source(editor, source):
    services.source_update(actor=editor, source=source, expected_version=1, title="First fix")
    with pytest.raises(services.SourceConflict) as conflict:
        services.source_update(actor=editor, source=source, expected_version=1, title="Old page")
    assert conflict.value.current.title == "First fix"
    source.refresh_from_db()
    assert source.title == "First fix"


def test_source_url_must_be_http(editor):
    with pytest.raises(ValidationError):
        services.source_create(actor=editor, title="x", url="javascript:alert(1)")
    assert not Source.objects.exists()


def test_source_url_error_is_keyed_to_the_url_field(editor, source):
    with pytest.raises(ValidationError) as refusal:
        services.source_update(
            actor=editor, source=source, expected_version=1, url="ftp://files.example/a"
        )
    assert "url" in refusal.value.message_dict
