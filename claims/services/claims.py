"""Writes to claims: creating, editing, and moving them through the workflow."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from claims import clock, workflow
from claims.audit.actions import STATE_MOVES, AuditAction
from claims.audit.chain import record_event
from claims.models import Appearance, Assignment, AssignmentStatus, Claim, ReviewState, Source
from claims.permissions import Action, require, signoff_required
from claims.signoff.publication import Verdict, apply_verdict
from claims.webhooks import dispatch as webhooks

from ._shared import (
    check_source_url,
    check_version,
    full_clean,
    json_value,
    lock_claim,
    save_with_event,
)
from .assignments import reviewer_complete
from .conflicts import ClaimConflict, ClaimEditConflict, changes_since


@dataclass(frozen=True)
class AppearanceInput:
    """A source a claim appeared in, with the passage quoted from it."""

    source: Source
    quote: str = ""


def _appearance_data(appearances: Iterable[AppearanceInput]) -> list[dict]:
    return [
        {"source_id": a.source.pk, "source": str(a.source), "quote": a.quote} for a in appearances
    ]


def appearance_quote(quote: str | None) -> str:
    """The passage an appearance keeps, stripped; empty means none was given, which no
    appearance may lack: a claim is reviewed against the words it was said in."""
    return (quote or "").strip()


def _clean_appearances(appearances: Iterable[AppearanceInput]) -> list[AppearanceInput]:
    """A claim is reviewed against where it was made: one or more sources, each with its quote."""
    cleaned, seen = [], set()
    for appearance in appearances:
        if appearance.source is None:
            raise ValidationError({"appearances": _("Choose a source for each appearance.")})
        if appearance.source.pk is None:
            # A source not yet on file, recorded together with the claim.
            try:
                check_source_url(appearance.source.url)
                full_clean(appearance.source)
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
        quote = appearance_quote(appearance.quote)
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
        full_clean(claim, exclude=["created_by"])
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


def claim_create(
    *,
    actor,
    text: str,
    claimant: str,
    claimed_on: date | None = None,
    appearances: Iterable[AppearanceInput] = (),
) -> Claim:
    """Open a new claim for review, unverified, with where it appeared; under independent
    review where the desk makes that the default (it needs sign-off, which decides it)."""
    require(actor, Action.CREATE_CLAIM)
    now = clock.now()
    claim = Claim(
        text=text.strip(),
        claimant=claimant.strip(),
        claimed_on=claimed_on,
        created_by=actor,
        created_at=now,
        updated_at=now,
        independent_review=signoff_required() and settings.FACTCHECK_INDEPENDENT_REVIEW,
    )
    appearances = _clean_claim(claim, appearances)
    with transaction.atomic():
        _save_new_sources(actor, appearances)
        claim.save()
        Appearance.objects.bulk_create(
            Appearance(claim=claim, source=a.source, quote=a.quote) for a in appearances
        )
        claim = lock_claim(claim.pk)
        event = record_event(
            claim,
            actor=actor,
            action=AuditAction.CLAIM_CREATED,
            data={
                "new": {
                    "text": claim.text,
                    "claimant": claim.claimant,
                    "claimed_on": json_value(claim.claimed_on),
                    "appearances": _appearance_data(appearances),
                    **({"independent_review": True} if claim.independent_review else {}),
                }
            },
        )
        claim.save(update_fields=["audit_length", "audit_head"])
        webhooks.announce(event, claim)
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
    seen: dict | None = None,
    reason: str = "",
) -> Claim:
    """Edit what the claim says, who said it, when and where; None leaves appearances alone.

    With ``seen`` (the text, claimant and date as the user's page showed them) the edit merges:
    only the fields this user changed are written, over whatever others changed meanwhile, and
    a field both changed differently is refused as a ``ClaimEditConflict`` naming it. Without
    it, any change since ``expected_version`` is a conflict. An edit that changes nothing
    writes nothing and keeps the version. Changing what a claim with a verdict says needs a
    ``reason``: readers of the verdict must be able to see why its claim's words moved.
    """
    with transaction.atomic():
        claim = lock_claim(claim.pk)
        require(actor, Action.EDIT_CLAIM, claim)
        mine = {"text": text.strip(), "claimant": claimant.strip(), "claimed_on": claimed_on}
        if seen is None:
            check_version(claim, expected_version)
        else:
            mine = _merged(claim, expected_version, seen, mine, appearances is not None)
        old = _edited_fields(claim)
        claim.text, claim.claimant, claim.claimed_on = (
            mine["text"],
            mine["claimant"],
            mine["claimed_on"],
        )
        wanted = _clean_claim(claim, appearances)
        new = _edited_fields(claim)
        changed = [field for field in old if old[field] != new[field]]
        old_changes = {field: old[field] for field in changed}
        new_changes = {field: new[field] for field in changed}

        if wanted is not None:
            replaced = _replace_appearances(claim, actor, wanted)
            if replaced is not None:
                old_changes["appearances"], new_changes["appearances"] = replaced
                changed.append("appearances")

        if changed:
            _record_edit(claim, actor, old_changes, new_changes, reason)
    return claim


def _edited_fields(claim: Claim) -> dict:
    """The claim's own editable fields, as an event's JSON holds them."""
    return {
        "text": claim.text,
        "claimant": claim.claimant,
        "claimed_on": json_value(claim.claimed_on),
    }


def _record_edit(claim: Claim, actor, old: dict, new: dict, reason: str) -> None:
    """Save the edited fields with their ``claim.edited`` event; a claim with a verdict needs
    the reason its wording changed."""
    reason = (reason or "").strip()
    if claim.state != ReviewState.UNVERIFIED and not reason:
        raise ValidationError(
            {"reason": _("This claim has a verdict: say why its wording changes.")},
            code="reason_required",
        )
    data = {"old": old, "new": new}
    if reason:
        data["reason"] = reason
    save_with_event(
        claim,
        actor=actor,
        action=AuditAction.CLAIM_EDITED,
        data=data,
        fields=[field for field in new if field != "appearances"],
    )


def _merged(claim: Claim, expected_version: int, seen: dict, mine: dict, appearances: bool):
    """The fields to write: the user's where they changed what they saw, the claim's current
    value elsewhere. Refuses the fields someone else changed differently meanwhile; the claim's
    appearances, given whole, clash when someone else changed them since."""
    changed_by_me = {field for field, value in mine.items() if value != _seen(seen, field)}
    if claim.version == expected_version:  # nobody else wrote since: all of it is this user's
        return mine
    clashes = [
        field
        for field in sorted(changed_by_me)
        if getattr(claim, field) != _seen(seen, field) and getattr(claim, field) != mine[field]
    ]
    if appearances and claim.version != expected_version:
        edits = [
            e
            for e in changes_since(claim, expected_version)
            if e.action == AuditAction.CLAIM_EDITED
        ]
        if any("appearances" in (e.data or {}).get("new", {}) for e in edits):
            clashes.append("appearances")
    if clashes or claim.version < expected_version:
        raise ClaimEditConflict(claim, expected_version, clashes)
    return {
        field: mine[field] if field in changed_by_me else getattr(claim, field) for field in mine
    }


def _seen(seen: dict, field: str):
    value = seen.get(field)
    return value.strip() if isinstance(value, str) else value


def _replace_appearances(claim: Claim, actor, wanted: list[AppearanceInput]):
    """Make the claim's appearances ``wanted``; (before, after) as event data, or None when
    they were already so."""
    _save_new_sources(actor, wanted)
    current = list(claim.appearances.select_related("source"))
    before = _appearance_data(AppearanceInput(a.source, a.quote) for a in current)
    after = _appearance_data(wanted)
    if sorted(before, key=str) == sorted(after, key=str):
        return None
    by_source = {a.source_id: a for a in current}
    claim.appearances.exclude(source_id__in={a.source.pk for a in wanted}).delete()
    for item in wanted:
        existing = by_source.get(item.source.pk)
        if existing is None:
            Appearance.objects.create(claim=claim, source=item.source, quote=item.quote)
        elif existing.quote != item.quote:
            existing.quote = item.quote
            existing.save(update_fields=["quote"])
    return before, after


def check_still_based_on(claim: Claim, expected_version: int, target: str) -> None:
    """Refuse a move whose basis changed since the version the user saw."""
    if expected_version == claim.version:
        return
    if expected_version > claim.version:  # not a version this claim ever had
        raise ClaimConflict(claim, expected_version, changes=[])
    changes = changes_since(claim, expected_version)
    rests_on = workflow.REQUIRED_STANCE.get(target)
    undone = [
        event
        for event in changes
        if event.action in STATE_MOVES
        or event.action == AuditAction.CLAIM_EDITED
        or (
            event.action == AuditAction.EVIDENCE_RETRACTED
            and rests_on is not None
            and (event.data or {}).get("stance") == rests_on
        )
    ]
    if undone:
        raise ClaimConflict(claim, expected_version, changes=undone)


def claim_change_state(
    *,
    actor,
    claim: Claim,
    expected_version: int,
    state: str,
    rationale: str,
    correction_note: str = "",
    close_my_review: bool = False,
    review_note: str = "",
) -> Claim:
    """Move the claim through the workflow, giving the reason; the rationale becomes its verdict,
    published at once. This is the desk without sign-off: with it on, nobody may change a state
    directly (``claims.permissions``) and ``claims.signoff.services.verdict_propose`` is the way.

    ``expected_version`` is the claim as the user saw it when deciding. The move is refused if,
    since then, the state moved, the claim itself was edited (the verdict would be on words
    the user did not read) or a link of the stance the move rests on was retracted; a link
    added meanwhile, an assignment or a source's correction do not undo the decision. A change
    to a published verdict is a correction and needs ``correction_note``.

    ``close_my_review`` finishes the actor's open review of the claim in the same transaction,
    with ``review_note``: a reviewer's verdict and the end of their review are one step, and
    the trail records them as the two events they are.
    """
    with transaction.atomic():
        claim = lock_claim(claim.pk)
        require(actor, Action.CHANGE_STATE, claim)
        check_still_based_on(claim, expected_version, state)
        verdict = Verdict(state, (rationale or "").strip(), (correction_note or "").strip())
        workflow.check_verdict(claim, verdict.state, verdict.rationale, verdict.correction_note)
        fields, data = apply_verdict(claim, verdict, proposed_by=actor, approved_by=actor)
        save_with_event(
            claim,
            actor=actor,
            action=AuditAction.CLAIM_STATE_CHANGED,
            data={**data, "reason": verdict.rationale},
            fields=fields,
        )
        if close_my_review:
            close_own_review(actor, claim, review_note)
    return claim


def close_own_review(actor, claim: Claim, note: str) -> None:
    """Finish the actor's open review of ``claim``; refused (rolling back the move) if they
    have none."""
    assignment = Assignment.objects.filter(
        claim_id=claim.pk, reviewer_id=actor.pk, status=AssignmentStatus.OPEN
    ).first()
    if assignment is None:
        raise ValidationError(
            {"close_review": _("You have no open review of this claim to close.")}
        )
    reviewer_complete(actor=actor, assignment=assignment, note=note)
