"""The conflicts a write refuses when the record changed since the user loaded it."""

from django.utils.translation import gettext as _

from claims.models import Claim, Source


class EditConflict(Exception):
    """The record changed since the user loaded it; their input must be shown again, not lost.

    ``current`` is the record as it is now, so a form can show it beside what the user typed.
    """

    def __init__(self, current, expected_version: int, message: str):
        self.current = current
        self.expected_version = expected_version
        super().__init__(message)


class ClaimConflict(EditConflict):
    def __init__(self, claim: Claim, expected_version: int):
        super().__init__(
            claim,
            expected_version,
            _(
                "Someone else changed this claim while you were working on it "
                "(you saw version %(seen)s, it is now version %(now)s, %(state)s). "
                "Review the current claim, then submit again."
            )
            % {"seen": expected_version, "now": claim.version, "state": claim.get_state_display()},
        )

    @property
    def claim(self) -> Claim:
        return self.current


class SourceConflict(EditConflict):
    def __init__(self, source: Source, expected_version: int):
        super().__init__(
            source,
            expected_version,
            _(
                "Someone else changed this source while you were working on it "
                "(you saw version %(seen)s, it is now version %(now)s). "
                "Review the current source, then submit again."
            )
            % {"seen": expected_version, "now": source.version},
        )
