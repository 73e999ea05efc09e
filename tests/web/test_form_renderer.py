"""The fast form renderer writes exactly what Django's own templates write."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from factcheck.form_renderer import FormRenderer

NASTY = "<script>alert(\"x\")</script> & 'quotes'"


class Everything(forms.Form):
    text = forms.CharField(max_length=20, help_text="help")
    optional = forms.CharField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    email = forms.EmailField(required=False)
    number = forms.IntegerField(required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    flag = forms.BooleanField(required=False)
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", NASTY)], required=False)
    radio = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect, required=False)
    search = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": NASTY, "data-x": True}),
    )


def rendered(renderer, data=None, initial=None):
    form = Everything(data=data, initial=initial, renderer=renderer)
    form.is_valid() if data is not None else None
    return {
        name: (str(form[name]), str(form[name].errors), str(form.non_field_errors()))
        for name in form.fields
    }


@pytest.mark.parametrize(
    ("data", "initial"),
    [
        (None, None),
        (None, {"text": NASTY, "body": NASTY, "hidden": 7, "flag": True, "day": "2024-02-01"}),
        (
            {"text": NASTY, "body": "line\nline " + NASTY, "number": "x", "url": "javascript:1"},
            None,
        ),
        ({"text": "", "email": "not an email", "flag": "on", "choice": "b", "hidden": NASTY}, None),
        ({"text": mark_safe("<b>safe</b>"), "secret": NASTY, "radio": "a"}, None),
    ],
)
def test_same_markup_as_djangos_templates(data, initial):
    assert rendered(FormRenderer(), data, initial) == rendered(DjangoTemplates(), data, initial)


def test_user_input_is_escaped():
    html = rendered(FormRenderer(), {"text": NASTY, "body": NASTY})
    assert "<script>" not in html["text"][0]
    assert "&lt;script&gt;" in html["text"][0]
    assert "<script>" not in html["body"][0]
    assert "&lt;script&gt;" in html["body"][0]


def test_it_is_the_projects_renderer(settings):
    assert settings.FORM_RENDERER == "factcheck.form_renderer.FormRenderer"
    assert isinstance(forms.Form().renderer, FormRenderer)
