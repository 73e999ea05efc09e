"""Template filters of the desk, loaded as ``{% load desk %}`` (registered in settings)."""

from django import template

from claims.selectors.people import display_name as person_name

register = template.Library()


@register.filter
def display_name(user) -> str:
    """A person as every page names them; empty for an account that is gone, so that a
    template's ``default`` can say so."""
    return "" if user is None else person_name(user)
