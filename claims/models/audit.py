"""Audit events: append-only, hash-chained records of every change to a claim."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.audit.actions import AuditAction


class AuditEventQuerySet(models.QuerySet):
    """Append-only: events are inserted, never updated or deleted through the ORM.

    On PostgreSQL a trigger refuses it in the database too (``claims.db.triggers``).
    """

    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly("Audit events cannot be updated.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditTrailIsAppendOnly("Audit events cannot be updated.")

    def _update(self, values):
        # What Model.save() calls for an instance it takes for an existing row.
        raise AuditTrailIsAppendOnly("Audit events cannot be updated.")

    def bulk_create(self, objs, *args, update_conflicts=False, **kwargs):
        if update_conflicts:  # an "upsert" would overwrite the events it clashes with
            raise AuditTrailIsAppendOnly("Audit events cannot be updated.")
        return super().bulk_create(objs, *args, **kwargs)

    def delete(self):
        raise AuditTrailIsAppendOnly("Audit events cannot be deleted.")

    _raw_delete = delete


class AuditTrailIsAppendOnly(Exception):
    """Raised by any attempt to change or remove a recorded audit event."""


class AuditEvent(models.Model):
    """One semantic change to a claim, chained by hash to the claim's previous event.

    ``claim`` and ``actor`` carry no database constraint and no cascade, so deleting a user or a
    claim never touches history; ``actor_name`` keeps who it was.
    """

    claim = models.ForeignKey(
        "claims.Claim",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the (claim, sequence) unique index serves lookups by claim
        related_name="audit_events",
        verbose_name=_("claim"),
    )
    sequence = models.PositiveIntegerField(_("position in chain"))
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor name"), max_length=300)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    data = models.JSONField(_("data"), default=dict)
    previous_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        # Related lookups and saves go through _base_manager: it must refuse changes too.
        base_manager_name = "objects"
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["claim_id", "sequence"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="auditevent_recent_idx"),
            models.Index(fields=["action", "-created_at"], name="auditevent_action_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["claim", "sequence"], name="auditevent_chain_position")
        ]

    def __str__(self):
        return f"{self.action} on claim {self.claim_id} by {self.actor_name}"

    def save(self, *args, **kwargs):
        """Insert, and only insert: an event given an existing id (so not "loaded") must not
        be written over that row, and fails as a duplicate instead."""
        if not self._state.adding or kwargs.get("update_fields") is not None:
            raise AuditTrailIsAppendOnly("Audit events cannot be updated.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("Audit events cannot be deleted.")


class AppendOnlyQuerySet(AuditEventQuerySet):
    """The audit log's other tables keep the events' rule: insert, never change or remove."""


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("update_fields") is not None:
            raise AuditTrailIsAppendOnly(f"{self._meta.verbose_name} rows cannot be updated.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly(f"{self._meta.verbose_name} rows cannot be deleted.")


class AuditLogEntry(AppendOnlyModel):
    """An event's place in the desk-wide Merkle log (``claims.audit.checkpoints``).

    Places are given when a checkpoint is made, in the order of the events' ids, to every event
    not placed yet: an event committed late, with a lower id than one already placed, takes the
    next free place, so the log only ever grows at its end, which is what a checkpoint's
    consistency proof needs. The leaf is the event's hash; nothing else is stored here.
    """

    # The position is the key: one index fewer to keep for a million rows placed at once.
    position = models.PositiveBigIntegerField(_("position"), primary_key=True)
    event = models.OneToOneField(
        AuditEvent,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="log_entry",
        verbose_name=_("audit event"),
    )

    class Meta:
        base_manager_name = "objects"  # the guard also covers _base_manager
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log entries")
        ordering = ["position"]

    def __str__(self):
        return f"{self.position}: event {self.event_id}"


class AuditCheckpoint(AppendOnlyModel):
    """A signed tree head: the log's size and Merkle root at a time, signed with the desk's
    Ed25519 key. Also written outside the database (a file, standard output), where someone who
    can rewrite the database cannot reach it."""

    origin = models.CharField(_("log name"), max_length=300)
    tree_size = models.PositiveBigIntegerField(_("tree size"))
    root_hash = models.CharField(_("root hash"), max_length=64)
    created_at = models.DateTimeField(_("time"))
    key_id = models.CharField(_("key id"), max_length=16)
    signature = models.CharField(_("signature"), max_length=100)
    # The compact range at tree_size (a few hashes), so the next checkpoint adds only new leaves.
    frontier = models.JSONField(_("frontier"), default=list)

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["tree_size", "id"]
        get_latest_by = ["tree_size", "id"]

    def __str__(self):
        return f"checkpoint at {self.tree_size} events ({self.root_hash[:12]})"


class AuditTile(AppendOnlyModel):
    """The root of one complete run of TILE_LEAVES leaves of the Merkle log (``index`` counts
    runs from the log's start), kept when a checkpoint is made: a proof for one event then reads
    a run of leaves and the tiles, not the whole log (as C2SP tlog-tiles keeps a log)."""

    TILE_LEAVES = 256

    index = models.PositiveBigIntegerField(_("index"), unique=True)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("audit log tile")
        verbose_name_plural = _("audit log tiles")
        ordering = ["index"]

    def __str__(self):
        return f"tile {self.index} ({self.hash[:12]})"
