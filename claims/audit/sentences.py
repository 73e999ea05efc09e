"""Readable sentences for audit events: one formatter per action, registered in one place.

Sentences are built when shown, not stored, so their wording can improve (and be translated)
without rewriting history. As Wagtail's ``log_actions`` registry does, each action registers the
function that words it; ``describe`` looks the action up and adds the reason the event gives.
"""

from collections.abc import Callable
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from claims.models import AuditEvent, ReviewState, stance_adjective

from .actions import AuditAction

Formatter = Callable[[AuditEvent, dict], str]


class SentenceRegistry:
    """Maps each audit action to the function that words its events."""

    def __init__(self):
        self._formatters: dict[str, Formatter] = {}

    def register(self, action: str) -> Callable[[Formatter], Formatter]:
        def decorator(formatter: Formatter) -> Formatter:
            if action in self._formatters:
                raise ValueError(f"A sentence for {action!r} is registered already")
            self._formatters[action] = formatter
            return formatter

        return decorator

    def registered(self) -> frozenset[str]:
        return frozenset(self._formatters)

    def describe(self, event: AuditEvent) -> str:
        """One sentence saying who did what, from old to new, and why."""
        data = event.data or {}
        formatter = self._formatters.get(event.action)
        if formatter is None:
            sentence = _("%(who)s: %(action)s") % {"who": event.actor_name, "action": event.action}
        else:
            sentence = formatter(event, data)
        reason = data.get("reason")
        if reason:
            # The reason is quoted as written; a full stop after its closing quote would double
            # its own.
            return _("%(sentence)s: “%(reason)s”") % {"sentence": sentence, "reason": reason}
        return _("%(sentence)s.") % {"sentence": sentence}


sentences = SentenceRegistry()
describe = sentences.describe


def _state_label(value: str | None) -> str:
    try:
        return str(ReviewState(value).label)
    except ValueError:
        return str(value)


def _readable_date(value: str | None) -> str:
    """An ISO date from event data as the pages write dates ("26 Nov 2026")."""
    if not value:
        return ""
    try:
        return date_format(date.fromisoformat(value), "j M Y")
    except ValueError:
        return value


def _field_list(values: dict) -> str:
    return ", ".join(sorted(values)) or _("nothing")


def _new(data: dict) -> dict:
    return data.get("new") or {}


@sentences.register(AuditAction.CLAIM_CREATED)
def _claim_created(event, data):
    return _("%(who)s created the claim") % {"who": event.actor_name}


@sentences.register(AuditAction.CLAIM_IMPORTED)
def _claim_imported(event, data):
    return _("%(who)s imported the claim") % {"who": event.actor_name}


@sentences.register(AuditAction.CLAIM_EDITED)
def _claim_edited(event, data):
    new, old = _new(data), data.get("old") or {}
    words = {"who": event.actor_name, "fields": _field_list(new)}
    if "text" in new and "text" in old:
        words.update(old=old["text"], new=new["text"])
        others = {field: value for field, value in new.items() if field != "text"}
        if others:
            return (
                _("%(who)s edited the claim (%(fields)s), its text from “%(old)s” to “%(new)s”")
                % words
            )
        return _("%(who)s changed the claim's text from “%(old)s” to “%(new)s”") % words
    return _("%(who)s edited the claim (%(fields)s)") % words


@sentences.register(AuditAction.SOURCE_EDITED)
def _source_edited(event, data):
    return _("%(who)s edited the source “%(source)s” where the claim appeared (%(fields)s)") % {
        "who": event.actor_name,
        "source": data.get("source", ""),
        "fields": _field_list(_new(data)),
    }


def _move(event, data) -> dict:
    """The words of a state move's event: who, and from which state to which."""
    return {
        "who": event.actor_name,
        "old": _state_label((data.get("old") or {}).get("state")),
        "new": _state_label(_new(data).get("state")),
    }


@sentences.register(AuditAction.CLAIM_STATE_CHANGED)
def _state_changed(event, data):
    if data.get("correction_note"):
        return _(
            "%(who)s corrected the published verdict from %(old)s to %(new)s, noting “%(note)s”"
        ) % {**_move(event, data), "note": data["correction_note"]}
    return _("%(who)s changed the state from %(old)s to %(new)s") % _move(event, data)


@sentences.register(AuditAction.CLAIM_REVIEW_MODE_CHANGED)
def _review_mode_changed(event, data):
    if _new(data).get("independent"):
        return _("%(who)s put the claim under independent review") % {"who": event.actor_name}
    return _("%(who)s ended the independent review of the claim") % {"who": event.actor_name}


@sentences.register(AuditAction.VERDICT_PROPOSED)
def _verdict_proposed(event, data):
    if data.get("correction_note"):
        return _(
            "%(who)s proposed correcting the published verdict from %(old)s to %(new)s, "
            "noting “%(note)s”"
        ) % {**_move(event, data), "note": data["correction_note"]}
    return _("%(who)s proposed moving the claim from %(old)s to %(new)s") % _move(event, data)


@sentences.register(AuditAction.VERDICT_APPROVED)
def _verdict_approved(event, data):
    words = {**_move(event, data), "proposer": data.get("proposed_by") or _("a former user")}
    if data.get("own"):
        return (
            _(
                "%(who)s decided the independent review with their own verdict, moving the claim "
                "from %(old)s to %(new)s"
            )
            % words
        )
    if data.get("correction_note"):
        sentence = _(
            "%(who)s signed off the correction by %(proposer)s from %(old)s to %(new)s, noting "
            "“%(note)s”"
        ) % {**words, "note": data["correction_note"]}
    else:
        sentence = (
            _(
                "%(who)s signed off the verdict of %(proposer)s, moving the claim from %(old)s "
                "to %(new)s"
            )
            % words
        )
    if data.get("note"):
        sentence = _("%(sentence)s (their note: “%(note)s”)") % {
            "sentence": sentence,
            "note": data["note"],
        }
    return sentence


@sentences.register(AuditAction.VERDICT_RETURNED)
def _verdict_returned(event, data):
    return _("%(who)s returned the proposal of %(proposer)s (%(state)s)") % {
        "who": event.actor_name,
        "proposer": data.get("proposed_by") or _("a former user"),
        "state": _state_label(data.get("state")),
    }


@sentences.register(AuditAction.VERDICT_WITHDRAWN)
def _verdict_withdrawn(event, data):
    return _("%(who)s withdrew their proposal (%(state)s)") % {
        "who": event.actor_name,
        "state": _state_label(data.get("state")),
    }


@sentences.register(AuditAction.EVIDENCE_ADDED)
def _evidence_added(event, data):
    new = _new(data)
    return _("%(who)s added %(stance)s evidence %(url)s") % {
        "who": event.actor_name,
        "stance": stance_adjective(new.get("stance")),
        "url": new.get("url", ""),
    }


@sentences.register(AuditAction.EVIDENCE_RETRACTED)
def _evidence_retracted(event, data):
    return _("%(who)s retracted %(stance)s evidence %(url)s") % {
        "who": event.actor_name,
        "stance": stance_adjective(data.get("stance")),
        "url": data.get("url", ""),
    }


def _reviewer(data: dict) -> str:
    return data.get("reviewer") or _("a reviewer")


@sentences.register(AuditAction.REVIEWER_ASSIGNED)
def _reviewer_assigned(event, data):
    new = _new(data)
    due = _readable_date(new.get("due_on"))
    words = {"who": event.actor_name, "reviewer": new.get("reviewer") or _("a reviewer")}
    if due:
        return _("%(who)s assigned %(reviewer)s, due %(due)s") % {**words, "due": due}
    return _("%(who)s assigned %(reviewer)s") % words


@sentences.register(AuditAction.REVIEWER_COMPLETED)
def _reviewer_completed(event, data):
    if event.actor_id is not None and event.actor_id == data.get("reviewer_id"):
        return _("%(who)s marked their review done") % {"who": event.actor_name}
    return _("%(who)s marked the review by %(reviewer)s done") % {
        "who": event.actor_name,
        "reviewer": _reviewer(data),
    }


@sentences.register(AuditAction.REVIEWER_WITHDRAWN)
def _reviewer_withdrawn(event, data):
    return _("%(who)s withdrew %(reviewer)s from the claim") % {
        "who": event.actor_name,
        "reviewer": _reviewer(data),
    }


@sentences.register(AuditAction.COMMENT_ADDED)
def _comment_added(event, data):
    # The text is not quoted: the discussion shows it, and a hidden comment's would stay here.
    return _("%(who)s commented") % {"who": event.actor_name}


@sentences.register(AuditAction.COMMENT_EDITED)
def _comment_edited(event, data):
    return _("%(who)s edited their comment") % {"who": event.actor_name}


@sentences.register(AuditAction.COMMENT_HIDDEN)
def _comment_hidden(event, data):
    if event.actor_id is not None and event.actor_id == data.get("author_id"):
        return _("%(who)s hid their comment") % {"who": event.actor_name}
    return _("%(who)s hid a comment by %(author)s") % {
        "who": event.actor_name,
        "author": data.get("author") or _("a former user"),
    }
