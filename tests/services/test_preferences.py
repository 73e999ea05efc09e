"""A person's desk preferences: stored per user, refused when unknown, never in the audit trail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services
from claims.models import AuditEvent, DeskPreferences, QueueDensity
from tests.factories import UserFactory


def test_choosing_a_density_stores_it_for_that_user_alone(editor, reviewer):
    services.desk_preferences_update(actor=editor, queue_density=QueueDensity.COMPACT)

    assert DeskPreferences.objects.get(user=editor).queue_density == QueueDensity.COMPACT
    assert not DeskPreferences.objects.filter(user=reviewer).exists()


def test_choosing_again_updates_the_one_row(editor):
    services.desk_preferences_update(actor=editor, queue_density=QueueDensity.COMPACT)
    services.desk_preferences_update(actor=editor, queue_density=QueueDensity.COMFORTABLE)

    assert list(DeskPreferences.objects.values_list("user_id", "queue_density")) == [
        (editor.pk, QueueDensity.COMFORTABLE)
    ]


def test_a_preference_is_not_an_audit_event(claim, editor):
    before = AuditEvent.objects.count()
    services.desk_preferences_update(actor=editor, queue_density=QueueDensity.COMPACT)
    assert AuditEvent.objects.count() == before


def test_an_unknown_density_is_refused_at_its_field(editor):
    with pytest.raises(ValidationError) as refused:
        services.desk_preferences_update(actor=editor, queue_density="tiny")
    assert list(refused.value.message_dict) == ["queue_density"]
    assert not DeskPreferences.objects.exists()


def test_someone_with_no_role_on_the_desk_stores_nothing(db):
    stranger = UserFactory(username="stranger")
    with pytest.raises(PermissionDenied):
        services.desk_preferences_update(actor=stranger, queue_density=QueueDensity.COMPACT)
    assert not DeskPreferences.objects.exists()
