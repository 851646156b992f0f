"""How a service's refusal lands on a form (``masip.core.forms.show_refusal``,
used by the intervention and custody form pages)."""

from django import forms

from masip.core.errors import DomainError
from masip.core.forms import GovukForm, show_refusal
from masip.interventions.services import InterventionRefused


class _KindForm(GovukForm):
    kind = forms.CharField(label="Kind")


def _bound():
    form = _KindForm({"kind": "prison"})
    assert form.is_valid()
    return form


def test_show_refusal_naming_a_field_of_the_form_lands_on_that_field():
    form = _bound()

    show_refusal(form, InterventionRefused("Select the kind.", field="kind"))

    assert form.errors == {"kind": ["Select the kind."]}
    assert form.error_list() == [("id_kind", "Select the kind.")]


def test_show_refusal_naming_no_field_lands_on_the_whole_form():
    form = _bound()

    show_refusal(form, InterventionRefused("This intervention has ended."))

    assert form.non_field_errors() == ["This intervention has ended."]
    assert "kind" not in form.errors


def test_show_refusal_naming_a_field_not_on_the_form_lands_on_the_whole_form():
    form = _bound()

    show_refusal(form, InterventionRefused("Enter a note.", field="note"))

    assert form.non_field_errors() == ["Enter a note."]


def test_show_refusal_of_an_error_without_a_field_lands_on_the_whole_form():
    form = _bound()

    show_refusal(form, DomainError("Not now."))

    assert form.errors == {"__all__": ["Not now."]}
