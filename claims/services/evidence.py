"""Writes to evidence: adding links for or against a claim, and retracting them."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from claims import clock, workflow
from claims.audit.actions import AuditAction
from claims.models import Claim, Evidence, Stance, stance_adjective
from claims.permissions import Action, require
from claims.urlnorm import normalize_url

from ._shared import full_clean, lock_claim, save_with_event


def _counter_field(stance: str) -> str:
    return "supporting_count" if stance == Stance.SUPPORTS else "contradicting_count"


def evidence_add(
    *,
    actor,
    claim: Claim,
    stance: str,
    url: str,
    title: str = "",
    publisher: str = "",
    excerpt: str = "",
    note: str = "",
) -> Evidence:
    """Attach a link that supports or contradicts the claim (http/https, once per stance).

    Needs no version: a new link conflicts with nothing another person did meanwhile. The row
    lock orders it with every other write, and its own rules (one page once per stance) are
    checked again under that lock.
    """
    describing = {"title": title, "publisher": publisher, "excerpt": excerpt, "note": note}
    with transaction.atomic():
        claim = lock_claim(claim.pk)
        require(actor, Action.ADD_EVIDENCE, claim)
        if stance not in Stance.values:
            raise ValidationError({"stance": _("Choose whether the link supports or contradicts.")})
        normalized = _comparable_url(url)
        evidence = Evidence(
            claim=claim,
            stance=stance,
            url=url.strip(),
            normalized_url=normalized,
            **{name: value.strip() for name, value in describing.items()},
            added_by=actor,
            added_at=clock.now(),
        )
        full_clean(evidence, exclude=["claim", "added_by", "normalized_url"])
        _refuse_duplicate(claim, stance, normalized)
        try:
            with transaction.atomic():
                evidence.save()
        except IntegrityError as error:  # the constraint backs up the check above
            raise ValidationError(
                {"url": _("This page is already evidence on this claim.")}
            ) from error
        counter = _counter_field(stance)
        setattr(claim, counter, getattr(claim, counter) + 1)
        save_with_event(
            claim,
            actor=actor,
            action=AuditAction.EVIDENCE_ADDED,
            data={
                "evidence_id": evidence.pk,
                "new": {
                    "stance": stance,
                    "url": evidence.url,
                    **{name: getattr(evidence, name) for name in describing},
                },
            },
            fields=[counter],
        )
    return evidence


def _comparable_url(url: str) -> str:
    """The address's normal form, by which one page is recognised however it was written."""
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
    return normalized


def _refuse_duplicate(claim: Claim, stance: str, normalized: str) -> None:
    """One page once per claim and stance: name the standing link it would repeat."""
    duplicate = (
        Evidence.objects.standing()
        .filter(claim=claim, stance=stance, normalized_url=normalized)
        .first()
    )
    if duplicate is not None:
        raise ValidationError(
            {
                "url": _("This page is already %(stance)s evidence on this claim (link #%(id)s).")
                % {"stance": stance_adjective(stance), "id": duplicate.pk}
            },
            code="duplicate",
        )


def evidence_retract(*, actor, evidence: Evidence, reason: str) -> Evidence:
    """Withdraw a link from the claim's case, keeping it on record with who, when and why.

    Needs no version: whether the link may go (not the last one a verdict rests on) is
    checked under the claim's lock against the claim as it is now.
    """
    with transaction.atomic():
        claim = lock_claim(evidence.claim_id)
        evidence = Evidence.objects.get(pk=evidence.pk)
        if not evidence.is_standing:
            raise ValidationError(_("This link was already retracted."), code="already_retracted")
        require(actor, Action.RETRACT_EVIDENCE, claim, target=evidence)
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
        save_with_event(
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
