"""Data for the fact-check desk, one module per aggregate.

Models hold data, choices and the constraints the database can enforce. What may change and when
lives in ``claims.workflow`` and ``claims.permissions``; every write goes through
``claims.services``.
"""

from .assignments import Assignment, AssignmentStatus
from .audit import AuditEvent, AuditEventQuerySet, AuditTrailIsAppendOnly
from .claims import Appearance, Claim, ReviewState
from .comments import COMMENT_TEXT_LENGTH, Comment, CommentRevision
from .evidence import Evidence, EvidenceQuerySet, Stance, stance_adjective
from .ids import LARGEST_ID, is_row_id
from .preferences import DeskPreferences, QueueDensity
from .signoff import Proposal, ProposalStatus, Publication
from .sources import Source
from .stages import Stage, StageSpan
from .tally import StateTally

__all__ = [
    "COMMENT_TEXT_LENGTH",
    "LARGEST_ID",
    "Appearance",
    "Assignment",
    "AssignmentStatus",
    "AuditEvent",
    "AuditEventQuerySet",
    "AuditTrailIsAppendOnly",
    "Claim",
    "Comment",
    "CommentRevision",
    "DeskPreferences",
    "Evidence",
    "EvidenceQuerySet",
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
    "is_row_id",
    "stance_adjective",
]
