"""The conflicts a write refuses when the record changed since the user loaded it."""

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims.audit.actions import AuditAction
from claims.audit.sentences import describe
from claims.clock import time_ago
from claims.models import AuditEvent, Claim, Source


class EditConflict(Exception):
    """The record changed since the user loaded it; their input must be shown again, not lost.

    ``current`` is the record as it is now, so a form can show it beside what the user typed.
    """

    def __init__(self, current, expected_version: int, message: str):
        self.current = current
        self.expected_version = expected_version
        super().__init__(message)


# A conflict names at most this many of the changes made since the page was loaded.
CHANGES_NAMED = 3


class ClaimConflict(EditConflict):
    """The claim changed in a way the user's write rests on. The message says, in words, who
    did what and when since the page was loaded (the events after the version it showed)."""

    def __init__(self, claim: Claim, expected_version: int, changes: list | None = None):
        if changes is None:
            changes = changes_since(claim, expected_version)
        self.changes = changes
        super().__init__(claim, expected_version, _changes_in_words(changes))

    @property
    def claim(self) -> Claim:
        return self.current


class ClaimEditConflict(ClaimConflict):
    """An edit clashes with another person's: ``fields`` names what both changed differently
    since the page was loaded; the user's other changes were not written either."""

    def __init__(self, claim: Claim, expected_version: int, fields: list[str]):
        self.fields = fields
        super().__init__(claim, expected_version)


def changes_since(claim: Claim, version: int) -> list[AuditEvent]:
    """The claim's events after the ones a page at ``version`` knew of, oldest first.

    Every write after a claim's creation bumps its version once and records one event, so the
    newest ``claim.version - version`` events are those made since.
    """
    since = claim.version - version
    if since <= 0:
        return []
    return list(
        AuditEvent.objects.filter(
            claim_id=claim.pk, sequence__gt=claim.audit_length - since
        ).order_by("sequence")
    )


def fields_as_of(claim: Claim, version: int) -> dict:
    """The claim's text, claimant and date as a reader at ``version`` saw them: its fields now,
    with each edit since undone from the old values its event keeps. What an edit sent without
    a form's hidden copy of the page (an API call) is merged against, as a form's edit is."""
    fields = {"text": claim.text, "claimant": claim.claimant, "claimed_on": claim.claimed_on}
    for event in reversed(changes_since(claim, version)):
        if event.action != AuditAction.CLAIM_EDITED:
            continue
        for name, value in (event.data.get("old") or {}).items():
            if name == "claimed_on":
                fields[name] = parse_date(value) if value else None
            elif name in fields:
                fields[name] = value
    return fields


def _when(change: str, moment, now) -> str:
    return _("%(change)s, %(when)s") % {"change": change, "when": time_ago(moment, now)}


def _changes_in_words(changes: list[AuditEvent]) -> str:
    if not changes:
        return _("This claim changed while you were working on it: review it, then submit again.")
    now = timezone.now()
    named = [
        _when(describe(event).rstrip("."), event.created_at, now)
        for event in changes[-CHANGES_NAMED:]
    ]
    sentence = "; ".join(named)
    earlier = len(changes) - len(named)
    if earlier:
        sentence = ngettext(
            "%(sentence)s (and %(count)s earlier change)",
            "%(sentence)s (and %(count)s earlier changes)",
            earlier,
        ) % {"sentence": sentence, "count": earlier}
    return _("%(changes)s. Review the claim as it is now, then submit again.") % {
        "changes": sentence
    }


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
