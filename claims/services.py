"""Every write to sources, claims, evidence, assignments and review states.

Each service runs in one transaction: lock the claim row, check permission, check the version the
user saw, validate, write, and record its one audit event. Views, forms, the admin and management
commands call these functions; nothing else saves these rows. Errors are ``ValidationError`` (keyed
by field where a form can show it at the field), ``PermissionDenied`` and ``ClaimConflict``.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from . import clock, workflow
from .audit import AuditAction, actor_display_name, build_event, record_event
from .bulkwrite import IdBlock, table_rows, write_rows
from .models import (
    Appearance,
    Assignment,
    AssignmentStatus,
    AuditEvent,
    Claim,
    Evidence,
    ReviewState,
    Source,
    Stance,
)
from .permissions import Action, is_reviewer, require
from .urlnorm import normalize_url


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


@dataclass(frozen=True)
class AppearanceInput:
    """A source a claim appeared in, with the passage quoted from it."""

    source: Source
    quote: str = ""


# Helpers shared by the services -----------------------------------------------------------------


def _lock_claim(claim_id: int) -> Claim:
    return Claim.objects.select_for_update().get(pk=claim_id)


def _check_version(claim: Claim, expected_version: int) -> None:
    if expected_version != claim.version:
        raise ClaimConflict(claim, expected_version)


def _open_claim_for(actor, action: str, claim_id: int, expected_version: int, *, target=None):
    """Lock the claim, then refuse if the actor may not act or the version is stale."""
    claim = _lock_claim(claim_id)
    require(actor, action, claim, target=target)
    _check_version(claim, expected_version)
    return claim


def _save_with_event(
    claim: Claim, *, actor, action: str, data: dict, fields: Iterable[str] = ()
) -> None:
    """Bump the version, extend the audit chain and save the claim's changed fields."""
    claim.version += 1
    claim.updated_at = clock.now()
    record_event(claim, actor=actor, action=action, data=data)
    claim.save(update_fields=[*fields, "version", "updated_at", "audit_length", "audit_head"])


def _full_clean(instance, exclude: Sequence[str] = ()) -> None:
    instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _appearance_data(appearances: Iterable[AppearanceInput]) -> list[dict]:
    return [
        {"source_id": a.source.pk, "source": str(a.source), "quote": a.quote} for a in appearances
    ]


def _clean_appearances(appearances: Iterable[AppearanceInput]) -> list[AppearanceInput]:
    """A claim is reviewed against where it was made: one or more sources, each with its quote."""
    cleaned, seen = [], set()
    for appearance in appearances:
        if appearance.source is None:
            raise ValidationError({"appearances": _("Choose a source for each appearance.")})
        if appearance.source.pk is None:
            # A source not yet on file, recorded together with the claim.
            try:
                _check_source_url(appearance.source.url)
                _full_clean(appearance.source)
            except ValidationError as error:
                raise ValidationError(
                    {
                        "appearances": [
                            _("New source: %(error)s") % {"error": message}
                            for message in error.messages
                        ]
                    }
                ) from error
        elif appearance.source.pk in seen:
            raise ValidationError(
                {"appearances": _("“%(source)s” is listed twice.") % {"source": appearance.source}}
            )
        quote = (appearance.quote or "").strip()
        if not quote:
            raise ValidationError(
                {
                    "appearances": _("Quote the passage where the claim appears in “%(source)s”.")
                    % {"source": appearance.source}
                }
            )
        if appearance.source.pk is not None:
            seen.add(appearance.source.pk)
        cleaned.append(AppearanceInput(appearance.source, quote))
    if not cleaned:
        raise ValidationError(
            {"appearances": _("Add at least one source where the claim appeared, with its quote.")}
        )
    return cleaned


def _save_new_sources(actor, appearances: Iterable[AppearanceInput]) -> None:
    """Save the sources first cited by this claim; adding sources is an editor's right too."""
    for appearance in appearances:
        if appearance.source.pk is None:
            require(actor, Action.MANAGE_SOURCES)
            appearance.source.created_at = clock.now()
            appearance.source.save()


def _clean_claim(claim: Claim, appearances: Iterable[AppearanceInput] | None):
    """Validate the claim's fields and its appearances together, so a form shows every error."""
    errors = {}
    try:
        _full_clean(claim, exclude=["created_by"])
    except ValidationError as error:
        errors.update(error.message_dict)
    cleaned = None
    if appearances is not None:
        try:
            cleaned = _clean_appearances(appearances)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


# Sources ------------------------------------------------------------------------------------------

_SOURCE_FIELDS = ("title", "url", "outlet", "author", "published_on", "text")


def _check_source_url(url: str) -> None:
    """A source's address is optional (a speech may have none), but if given it is http(s)."""
    if url:
        try:
            normalize_url(url)
        except ValidationError as error:
            raise ValidationError({"url": error.messages}) from error


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
    _check_source_url(source.url)
    _full_clean(source)
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
        old = {field: _plain(getattr(source, field)) for field in changed}
        for field, value in changed.items():
            setattr(source, field, value)
        _check_source_url(source.url)
        _full_clean(source)
        source.version += 1
        source.save(update_fields=[*changed, "version"])
        data = {
            "source_id": source.pk,
            "source": str(source),
            "old": old,
            "new": {field: _plain(value) for field, value in changed.items()},
        }
        citing = Appearance.objects.filter(source_id=source.pk).values("claim_id")
        # Locked in id order, as every service locks claims, so two edits cannot deadlock.
        for claim in Claim.objects.select_for_update().filter(pk__in=citing).order_by("pk"):
            _save_with_event(claim, actor=actor, action=AuditAction.SOURCE_EDITED, data=data)
    return source


def _plain(value):
    """A field's value as an event's JSON holds it."""
    return value.isoformat() if isinstance(value, date) else value


# Claims -------------------------------------------------------------------------------------------


def claim_create(
    *,
    actor,
    text: str,
    claimant: str,
    claimed_on: date | None = None,
    appearances: Iterable[AppearanceInput] = (),
) -> Claim:
    """Open a new claim for review, unverified, with where it appeared."""
    require(actor, Action.CREATE_CLAIM)
    now = clock.now()
    claim = Claim(
        text=text.strip(),
        claimant=claimant.strip(),
        claimed_on=claimed_on,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    appearances = _clean_claim(claim, appearances)
    with transaction.atomic():
        _save_new_sources(actor, appearances)
        claim.save()
        Appearance.objects.bulk_create(
            Appearance(claim=claim, source=a.source, quote=a.quote) for a in appearances
        )
        claim = _lock_claim(claim.pk)
        record_event(
            claim,
            actor=actor,
            action=AuditAction.CLAIM_CREATED,
            data={
                "new": {
                    "text": claim.text,
                    "claimant": claim.claimant,
                    "claimed_on": _iso(claim.claimed_on),
                    "appearances": _appearance_data(appearances),
                }
            },
        )
        claim.save(update_fields=["audit_length", "audit_head"])
    return claim


def claim_update(
    *,
    actor,
    claim: Claim,
    expected_version: int,
    text: str,
    claimant: str,
    claimed_on: date | None,
    appearances: Iterable[AppearanceInput] | None = None,
) -> Claim:
    """Edit what the claim says, who said it, when and where; None leaves appearances alone.

    An edit that changes nothing writes nothing and keeps the version.
    """
    with transaction.atomic():
        claim = _open_claim_for(actor, Action.EDIT_CLAIM, claim.pk, expected_version)
        old = {"text": claim.text, "claimant": claim.claimant, "claimed_on": _iso(claim.claimed_on)}
        claim.text, claim.claimant, claim.claimed_on = text.strip(), claimant.strip(), claimed_on
        wanted = _clean_claim(claim, appearances)
        new = {"text": claim.text, "claimant": claim.claimant, "claimed_on": _iso(claim.claimed_on)}
        changed = [field for field in old if old[field] != new[field]]
        old_changes = {field: old[field] for field in changed}
        new_changes = {field: new[field] for field in changed}

        if wanted is not None:
            _save_new_sources(actor, wanted)
            current = list(claim.appearances.select_related("source"))
            before = _appearance_data(AppearanceInput(a.source, a.quote) for a in current)
            after = _appearance_data(wanted)
            if sorted(before, key=str) != sorted(after, key=str):
                by_source = {a.source_id: a for a in current}
                wanted_ids = {a.source.pk for a in wanted}
                claim.appearances.exclude(source_id__in=wanted_ids).delete()
                for item in wanted:
                    existing = by_source.get(item.source.pk)
                    if existing is None:
                        Appearance.objects.create(claim=claim, source=item.source, quote=item.quote)
                    elif existing.quote != item.quote:
                        existing.quote = item.quote
                        existing.save(update_fields=["quote"])
                old_changes["appearances"], new_changes["appearances"] = before, after
                changed.append("appearances")

        if not changed:
            return claim
        _save_with_event(
            claim,
            actor=actor,
            action=AuditAction.CLAIM_EDITED,
            data={"old": old_changes, "new": new_changes},
            fields=[f for f in changed if f != "appearances"],
        )
    return claim


def claim_change_state(
    *, actor, claim: Claim, expected_version: int, state: str, rationale: str
) -> Claim:
    """Move the claim through the workflow, giving the reason; the rationale becomes its verdict."""
    with transaction.atomic():
        claim = _open_claim_for(actor, Action.CHANGE_STATE, claim.pk, expected_version)
        rationale = (rationale or "").strip()
        try:
            workflow.check_transition(claim, state, rationale)
        except ValidationError as error:
            field = "rationale" if error.code == "rationale_required" else "state"
            raise ValidationError({field: error}) from error
        old = {"state": claim.state, "rationale": claim.rationale}
        now = clock.now()
        claim.state, claim.rationale, claim.state_changed_at = state, rationale, now
        fields = ["state", "rationale", "state_changed_at"]
        if state != ReviewState.UNVERIFIED and claim.first_verdict_at is None:
            claim.first_verdict_at = now
            fields.append("first_verdict_at")
        _save_with_event(
            claim,
            actor=actor,
            action=AuditAction.CLAIM_STATE_CHANGED,
            data={
                "old": old,
                "new": {"state": claim.state, "rationale": claim.rationale},
                "reason": rationale,
            },
            fields=fields,
        )
    return claim


# Evidence -----------------------------------------------------------------------------------------


def _counter_field(stance: str) -> str:
    return "supporting_count" if stance == Stance.SUPPORTS else "contradicting_count"


def evidence_add(
    *,
    actor,
    claim: Claim,
    expected_version: int,
    stance: str,
    url: str,
    title: str = "",
    publisher: str = "",
    excerpt: str = "",
    note: str = "",
) -> Evidence:
    """Attach a link that supports or contradicts the claim (http/https, once per stance)."""
    with transaction.atomic():
        claim = _open_claim_for(actor, Action.ADD_EVIDENCE, claim.pk, expected_version)
        if stance not in Stance.values:
            raise ValidationError({"stance": _("Choose whether the link supports or contradicts.")})
        try:
            normalized = normalize_url(url or "")
        except ValidationError as error:
            raise ValidationError({"url": error.messages}) from error
        limit = Evidence._meta.get_field("normalized_url").max_length
        if len(normalized) > limit:
            # Escaping non-ASCII characters can make the comparable form longer than the address.
            raise ValidationError(
                {
                    "url": _(
                        "This address is too long once written out in full "
                        "(%(length)s characters; at most %(limit)s)."
                    )
                    % {"length": len(normalized), "limit": limit}
                },
                code="max_length",
            )
        evidence = Evidence(
            claim=claim,
            stance=stance,
            url=url.strip(),
            normalized_url=normalized,
            title=title.strip(),
            publisher=publisher.strip(),
            excerpt=excerpt.strip(),
            note=note.strip(),
            added_by=actor,
            added_at=clock.now(),
        )
        _full_clean(evidence, exclude=["claim", "added_by", "normalized_url"])
        duplicate = (
            Evidence.objects.standing()
            .filter(claim=claim, stance=stance, normalized_url=normalized)
            .first()
        )
        if duplicate is not None:
            raise ValidationError(
                {
                    "url": _(
                        "This page is already %(stance)s evidence on this claim (link #%(id)s)."
                    )
                    % {
                        "stance": _("supporting")
                        if stance == Stance.SUPPORTS
                        else _("contradicting"),
                        "id": duplicate.pk,
                    }
                },
                code="duplicate",
            )
        try:
            with transaction.atomic():
                evidence.save()
        except IntegrityError as error:  # the constraint backs up the check above
            raise ValidationError(
                {"url": _("This page is already evidence on this claim.")}
            ) from error
        counter = _counter_field(stance)
        setattr(claim, counter, getattr(claim, counter) + 1)
        _save_with_event(
            claim,
            actor=actor,
            action=AuditAction.EVIDENCE_ADDED,
            data={
                "evidence_id": evidence.pk,
                "new": {
                    "stance": stance,
                    "url": evidence.url,
                    "title": evidence.title,
                    "publisher": evidence.publisher,
                    "excerpt": evidence.excerpt,
                    "note": evidence.note,
                },
            },
            fields=[counter],
        )
    return evidence


def evidence_retract(*, actor, evidence: Evidence, expected_version: int, reason: str) -> Evidence:
    """Withdraw a link from the claim's case, keeping it on record with who, when and why."""
    with transaction.atomic():
        claim = _lock_claim(evidence.claim_id)
        evidence = Evidence.objects.get(pk=evidence.pk)
        if not evidence.is_standing:
            raise ValidationError(_("This link was already retracted."), code="already_retracted")
        require(actor, Action.RETRACT_EVIDENCE, claim, target=evidence)
        _check_version(claim, expected_version)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("Say why the link is retracted.")})
        workflow.check_retraction(claim, evidence.stance)
        evidence.retracted_at = clock.now()
        evidence.retracted_by = actor
        evidence.retraction_reason = reason
        evidence.save(update_fields=["retracted_at", "retracted_by", "retraction_reason"])
        counter = _counter_field(evidence.stance)
        setattr(claim, counter, getattr(claim, counter) - 1)
        _save_with_event(
            claim,
            actor=actor,
            action=AuditAction.EVIDENCE_RETRACTED,
            data={
                "evidence_id": evidence.pk,
                "stance": evidence.stance,
                "url": evidence.url,
                "old": {"retracted": False},
                "new": {"retracted": True},
                "reason": reason,
            },
            fields=[counter],
        )
    return evidence


# Reviewer assignments -----------------------------------------------------------------------------


def reviewer_assign(
    *, actor, claim: Claim, expected_version: int, reviewer, due_on: date | None = None
) -> Assignment:
    """Ask a reviewer to review the claim; one open assignment per reviewer per claim."""
    with transaction.atomic():
        claim = _open_claim_for(actor, Action.ASSIGN_REVIEWER, claim.pk, expected_version)
        if reviewer is None or not is_reviewer(reviewer):
            raise ValidationError(
                {"reviewer": _("%(user)s is not a reviewer.") % {"user": reviewer}}
            )
        if Assignment.objects.filter(
            claim=claim, reviewer=reviewer, status=AssignmentStatus.OPEN
        ).exists():
            raise ValidationError(
                {
                    "reviewer": _("%(user)s already has an open assignment on this claim.")
                    % {"user": actor_display_name(reviewer)}
                },
                code="duplicate",
            )
        assignment = Assignment(
            claim=claim,
            reviewer=reviewer,
            assigned_by=actor,
            due_on=due_on,
            assigned_at=clock.now(),
        )
        try:
            with transaction.atomic():
                assignment.save()
        except IntegrityError as error:
            raise ValidationError(
                {"reviewer": _("This reviewer already has an open assignment on this claim.")}
            ) from error
        _save_with_event(
            claim,
            actor=actor,
            action=AuditAction.REVIEWER_ASSIGNED,
            data={
                "assignment_id": assignment.pk,
                "new": {
                    "reviewer_id": reviewer.pk,
                    "reviewer": actor_display_name(reviewer),
                    "due_on": _iso(due_on),
                    "status": AssignmentStatus.OPEN,
                },
            },
        )
    return assignment


def _close_assignment(
    *,
    actor,
    assignment: Assignment,
    expected_version: int,
    action: str,
    status: str,
    audit_action: str,
    reason: str,
) -> Assignment:
    with transaction.atomic():
        claim = _lock_claim(assignment.claim_id)
        assignment = Assignment.objects.select_related("reviewer").get(pk=assignment.pk)
        if not assignment.is_open:
            raise ValidationError(
                _("This assignment is already %(status)s.")
                % {"status": assignment.get_status_display().lower()},
                code="not_open",
            )
        require(actor, action, claim, target=assignment)
        _check_version(claim, expected_version)
        assignment.status = status
        assignment.closed_at = clock.now()
        assignment.closed_by = actor
        assignment.close_reason = reason
        assignment.save(update_fields=["status", "closed_at", "closed_by", "close_reason"])
        data = {
            "assignment_id": assignment.pk,
            "reviewer_id": assignment.reviewer_id,
            "reviewer": actor_display_name(assignment.reviewer),
            "old": {"status": AssignmentStatus.OPEN},
            "new": {"status": status},
        }
        if reason:
            data["reason"] = reason
        _save_with_event(claim, actor=actor, action=audit_action, data=data)
    return assignment


def reviewer_complete(
    *, actor, assignment: Assignment, expected_version: int, note: str = ""
) -> Assignment:
    """Mark a review done (the reviewer, or an editor on their behalf)."""
    return _close_assignment(
        actor=actor,
        assignment=assignment,
        expected_version=expected_version,
        action=Action.COMPLETE_ASSIGNMENT,
        status=AssignmentStatus.DONE,
        audit_action=AuditAction.REVIEWER_COMPLETED,
        reason=(note or "").strip(),
    )


def reviewer_withdraw(
    *, actor, assignment: Assignment, expected_version: int, reason: str = ""
) -> Assignment:
    """Take a reviewer off a claim (editors only)."""
    return _close_assignment(
        actor=actor,
        assignment=assignment,
        expected_version=expected_version,
        action=Action.WITHDRAW_ASSIGNMENT,
        status=AssignmentStatus.WITHDRAWN,
        audit_action=AuditAction.REVIEWER_WITHDRAWN,
        reason=(reason or "").strip(),
    )


# Imports ------------------------------------------------------------------------------------------

IMPORT_BATCH_SIZE = 1000


def claim_import(*, actor, claims: Iterable, file_name: str, batch_size: int = IMPORT_BATCH_SIZE):
    """Add claims read from an export (``claims.imports``), all or nothing; returns how many.

    Editors only. The claims come validated (``imports.validate_file``); a problem met now
    (``imports.ImportFileError``) or a constraint the database holds rolls the whole import back.
    Rows are written a batch at a time, so a large file never sits in memory whole. Each claim
    starts its audit chain with one ``claim.imported`` event naming the file and line.
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
    # A desk moving in brings 100,000s of rows: written as seed_bulk writes (claims.bulkwrite).
    now = clock.now()
    _import_sources(batch, sources)
    claims, appearances, evidence, events = [], [], [], []
    for pk, item in zip(IdBlock(Claim).take(len(batch)), batch, strict=True):
        verdict = item.state != ReviewState.UNVERIFIED
        changed_at = item.state_changed_at or (now if verdict else None)
        claim = Claim(
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
            supporting_count=item.standing(Stance.SUPPORTS),
            contradicting_count=item.standing(Stance.CONTRADICTS),
        )
        claims.append(claim)
        appearances.extend(
            Appearance(claim_id=pk, source_id=sources[source.key].pk, quote=quote)
            for source, quote in item.appearances
        )
        evidence.extend(
            Evidence(
                claim_id=pk,
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
            for link in item.evidence
        )
        events.append(
            build_event(
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
                        "claimed_on": _iso(claim.claimed_on),
                        "state": claim.state,
                        "rationale": claim.rationale,
                        "sources": len(item.appearances),
                        "evidence": len(item.evidence),
                    },
                },
            )
        )
    with connection.cursor() as cursor:
        for model, rows in (
            (Claim, claims),
            (Appearance, appearances),
            (Evidence, evidence),
            (AuditEvent, events),
        ):
            if rows:
                write_rows(cursor, *table_rows(model, rows))
    return len(claims)
