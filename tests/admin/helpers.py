"""Helpers the admin tests share: URLs, the form a page rendered, messages, events."""

from html.parser import HTMLParser

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


class _PageForms(HTMLParser):
    """Each form of a page with what a browser would submit from it, no button pressed: named
    inputs (checkboxes and radios when checked), each select's chosen options (the first when
    none is), textareas as a browser reads them; nothing disabled."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = self._select = self._textarea = None
        self._options: list[list] = []
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"attrs": attrs, "fields": []}
            self.forms.append(self._form)
        elif self._form is None or "disabled" in attrs:
            return
        elif tag == "input":
            kind, name = attrs.get("type", "text"), attrs.get("name")
            if not name or kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._form["fields"].append((name, attrs.get("value") or ""))
        elif tag == "select":
            self._select, self._options = attrs.get("name"), []
        elif tag == "option" and self._select:
            self._options.append([attrs.get("value"), "selected" in attrs])
        elif tag == "textarea":
            self._textarea, self._text = attrs.get("name"), []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea:
            # A browser drops the newline that may follow <textarea>, as Django writes it.
            self._form["fields"].append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = [value for value, selected in self._options if selected] or [
                value for value, _selected in self._options[:1]
            ]
            self._form["fields"] += [(self._select, value) for value in chosen]
            self._select = None


def rendered_form(response, *, form_id: str | None = None, holding: str | None = None) -> dict:
    """What a browser would post from one form of the page as rendered: the form with this id,
    or the one holding an input of that name. Repeated names give lists, as the client wants."""
    parser = _PageForms()
    parser.feed(response.content.decode())
    [form] = [
        form
        for form in parser.forms
        if (form_id is None or form["attrs"].get("id") == form_id)
        and (holding is None or any(name == holding for name, _value in form["fields"]))
    ]
    data: dict[str, str | list[str]] = {}
    for name, value in form["fields"]:
        if name in data:
            kept = data[name]
            data[name] = [*kept, value] if isinstance(kept, list) else [kept, value]
        else:
            data[name] = value
    return data


def form_data(response) -> dict:
    """What the browser would post back from an admin add or change page, as it was rendered
    (not what the form object holds: a field the page does not show is not posted)."""
    return rendered_form(response, form_id=f"{response.context['opts'].model_name}_form")


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
