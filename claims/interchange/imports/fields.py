"""One record's fields read from a file, each checked against what the database can hold.

Every problem is collected rather than stopping at the first, so one run names them all. Field
labels (``evidence 2 url``) name the file's own columns and keys, which do not change with the
language; what is wrong with them does, and is marked for translation.
"""

import contextlib
from datetime import UTC, date, datetime

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims.interchange.imports.records import RecordProblems
from claims.models import LARGEST_ID, Claim, Evidence, ReviewState, Source
from claims.urlnorm import normalize_url

# Column lengths the database holds (PostgreSQL refuses longer values; SQLite would keep them).
_LIMITS = {
    "claimant": Claim._meta.get_field("claimant").max_length,
    "title": Evidence._meta.get_field("title").max_length,
    "publisher": Evidence._meta.get_field("publisher").max_length,
    "outlet": Source._meta.get_field("outlet").max_length,
    "author": Source._meta.get_field("author").max_length,
}
EVIDENCE_URL_LIMIT = Evidence._meta.get_field("url").max_length
NORMALIZED_URL_LIMIT = Evidence._meta.get_field("normalized_url").max_length
SOURCE_URL_LIMIT = Source._meta.get_field("url").max_length
MAX_COUNT = 2**31 - 1  # PositiveIntegerField, the smallest range any backend gives it
# Free text is kept as written; every other text field loses its surrounding blanks.
_UNSTRIPPED = frozenset({"text", "excerpt", "note"})
# Problems kept for one record; the rest are counted (see RecordProblems).
MAX_RECORD_PROBLEMS = 20


def shown(value) -> str:
    """A value as a problem quotes it, cut short so one huge cell cannot flood the report."""
    try:
        text = repr(value)
    except ValueError:  # an int with more digits than Python will print
        text = _("a number too long to show")
    return text if len(text) <= 80 else text[:77] + "..."


def text_problem(value: str) -> str | None:
    """Why the database cannot store this text: PostgreSQL refuses NUL, UTF-8 a lone surrogate."""
    if "\x00" in value:
        return _("contains a NUL character")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _("not valid Unicode text (a lone surrogate)")
    return None


def longer_than(limit: int) -> str:
    return ngettext(
        "longer than %(limit)d character", "longer than %(limit)d characters", limit
    ) % {"limit": limit}


class RecordFields:
    """One record being parsed from the file's line ``line``, collecting its problems."""

    def __init__(self, line: int):
        self.line = line
        self.problems = RecordProblems(line)

    def fail(self, field_name: str, message: str) -> None:
        if len(self.problems.shown) >= MAX_RECORD_PROBLEMS:
            self.problems.hidden += 1
            return
        self.problems.shown.append(
            _("line %(line)d, %(field)s: %(problem)s")
            % {"line": self.line, "field": field_name, "problem": message}
        )

    def text(self, data: dict, name: str, *, required=False, label=None) -> str:
        label = label or name
        value = data.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(label, _("expected text"))
            return ""
        if name not in _UNSTRIPPED:
            value = value.strip()
        if required and not value.strip():
            self.fail(label, _("missing"))
        limit = _LIMITS.get(name)
        if limit and len(value) > limit:
            self.fail(label, longer_than(limit))
        problem = text_problem(value)
        if problem:
            self.fail(label, problem)
        return value

    def integer(
        self, data: dict, name: str, *, label=None, minimum=1, maximum=LARGEST_ID
    ) -> int | None:
        """A whole number in its column's range: text in a CSV cell, a number in JSON."""
        value = data.get(name)
        if value in (None, ""):
            return None
        number = None
        if isinstance(value, str):
            with contextlib.suppress(ValueError):  # not digits, or too many of them
                number = int(value.strip())
        elif isinstance(value, int) and not isinstance(value, bool):
            number = value
        if number is None:
            self.fail(label or name, _("not a whole number: %(value)s") % {"value": shown(value)})
            return None
        if not minimum <= number <= maximum:
            self.fail(
                label or name,
                _("out of range (%(minimum)d to %(maximum)d): %(value)s")
                % {"minimum": minimum, "maximum": maximum, "value": shown(value)},
            )
            return None
        return number

    def date(self, data: dict, name: str, *, label=None) -> date | None:
        value = data.get(name)
        if value in (None, ""):
            return None
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(
                label or name, _("not a date (YYYY-MM-DD): %(value)s") % {"value": shown(value)}
            )
            return None

    def time(self, data: dict, name: str, *, label=None) -> datetime | None:
        """A moment in UTC, as the database stores it; the year must stay within 1 to 9999 there."""
        value = data.get(name)
        if value in (None, ""):
            return None
        try:
            moment = parse_datetime(str(value).strip())
        except ValueError:
            moment = None
        if moment is None:
            self.fail(
                label or name,
                _("not a date and time (ISO 8601): %(value)s") % {"value": shown(value)},
            )
            return None
        try:
            return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
        except OverflowError:
            self.fail(
                label or name,
                _("out of range in UTC (years 1 to 9999): %(value)s") % {"value": shown(value)},
            )
            return None

    def state(self, value, *, label: str = "state") -> str:
        if value not in ReviewState.values:
            self.fail(
                label,
                _("unknown state %(value)s (expected %(states)s)")
                % {"value": shown(value), "states": ", ".join(ReviewState.values)},
            )
            return ""
        return value

    def url(self, value: str, label: str, *, limit: int) -> str:
        """The address's normal form ('' after a problem); the address must fit its column."""
        address = (value or "").strip()
        if len(address) > limit:
            self.fail(label, longer_than(limit))
            return ""
        try:
            return normalize_url(address)
        except ValidationError as error:
            self.fail(
                label,
                _("bad URL %(value)s: %(reason)s")
                % {"value": shown(value), "reason": " ".join(error.messages)},
            )
            return ""

    def evidence_url(self, value: str, label: str) -> str:
        """An evidence link's normal form, which is stored too and must fit its own column."""
        normalized = self.url(value, label, limit=EVIDENCE_URL_LIMIT)
        if len(normalized) > NORMALIZED_URL_LIMIT:
            self.fail(
                label,
                ngettext(
                    "longer than %(limit)d character once normalized",
                    "longer than %(limit)d characters once normalized",
                    NORMALIZED_URL_LIMIT,
                )
                % {"limit": NORMALIZED_URL_LIMIT},
            )
            return ""
        return normalized

    def items(self, data: dict, name: str) -> list:
        """A list field's items: none when it is absent, or after saying it is not a list."""
        value = data.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(name, _("expected a list"))
            return []
        return value

    def boolean(self, data: dict, name: str, *, label: str) -> bool:
        """A JSON true or false; absent (or null) is false."""
        value = data.get(name)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(label, _("expected true or false"))
            return False
        return value

    def username(self, data: dict, name: str, *, label: str) -> str | None:
        """Who a user object names (kept when the account exists here), or None."""
        value = data.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.fail(label, _("expected an object or null"))
            return None
        username = value.get("username")
        if username is not None and not isinstance(username, str):
            self.fail(f"{label} username", _("expected text"))
            return None
        return username
