"""Claims, their review states and where they appeared."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .evidence import Stance
from .sources import Source


class ReviewState(models.TextChoices):
    UNVERIFIED = "unverified", _("Unverified")
    CORROBORATED = "corroborated", _("Corroborated")
    DISPUTED = "disputed", _("Disputed")


class Claim(models.Model):
    """A statement under review, with its review state and the head of its audit chain.

    ``supporting_count`` and ``contradicting_count`` count standing (unretracted) evidence; the
    services keep them, so lists never join over all evidence to count it. ``open_reviews`` and
    ``next_due_on`` sum up the open assignments, kept by triggers on the assignment table
    (``claims.db.triggers``), so "unassigned" and "overdue" are read from the claim row rather
    than by looking for assignments of every claim. ``version`` goes up with every write to the
    claim or its children and is what stale-edit detection compares.
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
    # The verdict as the public sees it: first published, last corrected (``Publication`` rows
    # hold each one), and since when a proposed verdict has waited for sign-off.
    published_at = models.DateTimeField(_("first published at"), null=True, blank=True)
    corrected_at = models.DateTimeField(_("last corrected at"), null=True, blank=True)
    signoff_waiting_since = models.DateTimeField(
        _("waiting for sign-off since"), null=True, blank=True, editable=False
    )
    independent_review = models.BooleanField(_("independent review"), default=False)
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
            # The queue's "waiting for sign-off" tab, longest waiting first.
            models.Index(
                fields=["signoff_waiting_since", "id"],
                condition=Q(signoff_waiting_since__isnull=False),
                name="claim_signoff_waiting_idx",
            ),
            # The queue sorted by due date, soonest first and undated last, paged from this
            # index alone, also under the state and "has a reviewer" filters (the last two
            # columns, for those). PostgreSQL has one in the other direction (migration 0018).
            models.Index(
                fields=["next_due_on", "id", "state", "open_reviews"], name="claim_due_idx"
            ),
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

    @property
    def is_published(self) -> bool:
        """Does the public see a verdict on this claim now? Changing it is a correction."""
        return self.published_at is not None and self.state != ReviewState.UNVERIFIED

    def standing_count(self, stance: str) -> int:
        """The number of unretracted links with this stance."""
        return self.supporting_count if stance == Stance.SUPPORTS else self.contradicting_count


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
