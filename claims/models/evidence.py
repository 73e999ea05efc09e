"""Evidence links that support or contradict a claim."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.urlnorm import validate_http_url


class Stance(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    CONTRADICTS = "contradicts", _("Contradicts")


_ADJECTIVES = {Stance.SUPPORTS: _("supporting"), Stance.CONTRADICTS: _("contradicting")}


def stance_adjective(stance: str | None) -> str:
    """A stance as sentences say it: "supporting" or "contradicting" (empty when unknown)."""
    return str(_ADJECTIVES.get(stance, ""))


class EvidenceQuerySet(models.QuerySet):
    def standing(self):
        return self.filter(retracted_at__isnull=True)


class Evidence(models.Model):
    """A link that supports or contradicts a claim. Never deleted: retracted, with a reason."""

    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.PROTECT, related_name="evidence", verbose_name=_("claim")
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
