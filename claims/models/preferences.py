"""How each person likes the desk laid out: choices that change what they see, not the claims."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class QueueDensity(models.TextChoices):
    COMFORTABLE = "comfortable", _("Comfortable")
    COMPACT = "compact", _("Compact")


class DeskPreferences(models.Model):
    """One person's desk preferences, one row per user, created when they first choose.

    A user with no row has every default: most people never change a layout, and the desk
    should not need a row per account to show them the queue.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="desk_preferences",
        verbose_name=_("user"),
    )
    queue_density = models.CharField(
        _("queue density"),
        max_length=20,
        choices=QueueDensity.choices,
        default=QueueDensity.COMFORTABLE,
    )

    class Meta:
        verbose_name = _("desk preferences")
        verbose_name_plural = _("desk preferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(queue_density__in=QueueDensity.values),
                name="deskpreferences_queue_density_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.queue_density}"
