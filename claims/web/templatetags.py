"""Template filters of the desk, loaded as ``{% load desk %}`` (registered in settings)."""

from django import template
from django.template.defaulttags import querystring
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from claims.clock import time_ago
from claims.selectors.people import display_name as person_name
from claims.web.comment_text import comment_html

register = template.Library()


@register.filter
def display_name(user) -> str:
    """A person as every page names them; empty for an account that is gone, so that a
    template's ``default`` can say so."""
    return "" if user is None else person_name(user)


@register.filter
def comment_text(comment) -> str:
    """``{{ comment|comment_text }}``: its text as HTML, escaped, with links and the people it
    mentions highlighted (``claims.web.comment_text``)."""
    return comment_html(comment.text, comment.mentions.all())


@register.filter
def earlier_text(revision) -> str:
    """A comment's earlier text, escaped and with its links; mentions are recorded only for the
    text it has now, so none is highlighted."""
    return comment_html(revision.text)


@register.filter
def ago(moment) -> str:
    """``{{ when|ago }}``: "just now", or "3 hours ago"."""
    return time_ago(moment) if moment else ""


@register.simple_tag(takes_context=True)
def changed_attrs(context, item_id: str) -> str:
    """On the element an action just changed: focus moves to it (a page load and an htmx swap
    both honour ``autofocus``) and CSS highlights it for a moment."""
    feedback = context.get("feedback")
    if feedback is None or feedback.item != item_id:
        return ""
    return mark_safe(' tabindex="-1" autofocus data-changed')


@register.simple_tag(takes_context=True)
def feedback_for(context, item_id: str) -> str:
    """The confirmation, written inside the element it is about. The page's live region
    announces the same words, so this copy is not a live region itself (it would be read twice)."""
    feedback = context.get("feedback")
    if feedback is None or feedback.item != item_id:
        return ""
    return format_html('<p class="feedback">{}</p>', feedback.text)


@register.simple_tag
def form_field(field, field_label="", is_filter=False) -> str:
    """One form field with its label, "(optional)" mark, help and errors, written in Python
    because the claim page shows fifteen fields and each took half a millisecond through a
    template; templates call the tag itself, as an include around it cost as much again.

    ``field_label`` replaces the field's label; ``is_filter`` drops the "(optional)" mark, as
    every filter is optional."""
    if field.is_hidden:
        inner = format_html("{}", field)
    else:
        optional = ""
        if not (field.field.required or is_filter or field.field.widget.attrs.get("required")):
            optional = format_html(' <span class="muted small">{}</span>', _("(optional)"))
        help_text = (
            format_html('<span class="helptext">{}</span>', field.help_text)
            if field.help_text
            else ""
        )
        inner = format_html(
            '\n  <label for="{}">{}{}</label>\n  {}\n  {}\n  ',
            field.id_for_label,
            field_label or field.label,
            optional,
            field,
            help_text,
        )
    return format_html(
        '<div class="field{}">\n  {}\n  {}\n</div>',
        " field-error" if field.errors else "",
        inner,
        field.errors,
    )


# The queue's column sorts -------------------------------------------------------------------
# Tags rather than included templates: the queue's header has a dozen of them.


def _sorted_by(context, key: str) -> str:
    """ "own" when the queue is sorted by ``key``, "reverse" by ``-key``, else ""."""
    sort = context["queue"].sort
    return "own" if sort == key else "reverse" if sort == f"-{key}" else ""


@register.simple_tag(takes_context=True)
def aria_sort(context, key: str, order: str = "descending") -> str:
    """`` aria-sort="..."``, inside the ``<th>`` of a column sorted by ``key`` (whose own order
    is ``order``; ``-key`` is the reverse); nothing when the queue is sorted otherwise."""
    sorted_by = _sorted_by(context, key)
    if not sorted_by:
        return ""
    reverse = "ascending" if order == "descending" else "descending"
    return format_html(' aria-sort="{}"', order if sorted_by == "own" else reverse)


@register.simple_tag(takes_context=True)
def sort_link(context, key: str, label) -> str:
    """A column's sort link: the column's own order first, its reverse on a second click."""
    target = f"-{key}" if _sorted_by(context, key) == "own" else key
    return format_html('<a href="{}">{}</a>', querystring(context, sort=target, page=None), label)


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label, order: str = "descending") -> str:
    """A column header that sorts by ``key``: its aria-sort and its sort link."""
    return format_html(
        '<th scope="col"{}>{}</th>',
        aria_sort(context, key, order),
        sort_link(context, key, label),
    )
