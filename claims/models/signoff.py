"""Proposed verdicts waiting for a second editor, and the verdicts the desk has published.

A ``Proposal`` is a state move (or a correction of a published verdict) that a reviewer or an
editor made and that takes effect only when another editor signs it off. A ``Publication`` is a
verdict as the public saw it from a moment on: the first one publishes the claim's verdict, each
later one corrects it, with a public note. What may happen to either is decided in
``claims.permissions`` and ``claims.signoff``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .claims import Claim, ReviewState


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for sign-off")
    APPROVED = "approved", _("Signed off")
    RETURNED = "returned", _("Returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # In an independent review, the proposals the deciding editor did not choose.
    NOT_CHOSEN = "not_chosen", _("Not chosen")


def _person(related_name: str, verbose_name):
    """A person on a row: kept as NULL when the account goes (the audit trail keeps the name)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
    )


class Proposal(models.Model):
    """A verdict proposed for a claim, with what it was based on and how it was decided."""

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("claim")
    )
    proposed_by = _person("+", _("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"))
    # The claim as the proposer saw it: approval refuses if its state moved since.
    from_state = models.CharField(_("state before"), max_length=20, choices=ReviewState.choices)
    from_rationale = models.TextField(_("rationale before"), blank=True)
    based_on_version = models.PositiveIntegerField(_("claim version proposed on"))
    state = models.CharField(_("proposed state"), max_length=20, choices=ReviewState.choices)
    rationale = models.TextField(_("proposed rationale"))
    is_correction = models.BooleanField(_("corrects a published verdict"), default=False)
    correction_note = models.TextField(_("public correction note"), blank=True)
    # Made in an independent review: hidden from the claim's other reviewers until they propose.
    independent = models.BooleanField(_("independent review"), default=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PENDING,
    )
    decided_by = _person("+", _("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note from the editor"), blank=True)

    class Meta:
        verbose_name = _("proposed verdict")
        verbose_name_plural = _("proposed verdicts")
        ordering = ["-proposed_at", "-id"]
        indexes = [
            models.Index(fields=["status", "proposed_at"], name="proposal_status_idx"),
            models.Index(fields=["proposed_by", "status"], name="proposal_proposer_idx"),
            # The dashboard's agreement figures: the claims with an independent proposal in a
            # period, then their independent proposals by proposer in time order, each a range
            # over the few independent proposals instead of all of them.
            models.Index(
                fields=["proposed_at", "claim"],
                condition=Q(independent=True),
                name="proposal_independent_idx",
            ),
            models.Index(
                fields=["claim", "proposed_by", "proposed_at"],
                condition=Q(independent=True),
                name="proposal_judgement_idx",
            ),
        ]
        constraints = [
            # One proposal at a time waits on a claim, a second would race the first; in an
            # independent review, one per reviewer.
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(status="pending", independent=False),
                name="proposal_one_pending_per_claim",
            ),
            models.UniqueConstraint(
                fields=["claim", "proposed_by"],
                condition=Q(status="pending"),
                name="proposal_one_pending_per_reviewer",
            ),
            models.CheckConstraint(
                condition=Q(state__in=ReviewState.values) & Q(from_state__in=ReviewState.values),
                name="proposal_states_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(is_correction=False) | ~Q(correction_note=""),
                name="proposal_correction_has_note",
            ),
        ]

    def __str__(self):
        return f"{self.get_state_display()} for claim #{self.claim_id} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PENDING


class Publication(models.Model):
    """A verdict made public: the claim's first publication, or a correction of the last one."""

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="publications", verbose_name=_("claim")
    )
    published_at = models.DateTimeField(_("published at"))
    state = models.CharField(_("state"), max_length=20, choices=ReviewState.choices)
    rationale = models.TextField(_("rationale"), blank=True)
    is_correction = models.BooleanField(_("correction"), default=False)
    previous_state = models.CharField(
        _("state before"), max_length=20, choices=ReviewState.choices, blank=True
    )
    previous_rationale = models.TextField(_("rationale before"), blank=True)
    correction_note = models.TextField(_("public correction note"), blank=True)
    proposal = models.OneToOneField(
        Proposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="publication",
        verbose_name=_("proposal"),
    )
    proposed_by = _person("+", _("proposed by"))
    approved_by = _person("+", _("signed off by"))
    # Published by one person: before sign-off existed, or on a desk that turned it off.
    without_signoff = models.BooleanField(_("published without sign-off"), default=False)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["published_at", "id"]
        indexes = [
            # The desk's corrections page, newest first, filtered by date.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(is_correction=True),
                name="publication_corrections_idx",
            ),
            models.Index(fields=["claim", "published_at"], name="publication_claim_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_correction=False) | ~Q(correction_note=""),
                name="publication_correction_has_note",
            ),
        ]

    def __str__(self):
        kind = "correction" if self.is_correction else "publication"
        return f"{kind} of claim #{self.claim_id}: {self.state}"
