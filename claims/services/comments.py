"""Writes to a claim's discussion: adding a comment, its author editing it, hiding it.

A comment conflicts with nothing another person did meanwhile, so none of these takes a version;
each still locks the claim row, since its event extends the claim's audit chain. Every event's
data names the comment, its author and the people its text mentions (``mentions``: user ids),
so that a notifier can be driven from the event alone.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from claims import clock
from claims.audit.actions import AuditAction
from claims.mentions import mentioned_names
from claims.models import COMMENT_TEXT_LENGTH, Claim, Comment, CommentRevision
from claims.permissions import Action, require
from claims.selectors.people import display_name, mentioned_people

from ._shared import lock_claim, save_with_event


def _clean_text(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"text": _("Write the comment first.")}, code="required")
    if len(text) > COMMENT_TEXT_LENGTH:
        raise ValidationError(
            {
                "text": _("A comment holds at most %(limit)s characters (this one has %(length)s).")
                % {"limit": COMMENT_TEXT_LENGTH, "length": len(text)}
            },
            code="max_length",
        )
    return text


def _about(comment: Comment) -> dict:
    """What every event of a comment says about it."""
    return {"comment_id": comment.pk, "author_id": comment.author_id}


def _mention_ids(comment: Comment) -> list[int]:
    return sorted(user.pk for user in comment.mentions.all())


def comment_add(*, actor, claim: Claim, text: str) -> Comment:
    """Add ``text`` to the claim's discussion, recognising the desk members it mentions."""
    with transaction.atomic():
        claim = lock_claim(claim.pk)
        require(actor, Action.ADD_COMMENT, claim)
        text = _clean_text(text)
        comment = Comment.objects.create(
            claim=claim, author=actor, text=text, created_at=clock.now()
        )
        mentioned = mentioned_people(mentioned_names(text))
        comment.mentions.set(mentioned)
        save_with_event(
            claim,
            actor=actor,
            action=AuditAction.COMMENT_ADDED,
            data={**_about(comment), "text": text, "mentions": sorted(u.pk for u in mentioned)},
        )
    return comment


def comment_edit(*, actor, comment: Comment, text: str) -> Comment:
    """The author rewrites their comment within the edit window; the text it replaces is kept
    (a ``CommentRevision``, and the event's ``old``). An edit that changes nothing writes
    nothing."""
    with transaction.atomic():
        claim = lock_claim(comment.claim_id)
        comment = Comment.objects.get(pk=comment.pk)
        require(actor, Action.EDIT_COMMENT, claim, target=comment)
        text = _clean_text(text)
        if text == comment.text:
            return comment
        now = clock.now()
        before = set(_mention_ids(comment))
        CommentRevision.objects.create(
            comment=comment,
            text=comment.text,
            written_at=comment.edited_at or comment.created_at,
            replaced_at=now,
        )
        old_text, comment.text, comment.edited_at = comment.text, text, now
        comment.save(update_fields=["text", "edited_at"])
        mentioned = mentioned_people(mentioned_names(text))
        comment.mentions.set(mentioned)
        mentions = sorted(user.pk for user in mentioned)
        save_with_event(
            claim,
            actor=actor,
            action=AuditAction.COMMENT_EDITED,
            data={
                **_about(comment),
                "old": {"text": old_text},
                "new": {"text": text},
                "mentions": mentions,
                # Mentioned now and not before: whom a notifier tells of this edit.
                "new_mentions": [pk for pk in mentions if pk not in before],
            },
        )
    return comment


def comment_hide(*, actor, comment: Comment, reason: str) -> Comment:
    """Take a comment out of the discussion, saying why; it stays on record with who, when and
    why, and the page shows that in its place."""
    with transaction.atomic():
        claim = lock_claim(comment.claim_id)
        comment = Comment.objects.select_related("author").get(pk=comment.pk)
        if comment.is_hidden:
            raise ValidationError(_("This comment was already hidden."), code="already_hidden")
        require(actor, Action.HIDE_COMMENT, claim, target=comment)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("Say why the comment is hidden.")})
        comment.hidden_at, comment.hidden_by, comment.hidden_reason = clock.now(), actor, reason
        comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        save_with_event(
            claim,
            actor=actor,
            action=AuditAction.COMMENT_HIDDEN,
            data={
                **_about(comment),
                "author": display_name(comment.author) if comment.author else "",
                "mentions": _mention_ids(comment),
                "reason": reason,
            },
        )
    return comment
