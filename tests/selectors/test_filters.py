"""The queue's filter form: how its long selects are written out."""

import pytest
from django import forms
from django.http import QueryDict
from django.test import SimpleTestCase

from claims.models import Claim
from claims.selectors.filters import ClaimFilter, PlainSelect
from tests.factories import SourceFactory

CHOICES = [("", "Any source"), ("1", "Budget <draft> & notes"), ("2", 'The "Post"')]


@pytest.mark.parametrize("value", [None, "", "2", 2])
def test_plain_select_writes_what_djangos_select_writes(value):
    attrs = {"id": "id_source", "class": "wide"}
    ours = PlainSelect(choices=CHOICES).render("source", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("source", value, attrs=attrs)
    SimpleTestCase().assertHTMLEqual(ours, django)


def test_plain_select_escapes_labels_and_values():
    html = PlainSelect(choices=[('"><b>', "<script>")]).render("x", None)
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_source_filter_lists_every_source_and_keeps_the_chosen_one(editor):
    chosen = SourceFactory(title="Axios report", outlet="Axios")
    SourceFactory(title="Evening Post report", outlet="")
    form = ClaimFilter(
        QueryDict(f"source={chosen.pk}"), user=editor, queryset=Claim.objects.all()
    ).form

    html = str(form["source"])

    assert f'<option value="{chosen.pk}" selected>Axios report (Axios)</option>' in html
    assert ">Evening Post report</option>" in html
