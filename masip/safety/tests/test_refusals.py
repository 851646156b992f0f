"""How a service's refusal lands on a safety form: each broken safe-contact
rule in the error summary, other refusals on the field they name."""

from django import forms

from masip.core.forms import GovukForm
from masip.safety.contact_rules import Verdict
from masip.safety.services import SafeContactRefused, VictimContactError
from masip.safety.views._base import refused


class _ContactForm(GovukForm):
    method = forms.CharField(label="How")


def _bound():
    form = _ContactForm({"method": "call"})
    assert form.is_valid()
    return form


def test_refused_by_the_rules_lists_each_reason_on_the_whole_form():
    form = _bound()
    verdict = Verdict(
        allowed=False,
        reasons=["They do not take calls.", "Not on Sundays."],
        rules=["channel", "day"],
    )

    refused(form, SafeContactRefused(verdict))

    assert form.non_field_errors() == ["They do not take calls.", "Not on Sundays."]
    assert "method" not in form.errors


def test_refused_otherwise_shows_the_message_on_the_field_it_names():
    form = _bound()
    error = VictimContactError("Select how the victim is contacted.", field="method")

    refused(form, error)

    assert form.errors == {"method": ["Select how the victim is contacted."]}
