"""Lost-update display: the other person's values, and the form to save again."""

import datetime as dt

from django import forms
from django.http import QueryDict

from masip.core.conflicts import conflict_rows, display_value, resubmittable_form
from masip.core.errors import StaleEditError
from masip.core.forms import GovukForm, VersionField


class _EditForm(GovukForm):
    name = forms.CharField(label="Name")
    colour = forms.ChoiceField(label="Colour", choices=[("r", "Red"), ("b", "Blue")])
    version = VersionField()


def test_display_value_reads_each_kind_of_stored_value():
    field = forms.MultipleChoiceField(choices=[("a", "Apple"), ("b", "Banana")])

    assert display_value(field, ["a", "b"]) == "Apple, Banana"
    assert display_value(field, []) == "None"
    assert display_value(forms.BooleanField(), True) == "Yes"
    assert display_value(forms.BooleanField(), False) == "No"
    assert display_value(forms.CharField(), "") == "Not recorded"
    assert display_value(forms.DateField(), dt.date(2026, 3, 7)) == "7 March 2026"
    assert display_value(forms.TimeField(), dt.time(9, 5)) == "09:05"


def test_conflict_rows_skip_hidden_fields_and_values_the_form_leaves_out():
    rows = conflict_rows(
        _EditForm(), {"colour": "b", "version": 3, "secret": "Not for this page"}
    )

    assert rows == [("Colour", "Blue")]


def test_resubmittable_form_keeps_input_on_the_current_version():
    error = StaleEditError(current={"name": "Theirs"}, current_version=4)

    form = resubmittable_form(
        _EditForm, QueryDict("name=Mine&colour=r&version=3"), error
    )

    assert form["name"].value() == "Mine"
    assert form["version"].value() == "4"
    assert form.non_field_errors() == [str(error)]
