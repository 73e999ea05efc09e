"""Publish the verdicts the desk reached before sign-off existed.

Every claim corroborated or disputed today becomes a published verdict, signed off by whoever
moved it there (the actor of its latest state change) and marked as published without sign-off,
at the time its state last changed. The audit trail is not touched: it already records the moves.
"""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

BATCH = 2000


def publish(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    AuditEvent = apps.get_model("claims", "AuditEvent")
    Publication = apps.get_model("claims", "Publication")
    mover = (
        AuditEvent.objects.filter(claim_id=OuterRef("pk"), action="claim.state_changed")
        .order_by("-sequence")
        .values("actor_id")[:1]
    )
    verdicts = (
        Claim.objects.filter(state__in=["corroborated", "disputed"], published_at__isnull=True)
        .annotate(mover=Subquery(mover), since=Coalesce("state_changed_at", "updated_at"))
        .values_list("pk", "state", "rationale", "mover", "since")
        .order_by("pk")
    )
    batch = []
    for pk, state, rationale, mover_id, since in verdicts.iterator(chunk_size=BATCH):
        batch.append(
            Publication(
                claim_id=pk,
                published_at=since,
                state=state,
                rationale=rationale,
                proposed_by_id=mover_id,
                approved_by_id=mover_id,
                without_signoff=True,
            )
        )
        if len(batch) == BATCH:
            Publication.objects.bulk_create(batch)
            batch = []
    Publication.objects.bulk_create(batch)
    Claim.objects.filter(state__in=["corroborated", "disputed"], published_at__isnull=True).update(
        published_at=Coalesce(F("state_changed_at"), F("updated_at"))
    )


def unpublish(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    Publication = apps.get_model("claims", "Publication")
    Publication.objects.filter(without_signoff=True, proposal__isnull=True).delete()
    Claim.objects.update(published_at=None, corrected_at=None)


class Migration(migrations.Migration):
    dependencies = [("claims", "0015_signoff")]
    operations = [migrations.RunPython(publish, unpublish)]
