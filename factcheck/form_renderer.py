"""Django's form renderer, with its commonest templates written out in Python.

Every widget and every error list is rendered through a template of its own: a claim page
renders about sixty (a hidden version field per form, inputs, textareas, and an error list per
field, nearly always empty), which took a quarter of the page's time. This renderer produces
the same markup as Django's templates for plain ``<input>`` widgets, textareas and empty error
lists, and hands everything else (selects, radios, non-empty error lists, the admin's own
widgets) to Django's templates. ``tests/test_form_renderer.py`` compares the two outputs.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

_WIDGETS = "django/forms/widgets/"
_INPUT_TYPES = ("input", "checkbox", "color", "date", "datetime", "email", "hidden", "number")
_INPUTS = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (*_INPUT_TYPES, "password", "search", "tel", "text", "time", "url")
)
_TEXTAREA = f"{_WIDGETS}textarea.html"
_ERROR_LISTS = frozenset(
    ("django/forms/errors/list/default.html", "django/forms/errors/list/ul.html")
)


def _attrs(attrs: dict) -> str:
    """What ``django/forms/widgets/attrs.html`` writes: True as a bare name, False left out."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _input(widget: dict) -> SafeString:
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return mark_safe(  # noqa: S308 - every value above went through conditional_escape
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _textarea(widget: dict) -> SafeString:
    value = widget["value"]
    return mark_safe(  # noqa: S308 - every value above went through conditional_escape
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{conditional_escape(value) if value else ''}</textarea>"
    )


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in _ERROR_LISTS and not context.get("errors"):
            return mark_safe("")
        if template_name in _INPUTS:
            return _input(context["widget"])
        if template_name == _TEXTAREA:
            return _textarea(context["widget"])
        return super().render(template_name, context, request)
