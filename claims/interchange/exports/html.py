"""A printable report (HTML with print CSS, A4, one claim per page): the claims with their
verdicts, rationale, the corrections of a published verdict, evidence for and against, reviewers
and the history of state changes (made directly or signed off).

Its head says what it holds: "Verdict report" when every claim listed has a verdict, "Claims
report" otherwise; the filters and sort that chose the claims, in the queue's own words; when it
was made. In the browser it offers a print button and a link back to the queue (not in print).

The page is rendered by Django templates (everything escaped); the document's head and foot come
from ``claims/report.html`` and each claim from ``claims/includes/report_claim.html``, so the
report streams claim by claim instead of being built whole in memory.
"""

import base64
import datetime
import functools
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from csp.decorators import csp_update
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from claims.audit.actions import AuditAction
from claims.audit.proofs import VerdictProofs
from claims.interchange.exports.reader import CHUNK_SIZE, EVERYTHING, ClaimRecord, ExportSelection
from claims.models import ReviewState, Stance
from claims.selectors.filters import ME
from claims.selectors.people import display_name

NAME = "html"
CONTENT_TYPE = "text/html; charset=utf-8"
EXTENSION = "html"
INCLUDE = EVERYTHING
PUBLISHED_ONLY = False

PROOF_BATCH = CHUNK_SIZE  # claims whose proofs are looked up at once, a chunk at a time
CLAIMS_MARKER = "<!-- claims -->"  # written as is in claims/report.html


# The report's stylesheet and its print button's script are written into the document rather
# than linked: a report saved from the browser, downloaded through the API or written by
# ``export_verdicts`` is one file that prints the same with no desk to fetch them from. The
# pages that serve it allow those two texts by their hashes (``allow_report_assets``), so the
# Content-Security-Policy still refuses every other inline style and script.
REPORT_ASSETS = {"style": "css/report.css", "script": "js/report.js"}


@functools.cache
def _asset(path: str) -> str:
    with open(finders.find(path), encoding="utf-8") as file:
        return file.read()


def report_assets() -> dict[str, SafeString]:
    """The report's ``<style>`` and ``<script>`` elements, by name, for its templates."""
    # The desk's own files, written as they are: neither holds a closing tag.
    return {
        f"report_{tag}": mark_safe(f"<{tag}>{_asset(path)}</{tag}>")  # noqa: S308
        for tag, path in REPORT_ASSETS.items()
    }


def report_asset_source(tag: str) -> str:
    """The CSP source that allows the report's ``tag`` element and no other inline one."""
    digest = hashlib.sha256(_asset(REPORT_ASSETS[tag]).encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def allow_report_assets(view):
    """``view``'s responses may carry the report's style and script (a view that serves it)."""
    sources = {f"{tag}-src": [report_asset_source(tag)] for tag in REPORT_ASSETS}
    return csp_update(sources)(view)


@dataclass
class FilterTerm:
    """One filter the selection applied, as the queue's form labels it; a date is kept as one, for
    the template's date filter to write."""

    label: str
    value: str = ""
    day: datetime.date | None = None


def filter_terms(selection: ExportSelection) -> list[FilterTerm]:
    """The filters that chose the claims, in the queue form's order; those left out as invalid
    are not named, as they selected nothing."""
    terms = []
    if selection.corrected_since is not None:
        terms.append(FilterTerm(_("Corrected since"), day=selection.corrected_since))
    filterset = selection.filterset
    if filterset is None or not filterset.is_bound:
        return terms
    filterset.is_valid()  # as ``qs`` does: invalid fields are left out, not fatal
    for name, field in filterset.form.fields.items():
        value = filterset.form.cleaned_data.get(name)
        if value in (None, "", False):
            continue
        label = str(field.label)
        if isinstance(value, datetime.date):
            terms.append(FilterTerm(label, day=value))
        elif value is True:
            terms.append(FilterTerm(label, _("yes")))
        elif name == "reviewer" and value == ME and filterset.user is not None:
            terms.append(FilterTerm(label, display_name(filterset.user)))
        elif hasattr(field, "choices"):
            terms.append(FilterTerm(label, str(dict(field.choices).get(value, value))))
        else:
            terms.append(FilterTerm(label, str(value)))
    return terms


@dataclass
class StateChange:
    time: object
    actor_name: str
    old: str
    new: str
    reason: str
    signed_off_by: str = ""  # the editor who signed off a proposed move; the proposer is the actor


# The events that move a claim: directly (a desk without sign-off), or by a signed-off proposal.
_MOVES = (AuditAction.CLAIM_STATE_CHANGED, AuditAction.VERDICT_APPROVED)


def _label(state: str) -> str:
    try:
        return str(ReviewState(state).label)
    except ValueError:
        return state or ""


def state_changes(claim: ClaimRecord) -> list[StateChange]:
    """The claim's moves between review states, oldest first, from its prefetched history: made
    directly, or proposed and signed off (named by their proposer and the editor who signed off)."""
    changes = []
    for event in claim.history:
        if event.action not in _MOVES:
            continue
        data = event.data or {}
        signed_off = event.action == AuditAction.VERDICT_APPROVED
        changes.append(
            StateChange(
                time=event.created_at,
                actor_name=(data.get("proposed_by") if signed_off else "") or event.actor_name,
                old=_label((data.get("old") or {}).get("state")),
                new=_label((data.get("new") or {}).get("state")),
                reason=data.get("reason") or "",
                signed_off_by=event.actor_name if signed_off else "",
            )
        )
    return changes


@dataclass
class CorrectionLine:
    time: object
    old: str
    new: str
    note: str


def correction_lines(claim: ClaimRecord) -> list[CorrectionLine]:
    """The corrections of the claim's published verdict, oldest first, as the public saw them."""
    return [
        CorrectionLine(c.published_at, _label(c.previous_state), _label(c.state), c.correction_note)
        for c in claim.corrections
    ]


def claim_context(claim: ClaimRecord, proof: dict | None = None) -> dict:
    evidence = claim.evidence
    return {
        "claim": claim,
        "supporting": [e for e in evidence if e.stance == Stance.SUPPORTS],
        "contradicting": [e for e in evidence if e.stance == Stance.CONTRADICTS],
        "reviewers": claim.reviewer_names(),
        "appearances": claim.appearances,
        "state_changes": state_changes(claim),
        "corrections": correction_lines(claim),
        "proof": proof,
        "verify_url": settings.FACTCHECK_SITE_URL + reverse("claims:verify_claim", args=[claim.pk]),
    }


def render(claims: Iterable[ClaimRecord], *, selection: ExportSelection) -> Iterator[str]:
    """The report's head, each claim's page as it is read, then its foot."""
    title = _("Verdict report") if selection.all_have_verdicts() else _("Claims report")
    document = get_template("claims/report.html").render(
        {
            "title": title,
            "organization": settings.FACTCHECK_ORGANIZATION_NAME,
            "generated_at": timezone.now(),
            "count": len(selection),
            "filters": filter_terms(selection),
            # The queue's sort caption reads ``queue.sort``.
            "queue": {"sort": selection.sort},
            "back_url": selection.back_url,
            **report_assets(),
        }
    )
    head, _marker, foot = document.partition(CLAIMS_MARKER)
    yield head
    claim_template = get_template("claims/includes/report_claim.html")
    proofs = VerdictProofs()
    claims = iter(claims)
    while batch := list(islice(claims, PROOF_BATCH)):
        proven = proofs.for_claims([claim.pk for claim in batch])
        for claim in batch:
            yield claim_template.render(claim_context(claim, proven.get(claim.pk)))
    yield foot
