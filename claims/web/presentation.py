"""HTML for the queue's rows, written in Python because the row is the queue's hot path.

Written as a template, the rows' variable lookups and date filters were a large share of the
request. Here each row is one ``format_html`` call (which escapes every value), and what is the
same for every row (translated labels, state and month names, the claim URL's pattern) is
looked up once a page by ``QueueRowWriter``. Everything a reader sees goes through gettext, so
the rows translate like the templates around them.
"""

from datetime import date

from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from claims.models import ReviewState, Stance, stance_adjective
from claims.selectors.people import display_name
from claims.selectors.queue import QueueRow

_ROW = (
    "<tr>"
    '<td class="claim-cell"><a class="claim-link" href="{url}">{text}</a>'
    '<div class="claimant">{claimant}</div></td>'
    '<td class="state-cell" data-label="{state_heading}">'
    '<span class="badge badge-{state}">{state_label}</span></td>'
    '<td class="evidence-cell" data-label="{evidence_heading}">'
    '<span class="count-for{supporting_zero}" title="{supporting_title}">✓ {supporting}'
    '<span class="visually-hidden"> {supporting_word}</span></span> '
    '<span class="count-against{contradicting_zero}" title="{contradicting_title}">'
    "✗ {contradicting}"
    '<span class="visually-hidden"> {contradicting_word}</span></span></td>'
    "{reviewers}{due}"
    '<td class="date-cell" data-label="{changed_heading}"><time datetime="{iso}">{day}'
    '<span class="time"> {time}</span></time></td>'
    "</tr>"
)
_OVERDUE = (
    '<td class="date-cell" data-label="{heading}"><span class="overdue" title="{title}">{day}'
    '</span><span class="visually-hidden"> ({note})</span></td>'
)
_NO_REVIEWER = (
    '<td class="reviewers-cell is-empty" data-label="{heading}">'
    '<span class="muted">{unassigned}</span></td>'
)
_REVIEWERS = '<td class="reviewers-cell" data-label="{heading}">{names}</td>'
_DUE = '<td class="date-cell" data-label="{heading}"><span>{day}</span></td>'
_NO_DUE = '<td class="date-cell is-empty" data-label="{heading}"><span class="muted">—</span></td>'

TEXT_LENGTH = 140  # a queue row shows the start of a long claim


def shorten(text: str, length: int = TEXT_LENGTH) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _with_words(pattern: str, **words: str) -> str:
    """``pattern`` with these placeholders filled by escaped text, the others left for
    ``format_html`` (braces in a translation are doubled, so they stay text)."""
    for name, word in words.items():
        pattern = pattern.replace(
            "{" + name + "}", escape(word).replace("{", "{{").replace("}", "}}")
        )
    return pattern


class QueueRowWriter:
    """Writes a page's rows, with what every row shares looked up once."""

    def __init__(self):
        # Django's "j M Y" ("5 Nov 2026"), its translated month names read once, not per cell.
        self.months = {number: str(name).title() for number, name in MONTHS_3.items()}
        self.state_labels = {value: str(label) for value, label in ReviewState.choices}
        # Claim.get_absolute_url for every row, without resolving the URL pattern for each.
        self.url_before, self.url_after = reverse("claims:detail", kwargs={"pk": 1}).rsplit("1", 1)
        # The words are the same in every row: escaped and written into the row's pattern once,
        # so that format_html escapes only what each claim brings.
        self.row_pattern = _with_words(
            _ROW,
            state_heading=_("State"),
            evidence_heading=_("Evidence"),
            supporting_title=_("Supporting links"),
            supporting_word=stance_adjective(Stance.SUPPORTS),
            contradicting_title=_("Contradicting links"),
            contradicting_word=stance_adjective(Stance.CONTRADICTS),
            changed_heading=_("Last change"),
        )
        reviewers, due = _("Reviewers"), _("Due")
        self.no_reviewer = format_html(_NO_REVIEWER, heading=reviewers, unassigned=_("Unassigned"))
        self.no_due = format_html(_NO_DUE, heading=due)
        self.reviewers_heading, self.due_heading = reviewers, due
        self.overdue_words = {"heading": due, "title": _("Overdue"), "note": _("overdue")}

    def day(self, value: date) -> str:
        return f"{value.day} {self.months[value.month]} {value.year}"

    def row(self, row: QueueRow) -> SafeString:
        claim = row.claim
        if row.reviewers:
            names = ", ".join(display_name(user) for user in row.reviewers)
            reviewers = format_html(_REVIEWERS, heading=self.reviewers_heading, names=names)
        else:
            reviewers = self.no_reviewer
        if row.overdue:
            due = format_html(_OVERDUE, day=self.day(row.due_on), **self.overdue_words)
        elif row.due_on:
            due = format_html(_DUE, heading=self.due_heading, day=self.day(row.due_on))
        else:
            due = self.no_due
        return format_html(
            self.row_pattern,
            url=f"{self.url_before}{claim.pk}{self.url_after}",
            text=shorten(claim.text),
            claimant=claim.claimant,
            state=claim.state,
            state_label=self.state_labels.get(claim.state, claim.state),
            supporting=claim.supporting_count,
            supporting_zero="" if claim.supporting_count else " zero",
            contradicting=claim.contradicting_count,
            contradicting_zero="" if claim.contradicting_count else " zero",
            reviewers=reviewers,
            due=due,
            iso=row.changed_at.isoformat(timespec="seconds"),
            day=self.day(row.changed_at),
            time=f"{row.changed_at:%H:%M}",
        )


def queue_rows_html(rows: list[QueueRow]) -> list[SafeString]:
    """The queue page's ``<tr>`` elements, in order."""
    writer = QueueRowWriter()
    return [writer.row(row) for row in rows]
