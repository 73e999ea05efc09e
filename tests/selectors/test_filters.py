"""The queue's filter form: how its long selects are written out."""

import pytest
from django import forms
from django.http import QueryDict
from django.test import SimpleTestCase

from claims.models import Claim
from claims.selectors.filters import ClaimFilter, PlainSelect, current_parameters
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


# Retired parameters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("assigned=yes", {"reviewer": ["assigned"]}),
        ("assigned=no&state=disputed", {"state": ["disputed"], "reviewer": ["unassigned"]}),
        ("assigned=yes&reviewer=7", {"reviewer": ["7"]}),  # a named reviewer says more
        ("assigned=no&reviewer=me", {"reviewer": ["me"]}),  # they disagree: the reviewer wins
        ("assigned=perhaps&q=tax", {"q": ["tax"]}),
        ("q=tax", {"q": ["tax"]}),
    ],
)
def test_a_retired_parameter_becomes_the_one_that_replaced_it(old, new):
    assert dict(current_parameters(QueryDict(old)).lists()) == new


def test_parameters_with_nothing_retired_are_returned_as_they_are():
    params = QueryDict("q=tax&state=disputed")
    assert current_parameters(params) is params


def test_a_plain_dict_of_parameters_is_mapped_too():
    assert current_parameters({"assigned": "no"}) == {"reviewer": "unassigned"}


@pytest.mark.django_db
def test_the_filter_set_reads_a_retired_parameter_as_its_replacement(editor):
    filterset = ClaimFilter(QueryDict("assigned=yes"), user=editor, queryset=Claim.objects.all())
    assert filterset.form["reviewer"].value() == "assigned"
    assert [name for name, _label, _value in filterset.applied_filters()] == ["reviewer"]
