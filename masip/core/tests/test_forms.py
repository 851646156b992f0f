"""GOV.UK form helpers: the date field, time field and error wiring."""

import datetime as dt

import pytest
from django import forms

from masip.core.forms import GovukDateField, GovukForm, GovukTimeField


class _DateForm(GovukForm):
    when = GovukDateField(label="Date", help_text="For example, 27 3 2026")


class _TimeForm(GovukForm):
    at = GovukTimeField(label="Time")


def _date_form(day: str, month: str, year: str) -> _DateForm:
    return _DateForm(data={"when_day": day, "when_month": month, "when_year": year})


def test_date_field_accepts_a_real_date():
    form = _date_form("7", "3", "2026")

    assert form.is_valid()
    assert form.cleaned_data["when"] == dt.date(2026, 3, 7)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2026", "Enter a real date."),
        ("7", "", "2026", "Enter a full date, with a day, month and year."),
        ("", "", "", "This field is required."),
    ],
)
def test_date_field_explains_what_is_wrong(day, month, year, message):
    form = _date_form(day, month, year)

    assert not form.is_valid()
    assert message in form.errors["when"][0] or message in " ".join(form.errors["when"])


def test_date_field_renders_three_boxes_and_hint_is_described():
    html = str(_DateForm())

    assert html.count("govuk-date-input__input") == 3
    assert 'aria-describedby="id_when-hint"' in html


def test_invalid_field_links_error_summary_and_marks_input():
    form = _date_form("31", "2", "2026")
    form.is_valid()

    html = str(form)

    assert form.error_list() == [("id_when_0", "Enter a real date.")]
    assert 'id="id_when_0"' in html
    assert "govuk-form-group--error" in html
    assert html.count("govuk-input--error") == 3


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("14:30", dt.time(14, 30)), ("2:30pm", dt.time(14, 30)), ("9am", dt.time(9, 0))],
)
def test_time_field_reads_common_ways_of_writing_a_time(typed, expected):
    form = _TimeForm(data={"at": typed})

    assert form.is_valid()
    assert form.cleaned_data["at"] == expected


def test_time_field_rejects_nonsense_with_an_example():
    form = _TimeForm(data={"at": "teatime"})

    assert not form.is_valid()
    assert form.errors["at"] == ["Enter a time such as 14:30 or 2:30pm."]


def test_text_input_gets_govuk_classes():
    class _F(GovukForm):
        name = forms.CharField(label="Name")

    assert 'class="govuk-input"' in str(_F())


def test_time_field_is_a_short_text_box():
    assert 'class="govuk-input govuk-input--width-5"' in str(_TimeForm())


class _SelectForm(GovukForm):
    colour = forms.ChoiceField(
        label="Colour",
        choices=[
            ("", "Any colour"),
            ("Warm", [("red", "Red & orange"), ("amber", "Amber")]),
            ("blue", "Blue"),
        ],
        required=False,
    )


def test_select_writes_each_option_with_its_value_label_and_selection():
    html = str(_SelectForm(data={"colour": "amber"})["colour"])

    assert html.startswith('<select name="colour" class="govuk-select" id="id_colour"')
    assert '<option value="">Any colour</option>' in html
    assert '<optgroup label="Warm">' in html
    assert '<option value="red">Red &amp; orange</option>' in html
    assert '<option value="amber" selected>Amber</option>' in html
    assert '<option value="blue">Blue</option>' in html
    assert html.count("<option") == 4
