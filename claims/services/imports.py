"""Writes an import: claims read from an export file, all or nothing."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from claims import clock
from claims.audit.actions import AuditAction
from claims.audit.chain import build_event
from claims.db.bulkwrite import IdBlock, table_rows, write_rows
from claims.models import (
    Appearance,
    AuditEvent,
    Claim,
    Evidence,
    Publication,
    ReviewState,
    Source,
    Stance,
)
from claims.permissions import Action, require
from claims.webhooks import dispatch as webhooks

from ._shared import json_value

IMPORT_BATCH_SIZE = 1000


def claim_import(*, actor, claims: Iterable, file_name: str, batch_size: int = IMPORT_BATCH_SIZE):
    """Add claims read from an export (``claims.interchange.imports``), all or nothing; returns
    how many.

    Editors only. The claims come checked (``imports.validate_file``); a problem met now
    (``imports.ImportFileError``) or a constraint the database holds rolls the whole import back.
    Rows are written a batch at a time, so a large file never sits in memory whole. Each claim
    starts its audit chain with one ``claim.imported`` event naming the file and line. A verdict
    comes in published: when the file says, else (an export from before publication existed)
    since its state last changed, as migration 0016 published the desk's verdicts; its
    corrections come in too when the file carries them (the JSON).
    """
    require(actor, Action.CREATE_CLAIM)
    require(actor, Action.MANAGE_SOURCES)
    users = dict(get_user_model().objects.values_list(get_user_model().USERNAME_FIELD, "pk"))
    sources: dict[tuple, Source] = {}
    total = 0
    with transaction.atomic():
        batch = []
        for claim in claims:
            batch.append(claim)
            if len(batch) >= batch_size:
                total += _import_batch(actor, batch, file_name, users, sources)
                batch = []
        if batch:
            total += _import_batch(actor, batch, file_name, users, sources)
    return total


def _import_sources(batch, sources: dict) -> None:
    """Find or create each source the batch cites: by URL, or title, outlet and date."""
    wanted = {src.key: src for claim in batch for src, _quote in claim.appearances}
    missing = [key for key in wanted if key not in sources]
    urls = [key[1] for key in missing if key[0] == "url"]
    for source in Source.objects.filter(url__in=urls).order_by("id"):
        sources.setdefault(("url", source.url), source)
    for key in missing:
        if key[0] == "title" and key not in sources:
            found = Source.objects.filter(
                url="", title=key[1], outlet=key[2], published_on=key[3]
            ).first()
            if found is not None:
                sources[key] = found
    new = [
        Source(
            title=src.title,
            url=src.url,
            outlet=src.outlet,
            author=src.author,
            published_on=src.published_on,
            text=src.text,
        )
        for key, src in wanted.items()
        if key not in sources
    ]
    for source in Source.objects.bulk_create(new):
        key = (
            ("url", source.url)
            if source.url
            else ("title", source.title, source.outlet, source.published_on)
        )
        sources[key] = source


def _import_batch(actor, batch, file_name: str, users: dict, sources: dict) -> int:
    """Write one batch of checked claims with their rows and first events."""
    # A desk moving in brings 100,000s of rows: written as seed_bulk writes (claims.db.bulkwrite).
    now = clock.now()
    _import_sources(batch, sources)
    claims, appearances, evidence, publications, events = [], [], [], [], []
    for pk, item in zip(IdBlock(Claim).take(len(batch)), batch, strict=True):
        claim = _imported_claim(pk, item, actor, now)
        claims.append(claim)
        appearances.extend(
            Appearance(claim_id=pk, source_id=sources[source.key].pk, quote=quote)
            for source, quote in item.appearances
        )
        evidence.extend(_imported_link(pk, link, users, now) for link in item.evidence)
        publications.extend(_imported_publications(claim, item, users))
        events.append(_imported_event(claim, item, actor, file_name, now))
    with connection.cursor() as cursor:
        for model, rows in (
            (Claim, claims),
            (Appearance, appearances),
            (Evidence, evidence),
            (Publication, publications),
            (AuditEvent, events),
        ):
            if rows:
                write_rows(cursor, *table_rows(model, rows))
    webhooks.announce_imported(claims)
    return len(claims)


def _imported_claim(pk: int, item, actor, now) -> Claim:
    verdict = item.state != ReviewState.UNVERIFIED
    changed_at = item.state_changed_at or (now if verdict else None)
    corrected_at = item.corrected_at or max(
        (c.published_at for c in item.corrections), default=None
    )
    return Claim(
        pk=pk,
        text=item.text,
        claimant=item.claimant,
        claimed_on=item.claimed_on,
        state=item.state,
        rationale=item.rationale,
        created_by=actor,
        created_at=item.created_at or now,
        updated_at=now,
        state_changed_at=changed_at,
        # A claim reopened as unverified keeps when it first got a verdict.
        first_verdict_at=item.first_verdict_at or (changed_at if verdict else None),
        published_at=item.published_at or (changed_at if verdict else None),
        corrected_at=corrected_at,
        supporting_count=item.standing(Stance.SUPPORTS),
        contradicting_count=item.standing(Stance.CONTRADICTS),
    )


def _imported_link(claim_id: int, link, users: dict, now) -> Evidence:
    return Evidence(
        claim_id=claim_id,
        stance=link.stance,
        url=link.url,
        normalized_url=link.normalized_url,
        title=link.title,
        publisher=link.publisher,
        excerpt=link.excerpt,
        note=link.note,
        added_by_id=users.get(link.added_by),
        added_at=link.added_at or now,
        retracted_at=link.retracted_at,
        retracted_by_id=users.get(link.retracted_by),
        retraction_reason=link.retraction_reason,
    )


def _imported_publications(claim: Claim, item, users: dict) -> list[Publication]:
    """The verdict's first publication, when the file says what it was, and its corrections.

    The first publication's verdict is what the first correction corrected, or, uncorrected,
    the claim's own; a CSV says when a verdict was corrected but not from what, so its first
    publication is not written, only the claim's two times. Who made and signed off the first
    publication no file says.
    """
    corrections = sorted(item.corrections, key=lambda c: c.published_at)
    first = corrections[0] if corrections else None
    uncorrected_verdict = claim.corrected_at is None and claim.state != ReviewState.UNVERIFIED
    rows = []
    if claim.published_at is not None and (first or uncorrected_verdict):
        rows.append(
            Publication(
                claim_id=claim.pk,
                published_at=claim.published_at,
                state=first.previous_state if first else claim.state,
                rationale=first.previous_rationale if first else claim.rationale,
            )
        )
    rows.extend(
        Publication(
            claim_id=claim.pk,
            published_at=correction.published_at,
            state=correction.state,
            rationale=correction.rationale,
            is_correction=True,
            previous_state=correction.previous_state,
            previous_rationale=correction.previous_rationale,
            correction_note=correction.correction_note,
            proposed_by_id=users.get(correction.proposed_by),
            approved_by_id=users.get(correction.approved_by),
            without_signoff=correction.without_signoff,
        )
        for correction in corrections
    )
    return rows


def _imported_event(claim: Claim, item, actor, file_name: str, now) -> AuditEvent:
    """The ``claim.imported`` event that starts an imported claim's chain."""
    return build_event(
        claim,
        actor=actor,
        action=AuditAction.CLAIM_IMPORTED,
        at=now,
        data={
            "file": file_name,
            "line": item.line,
            "original_id": item.original_id,
            "new": {
                "text": claim.text,
                "claimant": claim.claimant,
                "claimed_on": json_value(claim.claimed_on),
                "state": claim.state,
                "rationale": claim.rationale,
                "sources": len(item.appearances),
                "evidence": len(item.evidence),
                # What the replay checks the imported links against (claims.audit.replay).
                "standing_links": [
                    [link.stance, link.url] for link in item.evidence if link.retracted_at is None
                ],
                "published_at": json_value(claim.published_at),
                "corrections": len(item.corrections),
            },
        },
    )
