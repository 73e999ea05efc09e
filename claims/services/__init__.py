"""Every write to sources, claims, evidence, assignments, review states and discussions.

Each service runs in one transaction: lock the claim row, check permission, check the version the
user saw, validate, write, and record its one audit event. Views, forms, the admin and management
commands call these functions; nothing else saves these rows. Errors are ``ValidationError`` (keyed
by field where a form can show it at the field), ``PermissionDenied`` and ``ClaimConflict``.
One module per aggregate; what they share lives in ``_shared``. A person's desk preferences
(``preferences``) are not claim rows: no lock, version or audit event. Sign-off's writes live in
their own package, ``claims.signoff``, and are re-exported here: this is the one door for writes.
"""

from claims.signoff.services import (
    claim_set_review_mode,
    verdict_decide,
    verdict_propose,
    verdict_return,
    verdict_sign_off,
    verdict_withdraw,
)

from .assignments import reviewer_assign, reviewer_complete, reviewer_withdraw
from .bulk import BULK_LIMIT, BulkOutcome, claims_assign_reviewer, claims_change_state
from .claims import AppearanceInput, claim_change_state, claim_create, claim_update
from .comments import comment_add, comment_edit, comment_hide
from .conflicts import ClaimConflict, ClaimEditConflict, EditConflict, SourceConflict
from .evidence import evidence_add, evidence_retract
from .imports import IMPORT_BATCH_SIZE, claim_import
from .preferences import desk_preferences_update
from .sources import source_create, source_update
from .tokens import api_token_create, api_token_revoke

__all__ = [
    "BULK_LIMIT",
    "IMPORT_BATCH_SIZE",
    "AppearanceInput",
    "BulkOutcome",
    "ClaimConflict",
    "ClaimEditConflict",
    "EditConflict",
    "SourceConflict",
    "api_token_create",
    "api_token_revoke",
    "claim_change_state",
    "claim_create",
    "claim_import",
    "claim_set_review_mode",
    "claim_update",
    "claims_assign_reviewer",
    "claims_change_state",
    "comment_add",
    "comment_edit",
    "comment_hide",
    "desk_preferences_update",
    "evidence_add",
    "evidence_retract",
    "reviewer_assign",
    "reviewer_complete",
    "reviewer_withdraw",
    "source_create",
    "source_update",
    "verdict_decide",
    "verdict_propose",
    "verdict_return",
    "verdict_sign_off",
    "verdict_withdraw",
]
