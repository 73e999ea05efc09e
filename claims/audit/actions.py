"""The fixed, namespaced list of audit actions: what an event may say happened."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CLAIM_CREATED = "claim.created", _("claim created")
    CLAIM_EDITED = "claim.edited", _("claim edited")
    CLAIM_IMPORTED = "claim.imported", _("claim imported")
    CLAIM_STATE_CHANGED = "claim.state_changed", _("state changed")
    CLAIM_REVIEW_MODE_CHANGED = "claim.review_mode_changed", _("review mode changed")
    EVIDENCE_ADDED = "evidence.added", _("evidence added")
    EVIDENCE_RETRACTED = "evidence.retracted", _("evidence retracted")
    REVIEWER_ASSIGNED = "reviewer.assigned", _("reviewer assigned")
    REVIEWER_COMPLETED = "reviewer.completed", _("review completed")
    REVIEWER_WITHDRAWN = "reviewer.withdrawn", _("reviewer withdrawn")
    SOURCE_EDITED = "source.edited", _("source edited")
    VERDICT_PROPOSED = "verdict.proposed", _("verdict proposed")
    VERDICT_APPROVED = "verdict.approved", _("verdict signed off")
    VERDICT_RETURNED = "verdict.returned", _("verdict returned")
    VERDICT_WITHDRAWN = "verdict.withdrawn", _("proposal withdrawn")
    COMMENT_ADDED = "comment.added", _("comment added")
    COMMENT_EDITED = "comment.edited", _("comment edited")
    COMMENT_HIDDEN = "comment.hidden", _("comment hidden")


ACTIONS = frozenset(AuditAction.values)  # ``.values`` builds a new list on every access

# The events that move a claim's state: directly, or by signing off a proposed verdict.
STATE_MOVES = frozenset({AuditAction.CLAIM_STATE_CHANGED, AuditAction.VERDICT_APPROVED})

# The events of a claim's discussion: each names its comment and the comment's author.
COMMENT_EVENTS = frozenset(
    {AuditAction.COMMENT_ADDED, AuditAction.COMMENT_EDITED, AuditAction.COMMENT_HIDDEN}
)
