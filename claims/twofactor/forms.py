"""The forms of two-factor sign-in: a code to type, and a password or code to confirm a change.
They turn a request into a clean string; whether it is right is the services' answer."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """A code from the app (or, at sign-in, a recovery code): what a phone's keyboard and a
    password manager should offer for it."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "size": 12,
            }
        ),
        error_messages={"required": _("Type the code, please.")},
    )

    def __init__(self, *args, digits_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.digits_only = digits_only
        if digits_only:  # confirming the app: its six digits, from a numeric keypad
            self.fields["code"].help_text = _("The six digits your app shows for this desk.")
            self.fields["code"].widget.attrs.update(inputmode="numeric", pattern=r"[0-9 ]*")
        else:  # the sign-in's one field: the cursor starts there
            self.fields["code"].widget.attrs["autofocus"] = True
            self.fields["code"].help_text = _(
                "The six digits your authenticator app shows, or one of your recovery codes."
            )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if self.digits_only and not re.fullmatch(r"\d{6}", re.sub(r"\s+", "", code)):
            raise forms.ValidationError(_("Type the six digits your app shows, please."))
        return code


class ConfirmIdentityForm(forms.Form):
    """Before two-factor sign-in is turned off or its recovery codes replaced: the password, or a
    current code, so that a browser left signed in is not enough."""

    confirmation = forms.CharField(
        label=_("Your password or a current code"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Type your password or a code, please.")},
    )
