"""Data for the fact-check desk: sources, claims, evidence, reviewer assignments, audit events.

Models hold data, choices and the constraints the database can enforce. What may change and when
lives in ``workflow.py`` and ``permissions.py``; every write goes through ``services.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .urlnorm import validate_http_url

# The largest id a row can have: ids are 64-bit (BigAutoField) on both databases.
LARGEST_ID = 2**63 - 1


def is_row_id(value: str) -> bool:
    """Does ``value``, as typed into a URL or form, name a row id? Only ASCII digits (``"²"``
    passes ``isdigit`` but not ``int``) and nothing past 64 bits, which the database refuses."""
    return value.isascii() and value.isdigit() and int(value) <= LARGEST_ID


class ReviewState(models.TextChoices):
    UNVERIFIED = "unverified", _("Unverified")
    CORROBORATED = "corroborated", _("Corroborated")
    DISPUTED = "disputed", _("Disputed")


class Stance(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    CONTRADICTS = "contradicts", _("Contradicts")


class AssignmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Source(models.Model):
    """A published document (article, speech, post) in which claims appear."""

    title = models.CharField(_("title"), max_length=500)
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    outlet = models.CharField(_("outlet"), max_length=200, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "title"]
        indexes = [models.Index(fields=["outlet"], name="source_outlet_idx")]

    def __str__(self):
        return f"{self.title} ({self.outlet})" if self.outlet else self.title


class Claim(models.Model):
    """A statement under review, with its review state and the head of its audit chain.

    ``supporting_count`` and ``contradicting_count`` count standing (unretracted) evidence; the
    services keep them, so lists never join over all evidence to count it. ``open_reviews`` and
    ``next_due_on`` sum up the open assignments, kept by triggers on the assignment table
    (migration 0010), so "unassigned" and "overdue" are read from the claim row rather than by
    looking for assignments of every claim. ``version`` goes up with every write to the claim or
    its children and is what stale-edit detection compares.
    """

    text = models.TextField(_("claim"))
    claimant = models.CharField(_("claimant"), max_length=200)
    claimed_on = models.DateField(_("date made"), null=True, blank=True)
    state = models.CharField(
        _("review state"),
        max_length=20,
        choices=ReviewState.choices,
        default=ReviewState.UNVERIFIED,
    )
    rationale = models.TextField(_("verdict rationale"), blank=True)
    sources = models.ManyToManyField(
        Source, through="Appearance", related_name="claims", verbose_name=_("sources")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last change"), default=timezone.now, editable=False)
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    first_verdict_at = models.DateTimeField(_("first verdict at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    supporting_count = models.PositiveIntegerField(_("supporting"), default=0, editable=False)
    contradicting_count = models.PositiveIntegerField(_("contradicting"), default=0, editable=False)
    audit_length = models.PositiveIntegerField(_("audit events"), default=0, editable=False)
    audit_head = models.CharField(_("audit chain head"), max_length=64, blank=True, editable=False)
    open_reviews = models.PositiveIntegerField(_("open reviews"), default=0, editable=False)
    next_due_on = models.DateField(_("next review due"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-updated_at", "-id"]
        permissions = [
            ("manage_claims", _("Can run the whole review workflow and assign reviewers")),
            ("review_claims", _("Can review the claims assigned to them")),
        ]
        indexes = [
            models.Index(fields=["state", "-updated_at"], name="claim_state_updated_idx"),
            models.Index(fields=["-updated_at", "-id"], name="claim_updated_idx"),
            models.Index(fields=["-created_at"], name="claim_created_idx"),
            models.Index(fields=["claimant"], name="claim_claimant_idx"),
            # The queue's counts by state, also under the has-evidence filters, read from this
            # small index alone (few distinct keys: PostgreSQL stores each once).
            models.Index(
                fields=["state", "supporting_count", "contradicting_count"],
                name="claim_state_counts_idx",
            ),
            # The queue's "unassigned" and "overdue" filters, counted by state from these alone.
            # State first: SQLite then counts from them yet still pages in the order's index,
            # where with the filter's column first it would sort every match to take a page.
            models.Index(fields=["state", "open_reviews"], name="claim_open_reviews_idx"),
            models.Index(fields=["state", "next_due_on"], name="claim_next_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ReviewState.values), name="claim_state_valid"
            ),
            # The workflow invariant, held by the database too: a verdict needs standing evidence.
            models.CheckConstraint(
                condition=~Q(state=ReviewState.CORROBORATED) | Q(supporting_count__gt=0),
                name="claim_corroborated_has_support",
            ),
            models.CheckConstraint(
                condition=~Q(state=ReviewState.DISPUTED) | Q(contradicting_count__gt=0),
                name="claim_disputed_has_contradiction",
            ),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def get_absolute_url(self):
        return reverse("claims:detail", kwargs={"pk": self.pk})

    def standing_count(self, stance: str) -> int:
        """The number of unretracted links with this stance."""
        return self.supporting_count if stance == Stance.SUPPORTS else self.contradicting_count


class StateTally(models.Model):
    """How many claims are in each review state, kept by the database itself.

    Triggers on the claim table (migration 0007) add and subtract as claims are inserted,
    change state or go, whatever wrote the row: services, ``seed_bulk`` or a test factory. The
    queue's tabs and the dashboard read three rows here instead of counting 100,000 index entries.
    A state with no row has no claims. Read it through ``selectors``; nothing in Python writes it.
    """

    state = models.CharField(
        _("review state"), max_length=20, choices=ReviewState.choices, primary_key=True
    )
    claims = models.BigIntegerField(_("claims"), default=0)

    class Meta:
        verbose_name = _("state tally")
        verbose_name_plural = _("state tallies")

    def __str__(self):
        return f"{self.state}: {self.claims}"


class Appearance(models.Model):
    """Where a claim appeared: one source and the passage quoted from it."""

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="appearances", verbose_name=_("claim")
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="appearances", verbose_name=_("source")
    )
    quote = models.TextField(_("quoted passage"), blank=True)

    class Meta:
        verbose_name = _("appearance")
        verbose_name_plural = _("appearances")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "source"], name="appearance_unique_source")
        ]

    def __str__(self):
        return f"{self.claim_id} in {self.source}"


class EvidenceQuerySet(models.QuerySet):
    def standing(self):
        return self.filter(retracted_at__isnull=True)


class Evidence(models.Model):
    """A link that supports or contradicts a claim. Never deleted: retracted, with a reason."""

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("claim")
    )
    stance = models.CharField(_("stance"), max_length=20, choices=Stance.choices)
    url = models.URLField(_("URL"), max_length=2000, validators=[validate_http_url])
    normalized_url = models.CharField(_("normalized URL"), max_length=2000, editable=False)
    title = models.CharField(_("title"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    excerpt = models.TextField(_("quoted excerpt"), blank=True)
    note = models.TextField(_("note"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)
    retracted_at = models.DateTimeField(_("retracted at"), null=True, blank=True, editable=False)
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retracted by"),
    )
    retraction_reason = models.TextField(_("retraction reason"), blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")
        ordering = ["added_at", "id"]
        indexes = [models.Index(fields=["claim", "stance"], name="evidence_claim_stance_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="evidence_stance_valid"
            ),
            # One page once per claim and stance; a retracted link no longer blocks re-adding it.
            models.UniqueConstraint(
                fields=["claim", "stance", "normalized_url"],
                condition=Q(retracted_at__isnull=True),
                name="evidence_unique_standing_url",
            ),
        ]

    def __str__(self):
        return self.title or self.url

    @property
    def is_standing(self) -> bool:
        return self.retracted_at is None


class Assignment(models.Model):
    """A reviewer asked to review a claim, by an editor, optionally by a due date."""

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("claim")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("reviewer"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.OPEN
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    close_reason = models.TextField(_("note on closing"), blank=True)

    class Meta:
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")
        ordering = ["due_on", "assigned_at"]
        indexes = [
            models.Index(fields=["reviewer", "status", "due_on"], name="assignment_queue_idx"),
            models.Index(fields=["status", "due_on"], name="assignment_status_due_idx"),
            # A page's open assignments; "has an open (overdue) assignment" for each claim.
            models.Index(fields=["claim", "status", "due_on"], name="assignment_claim_open_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AssignmentStatus.values), name="assignment_status_valid"
            ),
            models.UniqueConstraint(
                fields=["claim", "reviewer"],
                condition=Q(status=AssignmentStatus.OPEN),
                name="assignment_one_open_per_reviewer",
            ),
        ]

    def __str__(self):
        return f"{self.reviewer} on claim {self.claim_id} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == AssignmentStatus.OPEN


class AuditEventQuerySet(models.QuerySet):
    """Append-only: events are inserted, never updated or deleted through the ORM."""

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
        Claim,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the (claim, sequence) unique index serves lookups by claim
        related_name="audit_events",
        verbose_name=_("claim"),
    )
    sequence = models.PositiveIntegerField(_("position in chain"))
    action = models.CharField(_("action"), max_length=40)
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
