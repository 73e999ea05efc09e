"""Helpers the admin tests share: URLs, the form a page rendered, messages, events."""

from django.contrib.messages import get_messages
from django.urls import reverse

from claims import services
from claims.audit.actions import AuditAction
from claims.models import AuditEvent
from tests.factories import SourceFactory

MODELS = ("source", "claim", "evidence", "assignment", "auditevent")
CHANGELIST = "admin:claims_claim_changelist"


def admin_url(model: str, view: str, *args) -> str:
    return reverse(f"admin:claims_{model}_{view}", args=args)


def form_data(response) -> dict:
    """What the browser would post back from an admin add/change page, as it was rendered."""
    data = {}
    for bound in response.context["adminform"].form:
        value = bound.value()
        if value is not None:
            data[bound.html_name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound in formset.management_form:
            data[bound.html_name] = bound.value()
        for form in formset.forms:
            for bound in form:
                value = bound.value()
                if value not in (None, False):
                    data[bound.html_name] = value
    return data


def page_errors(response) -> list[str]:
    form = response.context["adminform"].form
    return [str(message) for message in form.non_field_errors()]


def events(claim, action=None):
    qs = AuditEvent.objects.filter(claim_id=claim.pk).order_by("sequence")
    return list(qs.filter(action=action) if action else qs)


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def messages_by_level(response) -> dict[str, list[str]]:
    found = {}
    for message in get_messages(response.wsgi_request):
        found.setdefault(message.level_tag, []).append(str(message))
    return found


def new_claim(editor, text):
    return services.claim_create(
        actor=editor,
        text=text,
        claimant="A minister",
        appearances=[services.AppearanceInput(SourceFactory(), "as quoted")],
    )


def state_events(claim):
    return list(
        AuditEvent.objects.filter(claim_id=claim.pk, action=AuditAction.CLAIM_STATE_CHANGED)
    )
