"""The per-state tally of claims that triggers keep."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .claims import ReviewState


class StateTally(models.Model):
    """How many claims are in each review state, kept by the database itself.

    Triggers on the claim table (``claims.db.triggers``) add and subtract as claims are
    inserted, change state or go, whatever wrote the row: services, ``seed_bulk`` or a test
    factory. The queue's tabs and the dashboard read three rows here instead of counting every
    claim. A state with no row has no claims. Read it through ``selectors``; nothing in Python
    writes it.
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
