"""Writes to sources: the documents claims appear in."""

from datetime import date

from django.db import transaction

from claims import clock
from claims.audit.actions import AuditAction
from claims.models import Appearance, Claim, Source
from claims.permissions import Action, require

from ._shared import check_source_url, full_clean, json_value, save_with_event
from .conflicts import SourceConflict

_SOURCE_FIELDS = ("title", "url", "outlet", "author", "published_on", "text")


def source_create(
    *,
    actor,
    title: str,
    url: str = "",
    outlet: str = "",
    author: str = "",
    published_on: date | None = None,
    text: str = "",
) -> Source:
    """Record a published document that claims can point to."""
    require(actor, Action.MANAGE_SOURCES)
    source = Source(
        title=title.strip(),
        url=url.strip(),
        outlet=outlet.strip(),
        author=author.strip(),
        published_on=published_on,
        text=text,
        created_at=clock.now(),
    )
    check_source_url(source.url)
    full_clean(source)
    source.save()
    return source


def source_update(*, actor, source: Source, expected_version: int, **changes) -> Source:
    """Correct a source's metadata; a stale edit is refused, never silently overwritten.

    A source has no audit chain of its own, but what it says is part of every claim that cites
    it: each of those claims records a ``source.edited`` event with the old and new values.
    """
    require(actor, Action.MANAGE_SOURCES)
    unknown = set(changes) - set(_SOURCE_FIELDS)
    if unknown:
        raise TypeError(f"source_update() got unexpected fields {sorted(unknown)}")
    with transaction.atomic():
        source = Source.objects.select_for_update().get(pk=source.pk)
        if source.version != expected_version:
            raise SourceConflict(source, expected_version)
        changed = {
            field: value.strip() if isinstance(value, str) and field != "text" else value
            for field, value in changes.items()
        }
        changed = {f: v for f, v in changed.items() if getattr(source, f) != v}
        if not changed:
            return source
        old = {field: json_value(getattr(source, field)) for field in changed}
        for field, value in changed.items():
            setattr(source, field, value)
        check_source_url(source.url)
        full_clean(source)
        source.version += 1
        source.save(update_fields=[*changed, "version"])
        data = {
            "source_id": source.pk,
            "source": str(source),
            "old": old,
            "new": {field: json_value(value) for field, value in changed.items()},
        }
        citing = Appearance.objects.filter(source_id=source.pk).values("claim_id")
        # Locked in id order, as every service locks claims, so two edits cannot deadlock.
        for claim in Claim.objects.select_for_update().filter(pk__in=citing).order_by("pk"):
            save_with_event(claim, actor=actor, action=AuditAction.SOURCE_EDITED, data=data)
    return source
