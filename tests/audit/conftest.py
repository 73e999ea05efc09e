"""What the audit tests share: a signing key for checkpoints, set for the test."""

import pytest

from claims.audit.signing import new_private_key_text

KEY = new_private_key_text()


@pytest.fixture
def signing(settings):
    """Checkpoints signed with KEY, and written to no folder."""
    settings.AUDIT_SIGNING_KEY = KEY
    settings.AUDIT_CHECKPOINT_DIR = ""
