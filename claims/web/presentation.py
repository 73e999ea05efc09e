"""HTML for the queue's rows, written in Python because the row is the queue's hot path.

Written as a template, the rows' variable lookups and date filters were a large share of the
request. Here each row is one ``format_html`` call (which escapes every value), and what is the
same for every row (translated labels, state and month names, the claim URL's pattern) is
looked up once a page by ``QueueRowWriter``. Everything a reader sees goes through gettext, so
the rows translate like the templates around them.

A row comes in two densities: comfortable (the claim, its claimant beneath, evidence counts and
the last change) and compact (one line: claim, claimant, state, reviewers, due). For those who
may act in bulk it starts with a checkbox whose value names the claim and the version the row
showed, so that a state change is checked against what the user saw.
"""

import functools
import html
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from claims import clock
from claims.models import ReviewState, Stance, stance_adjective
from claims.selectors.people import display_name
from claims.selectors.queue import QueueRow

_ROW = (
    "<tr>{select}"
    '<td class="claim-cell"><a class="claim-link" href="{url}">{text}</a>'
    '<div class="claimant">{claimant}</div></td>'
    '<td class="state-cell" data-label="{state_heading}">'
    '<span class="badge badge-{state}">{state_label}</span>{waiting}</td>'
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
_COMPACT_ROW = (
    "<tr>{select}"
    '<td class="claim-cell"><a class="claim-link" href="{url}">{text}</a></td>'
    '<td class="claimant-cell">{claimant}</td>'
    '<td class="state-cell" data-label="{state_heading}">'
    '<span class="badge badge-{state}">{state_label}</span>{waiting}</td>'
    "{reviewers}{due}"
    "</tr>"
)
_WAITING = '<span class="waiting-note">{words}</span>'
# The label's words are the accessible name; the label itself is the box a finger aims at.
_SELECT = (
    '<td class="select-cell"><label class="select-target">'
    '<input type="checkbox" name="claim" value="{value}"{checked}>'
    '<span class="visually-hidden">{select_label}</span></label></td>'
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
LABEL_LENGTH = 60  # a claim named in a checkbox's label or a bulk action's result


def shorten(text: str, length: int = TEXT_LENGTH) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def selection_value(claim) -> str:
    """What a queue checkbox sends for ``claim``: its id and the version its row showed."""
    return f"{claim.pk}:{claim.version}"


def claim_label(claim) -> str:
    """A claim named in a list of many: ``#12 “The bridge carried…”``, or ``#12`` for one
    that is gone (there is no text left to show)."""
    if not claim.text:
        return f"#{claim.pk}"
    return _("#%(id)s “%(text)s”") % {"id": claim.pk, "text": shorten(claim.text, LABEL_LENGTH)}


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
    compact_row: str
    select: str
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
    reviewers, due, state = _("Reviewers"), _("Due"), _("State")
    return _PageWords(
        row=_with_words(
            _ROW,
            state_heading=state,
            evidence_heading=_("Evidence"),
            supporting_title=_("Supporting links"),
            supporting_word=stance_adjective(Stance.SUPPORTS),
            contradicting_title=_("Contradicting links"),
            contradicting_word=stance_adjective(Stance.CONTRADICTS),
            changed_heading=_("Last change"),
        ),
        compact_row=_with_words(_COMPACT_ROW, state_heading=state),
        select=_select_pattern(),
        reviewers=_with_words(_REVIEWERS, heading=reviewers),
        due=_with_words(_DUE, heading=due),
        overdue=_with_words(_OVERDUE, heading=due, title=_("Overdue"), note=_("overdue")),
        no_reviewer=format_html(_NO_REVIEWER, heading=reviewers, unassigned=_("Unassigned")),
        no_due=format_html(_NO_DUE, heading=due),
        # Django's "j M Y" ("5 Nov 2026") with its translated month names, not per cell.
        months={number: str(name).title() for number, name in MONTHS_3.items()},
        state_labels={value: str(label) for value, label in ReviewState.choices},
    )


def _select_pattern() -> str:
    """The checkbox cell with its translated label written in, the claim's number and text
    left as placeholders: the translation's own braces are doubled so they stay text."""
    words = escape(_("Select claim #%(id)s: %(text)s")).replace("{", "{{").replace("}", "}}")
    words = words.replace("%(id)s", "{id}").replace("%(text)s", "{text}")
    return _SELECT.replace("{select_label}", words)


class QueueRowWriter:
    """Writes a page's rows, with what every row shares looked up once.

    ``selectable`` adds the checkbox cell (for those who may act in bulk), ticked for the
    claims in ``selected``; ``compact`` writes the one-line rows.
    """

    def __init__(
        self, *, selectable: bool = False, selected: frozenset[int] = frozenset(), compact=False
    ):
        self.words = _page_words(get_language())
        self.months = self.words.months
        self.selectable, self.selected = selectable, selected
        self.pattern = self.words.compact_row if compact else self.words.row
        # Claim.get_absolute_url for every row, without resolving the URL pattern for each.
        self.url_before, self.url_after = reverse("claims:detail", kwargs={"pk": 1}).rsplit("1", 1)
        self.now = timezone.now()

    def select(self, claim) -> SafeString | str:
        if not self.selectable:
            return ""
        # What format_html does, for the one value that needs escaping (the others are
        # numbers and a fixed word); this cell is written for every row an editor sees.
        return mark_safe(  # noqa: S308
            self.words.select.format(
                value=selection_value(claim),
                checked=" checked" if claim.pk in self.selected else "",
                id=claim.pk,
                text=html.escape(shorten(claim.text, LABEL_LENGTH)),
            )
        )

    def waiting(self, row: QueueRow) -> SafeString | str:
        """How long a claim has waited for sign-off, beneath its state; nothing if it waits for
        nothing."""
        if row.waiting_since is None:
            return ""
        waited = clock.time_waiting(row.waiting_since, self.now)
        words = _("Waiting for sign-off for %(time)s") % {"time": waited}
        return format_html(_WAITING, words=words)

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
            self.pattern,
            select=self.select(claim),
            url=f"{self.url_before}{claim.pk}{self.url_after}",
            text=shorten(claim.text),
            claimant=claim.claimant,
            state=claim.state,
            state_label=words.state_labels.get(claim.state, claim.state),
            waiting=self.waiting(row),
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


def queue_rows_html(
    rows: list[QueueRow],
    *,
    selectable: bool = False,
    selected: frozenset[int] = frozenset(),
    compact: bool = False,
) -> list[SafeString]:
    """The queue page's ``<tr>`` elements, in order."""
    writer = QueueRowWriter(selectable=selectable, selected=selected, compact=compact)
    return [writer.row(row) for row in rows]
