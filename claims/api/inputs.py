"""Fields for the API's request bodies, as strict as the schema they are written into."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# The longest free text a body may carry; the services hold each field to its own limit.
LONG_TEXT = 100_000


class Text(serializers.CharField):
    """A string, and only a string: DRF's CharField takes 0 or true for "0" and "True", which
    the schema (``type: string``) refuses; a client sending those has a bug worth hearing of."""

    default_error_messages = {"invalid": _("Not a string.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def optional_text(**kwargs) -> Text:
    """Free text that may be left out or empty."""
    return Text(required=False, allow_blank=True, max_length=LONG_TEXT, default="", **kwargs)


def required_text(**kwargs) -> Text:
    """Text that must be given, not only spaces: a reason, a note someone reads."""
    return Text(max_length=kwargs.pop("max_length", LONG_TEXT), **kwargs)
