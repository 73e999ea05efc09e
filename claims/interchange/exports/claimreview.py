"""schema.org ClaimReview JSON-LD, as fact-checkers publish verdicts for search engines.

One ClaimReview per published verdict: a claim whose verdict has not been published (waiting for
sign-off, or never given) or was corrected back to unverified is left out. It carries the
properties Google's Fact Check markup requires (``claimReviewed``, ``reviewRating`` with its
``alternateName``, ``url``, ``author``) and those it recommends (``datePublished``, the rating's
``ratingValue``/``bestRating``/``worstRating``, ``itemReviewed`` as a ``Claim`` with its
``author``, ``datePublished``, ``appearance`` and ``firstAppearance``).

Rating scale, 1 (false) to 5 (true), as the desk's two verdicts map onto it:
corroborated -> 5, disputed -> 1, each named by its state's label ("Corroborated", "Disputed").
The claimant is written as a ``Person``: the desk does not record whether it was an organisation.
``datePublished`` is the verdict's first publication, ``dateModified`` its latest correction (the
first publication while there is none); each correction is a ``CorrectionComment`` in
``correction``, with its public note and date. ``url`` is where the desk publishes it
(``FACTCHECK_VERDICT_URL``), by default the claim's page on its site.
"""

import json
from collections.abc import Iterable, Iterator
from urllib.parse import urljoin

from django.conf import settings

from claims.interchange.exports.reader import (
    APPEARANCES,
    CORRECTIONS,
    ClaimRecord,
    ExportSelection,
)
from claims.models import ReviewState

NAME = "claimreview"
CONTENT_TYPE = "application/ld+json"
EXTENSION = "jsonld"
INCLUDE = frozenset({APPEARANCES, CORRECTIONS})
PUBLISHED_ONLY = True

BEST_RATING, WORST_RATING = 5, 1
RATINGS = {ReviewState.CORROBORATED: 5, ReviewState.DISPUTED: 1}


def organization() -> dict:
    return {
        "@type": "Organization",
        "name": settings.FACTCHECK_ORGANIZATION_NAME,
        "url": settings.FACTCHECK_ORGANIZATION_URL,
    }


def _date(value) -> str | None:
    return value.date().isoformat() if value is not None else None


def _creative_work(source) -> dict:
    work = {"@type": "CreativeWork", "headline": source.title}
    if source.url:
        work["url"] = source.url
    if source.published_on:
        work["datePublished"] = source.published_on.isoformat()
    if source.author:
        work["author"] = {"@type": "Person", "name": source.author}
    if source.outlet:
        work["publisher"] = {"@type": "Organization", "name": source.outlet}
    return work


def _first_source(sources):
    """The earliest published source; undated ones count as later than any dated one."""
    dated = [s for s in sources if s.published_on]
    if dated:
        return min(dated, key=lambda s: s.published_on)
    return sources[0] if sources else None


def verdict_url(claim: ClaimRecord, author: dict) -> str:
    """Where readers find the verdict: ``FACTCHECK_VERDICT_URL`` with the claim's number when
    the desk publishes elsewhere, else the claim's page on the desk's own site."""
    template = getattr(settings, "FACTCHECK_VERDICT_URL", "")
    if template:
        return template.replace("{id}", str(claim.pk))
    return urljoin(author["url"], claim.get_absolute_url())


def rating_names() -> dict[str, str]:
    """Each verdict's name in the active language, looked up once per export."""
    return {state: str(ReviewState(state).label) for state in RATINGS}


def claim_review(
    claim: ClaimRecord, author: dict, names: dict[str, str] | None = None
) -> dict | None:
    """The ClaimReview of one claim, or None when it has no published verdict."""
    value = RATINGS.get(claim.state)
    if value is None or not claim.is_published:
        return None
    sources = [appearance.source for appearance in claim.appearances]
    item = {"@type": "Claim", "author": {"@type": "Person", "name": claim.claimant}}
    if claim.claimed_on:
        item["datePublished"] = claim.claimed_on.isoformat()
    if sources:
        item["appearance"] = [_creative_work(source) for source in sources]
        item["firstAppearance"] = _creative_work(_first_source(sources))
    review = {
        "@type": "ClaimReview",
        "url": verdict_url(claim, author),
        "claimReviewed": claim.text,
        "author": author,
        "datePublished": _date(claim.published_at),
        "dateModified": _date(claim.corrected_at or claim.published_at),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": (names or rating_names())[claim.state],
        },
        "itemReviewed": item,
    }
    if claim.rationale:
        review["reviewBody"] = claim.rationale
    if claim.corrections:
        review["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.correction_note,
                "datePublished": _date(correction.published_at),
            }
            for correction in claim.corrections
        ]
    return {key: value for key, value in review.items() if value is not None}


# JSON-LD is published inside <script type="application/ld+json">: a claim quoting "</script>"
# must not end that element. JSON reads these escapes as the same characters.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def script_safe_json(value) -> str:
    """``value`` as JSON that can be pasted into an HTML script element as it is."""
    return json.dumps(value, ensure_ascii=False).translate(_SCRIPT_SAFE)


def render(claims: Iterable[ClaimRecord], *, selection: ExportSelection) -> Iterator[str]:
    """``{"@context": "https://schema.org", "@graph": [...]}``, one ClaimReview per line."""
    author, names = organization(), rating_names()
    yield '{"@context": "https://schema.org", "@graph": ['
    separator = "\n"
    for claim in claims:
        review = claim_review(claim, author, names)
        if review is not None:
            yield separator + script_safe_json(review)
            separator = ",\n"
    yield "\n]}\n"
