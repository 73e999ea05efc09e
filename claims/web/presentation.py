"""HTML for the queue's rows, written in Python because the row is the queue's hot path.

Written as a template, the rows' variable lookups and date filters were a large share of the
request. Here each row is one ``format_html`` call (which escapes every value), and what is the
same for every row (translated labels, state and month names, the claim URL's pattern) is
looked up once a page by ``QueueRowWriter``. Everything a reader sees goes through gettext, so
the rows translate like the templates around them.
"""

import functools
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
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


@dataclass(frozen=True)
class _PageWords:
    """What every row of a page shares in one language: patterns with their words written in,
    month and state names."""

    row: str
    reviewers: str
    due: str
    overdue: str
    no_reviewer: SafeString
    no_due: SafeString
    months: dict
    state_labels: dict


@functools.lru_cache(maxsize=32)
def _page_words(language: str | None) -> _PageWords:
    """Built once per language and process: the words are the catalog's, which does not change
    while the process runs."""
    reviewers, due = _("Reviewers"), _("Due")
    return _PageWords(
        row=_with_words(
            _ROW,
            state_heading=_("State"),
            evidence_heading=_("Evidence"),
            supporting_title=_("Supporting links"),
            supporting_word=stance_adjective(Stance.SUPPORTS),
            contradicting_title=_("Contradicting links"),
            contradicting_word=stance_adjective(Stance.CONTRADICTS),
            changed_heading=_("Last change"),
        ),
        reviewers=_with_words(_REVIEWERS, heading=reviewers),
        due=_with_words(_DUE, heading=due),
        overdue=_with_words(_OVERDUE, heading=due, title=_("Overdue"), note=_("overdue")),
        no_reviewer=format_html(_NO_REVIEWER, heading=reviewers, unassigned=_("Unassigned")),
        no_due=format_html(_NO_DUE, heading=due),
        # Django's "j M Y" ("5 Nov 2026") with its translated month names, not per cell.
        months={number: str(name).title() for number, name in MONTHS_3.items()},
        state_labels={value: str(label) for value, label in ReviewState.choices},
    )


class QueueRowWriter:
    """Writes a page's rows, with what every row shares looked up once."""

    def __init__(self):
        self.words = _page_words(get_language())
        self.months = self.words.months
        # Claim.get_absolute_url for every row, without resolving the URL pattern for each.
        self.url_before, self.url_after = reverse("claims:detail", kwargs={"pk": 1}).rsplit("1", 1)

    def day(self, value: date) -> str:
        return f"{value.day} {self.months[value.month]} {value.year}"

    def row(self, row: QueueRow) -> SafeString:
        claim = row.claim
        words = self.words
        if row.reviewers:
            names = ", ".join(display_name(user) for user in row.reviewers)
            reviewers = format_html(words.reviewers, names=names)
        else:
            reviewers = words.no_reviewer
        if row.overdue:
            due = format_html(words.overdue, day=self.day(row.due_on))
        elif row.due_on:
            due = format_html(words.due, day=self.day(row.due_on))
        else:
            due = words.no_due
        return format_html(
            words.row,
            url=f"{self.url_before}{claim.pk}{self.url_after}",
            text=shorten(claim.text),
            claimant=claim.claimant,
            state=claim.state,
            state_label=words.state_labels.get(claim.state, claim.state),
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
