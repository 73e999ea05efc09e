"""A notification in words, the same in the inbox, the bell's page and the e-mail."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.models import Notification, NotificationKind
from claims.web.presentation import shorten

CLAIM_LENGTH = 90  # a claim named in a notification: its start is enough to know it

_SENTENCES = {
    NotificationKind.ASSIGNED: gettext_lazy("%(actor)s assigned you to review %(claim)s"),
    NotificationKind.ASSIGNMENT_WITHDRAWN: gettext_lazy(
        "%(actor)s withdrew your assignment on %(claim)s"
    ),
    NotificationKind.DUE_TOMORROW: gettext_lazy("Your review of %(claim)s is due tomorrow"),
    NotificationKind.OVERDUE: gettext_lazy("Your review of %(claim)s is overdue"),
    NotificationKind.SIGNOFF_WAITING: gettext_lazy(
        "%(actor)s proposed a verdict on %(claim)s: it waits for your sign-off"
    ),
    NotificationKind.PROPOSAL_APPROVED: gettext_lazy(
        "%(actor)s signed off your proposal on %(claim)s"
    ),
    NotificationKind.PROPOSAL_RETURNED: gettext_lazy(
        "%(actor)s returned your proposal on %(claim)s"
    ),
    NotificationKind.MENTIONED: gettext_lazy("%(actor)s mentioned you in a comment on %(claim)s"),
    NotificationKind.COMMENTED: gettext_lazy("%(actor)s commented on %(claim)s"),
    NotificationKind.EVIDENCE_ADDED: gettext_lazy("%(actor)s added evidence to %(claim)s"),
    NotificationKind.STATE_CHANGED: gettext_lazy("%(actor)s changed the state of %(claim)s"),
}


def sentence(notification: Notification) -> str:
    """ "Edna Editor assigned you to review #12 “The bridge carried…”" (plain text: a template
    escapes it)."""
    claim = notification.claim
    named = _("#%(id)s “%(text)s”") % {
        "id": claim.pk,
        "text": shorten(claim.text, CLAIM_LENGTH),
    }
    return str(_SENTENCES[notification.kind]) % {
        "actor": notification.actor_name or _("Someone"),
        "claim": named,
    }
