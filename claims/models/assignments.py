"""Reviewer assignments: who reviews a claim, by when, and how it ended."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AssignmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Assignment(models.Model):
    """A reviewer asked to review a claim, by an editor, optionally by a due date."""

    claim = models.ForeignKey(
        "claims.Claim",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("claim"),
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
            # Open and overdue assignments counted from this alone; the id last, so the
            # dashboard's longest overdue (due date, then id) are its first entries, not a sort
            # of every assignment due on the oldest day.
            models.Index(fields=["status", "due_on", "id"], name="assignment_status_due_idx"),
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
