"""Data for the fact-check desk, one module per aggregate.

Models hold data, choices and the constraints the database can enforce. What may change and when
lives in ``claims.workflow`` and ``claims.permissions``; every write goes through
``claims.services``.
"""

from .assignments import Assignment, AssignmentStatus
from .audit import (
    AuditCheckpoint,
    AuditEvent,
    AuditEventQuerySet,
    AuditLogEntry,
    AuditTile,
    AuditTrailIsAppendOnly,
)
from .claims import Appearance, Claim, ReviewState
from .comments import COMMENT_TEXT_LENGTH, Comment, CommentRevision
from .evidence import Evidence, EvidenceQuerySet, Stance, stance_adjective
from .ids import LARGEST_ID, is_row_id
from .notifications import (
    DEFAULT_CHANNELS,
    REMINDER_KINDS,
    Channel,
    EmailState,
    Notification,
    NotificationKind,
    NotificationPreference,
    Watch,
)
from .preferences import DeskPreferences, QueueDensity
from .signoff import Proposal, ProposalStatus, Publication
from .sources import Source
from .stages import Stage, StageSpan
from .tally import StateTally
from .tokens import ApiToken
from .webhooks import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEventType

__all__ = [
    "COMMENT_TEXT_LENGTH",
    "DEFAULT_CHANNELS",
    "LARGEST_ID",
    "REMINDER_KINDS",
    "ApiToken",
    "Appearance",
    "Assignment",
    "AssignmentStatus",
    "AuditCheckpoint",
    "AuditEvent",
    "AuditEventQuerySet",
    "AuditLogEntry",
    "AuditTile",
    "AuditTrailIsAppendOnly",
    "Channel",
    "Claim",
    "Comment",
    "CommentRevision",
    "DeliveryStatus",
    "DeskPreferences",
    "EmailState",
    "Evidence",
    "EvidenceQuerySet",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "Proposal",
    "ProposalStatus",
    "Publication",
    "QueueDensity",
    "ReviewState",
    "Source",
    "Stage",
    "StageSpan",
    "Stance",
    "StateTally",
    "Watch",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEventType",
    "is_row_id",
    "stance_adjective",
]
