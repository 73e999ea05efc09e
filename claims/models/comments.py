"""A claim's internal discussion: comments, their mentions of colleagues, and their earlier
texts."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Room for a paragraph or two of working notes; a longer argument belongs in evidence or the
# rationale.
COMMENT_TEXT_LENGTH = 2000


class Comment(models.Model):
    """A note on a claim by someone on the desk, in plain text. Never deleted: hidden, with who,
    when and why; an edit keeps the text it replaced as a ``CommentRevision``."""

    claim = models.ForeignKey(
        "claims.Claim",
        on_delete=models.PROTECT,
        related_name="comments",
        db_index=False,  # the (claim, created_at) index serves lookups by claim
        verbose_name=_("claim"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(
        _("comment"),
        max_length=COMMENT_TEXT_LENGTH,
        validators=[MaxLengthValidator(COMMENT_TEXT_LENGTH)],
    )
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="mentioned_in_comments",
        verbose_name=_("mentions"),
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now, editable=False)
    edited_at = models.DateTimeField(_("last edited at"), null=True, blank=True, editable=False)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True, editable=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["claim", "created_at"], name="comment_claim_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="comment_hidden_with_reason",
            ),
        ]

    def __str__(self):
        return f"Comment {self.pk} on claim {self.claim_id}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class CommentRevision(models.Model):
    """A text a comment had before its author edited it, with when it was written and replaced:
    the page lists them under "edited"."""

    comment = models.ForeignKey(
        Comment, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("comment")
    )
    text = models.TextField(_("earlier text"))
    written_at = models.DateTimeField(_("written at"))
    replaced_at = models.DateTimeField(_("replaced at"))

    class Meta:
        verbose_name = _("comment revision")
        verbose_name_plural = _("comment revisions")
        ordering = ["replaced_at", "id"]

    def __str__(self):
        return f"Revision {self.pk} of comment {self.comment_id}"
