"""Each verdict's way through its stages, kept by triggers: how long every stage took."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .claims import Claim


class Stage(models.TextChoices):
    PROPOSAL = "proposal", _("Creation to first proposal")
    SIGNOFF = "signoff", _("Proposal to sign-off")
    PUBLICATION = "publication", _("Creation to publication")


class StageSpan(models.Model):
    """One stage of a claim's way to a published verdict: when it started and ended, how many
    seconds it took, and who proposed the verdict.

    Triggers on the proposal and publication tables (``claims.db.triggers``) keep these rows
    from those tables and the claim's creation time, whatever wrote them: the sign-off
    services, ``seed_bulk``, a migration. A claim's first proposal (``proposal``), each proposal
    signed off (``signoff``, with ``proposal_id``) and a claim's first publication
    (``publication``). The dashboard ranks a period's spans from one index instead of joining
    claims and proposals. Read it through ``claims.signoff.stages``; nothing in Python writes it.
    """

    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="+", verbose_name=_("claim")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposal_id = models.BigIntegerField(_("proposal signed off"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    seconds = models.BigIntegerField(_("seconds"))

    class Meta:
        verbose_name = _("stage of a verdict")
        verbose_name_plural = _("stages of verdicts")
        indexes = [
            # A period's spans of each stage and proposer, with everything the figures read.
            models.Index(
                fields=["stage", "person", "ended_at", "seconds"], name="stagespan_period_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stage__in=Stage.values), name="stagespan_stage_valid"
            ),
        ]

    def __str__(self):
        return f"{self.stage} of claim #{self.claim_id}: {self.seconds} s"
