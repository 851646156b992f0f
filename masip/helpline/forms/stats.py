"""The month range of the statistics page and its export: a choice of the
last five years' months, drawn in one pass."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from django import forms
from django.utils.safestring import SafeString, mark_safe

from masip.core.forms import GovukForm, form_field
from masip.helpline import stats


def month_choices(today: dt.date) -> list[tuple[str, str]]:
    """The months a range may start or end in: the last five years, newest
    first."""
    this_month = stats.first_of(today)
    return [
        (f"{m:%Y-%m}", stats.month_label(m))
        for m in (stats.add_months(this_month, -n) for n in range(stats.MAX_MONTHS))
    ]


class MonthSelect(forms.Select):
    """A select of months drawn in one pass: Django's select widget renders
    each of its 60 options through a template, some 10 ms a page."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        chosen = str(value) if value is not None else ""
        attributes = "".join(
            f' {escape(key)}="{escape(str(val))}"'
            for key, val in final.items()
            if val is not None and val is not False
        )
        options = "".join(
            f'<option value="{escape(str(code))}"'
            f"{' selected' if str(code) == chosen else ''}>"
            f"{escape(str(label))}</option>"
            for code, label in self.choices
        )
        markup = f'<select name="{escape(name)}"{attributes}>{options}</select>'
        return mark_safe(markup)  # noqa: S308  # nosec B308 B703  # escaped


class MonthRangeForm(GovukForm):
    start = forms.ChoiceField(
        label="From",
        widget=MonthSelect,
        error_messages={
            "required": "Select the first month.",
            "invalid_choice": "Select the first month from the list.",
        },
    )
    end = forms.ChoiceField(
        label="To",
        widget=MonthSelect,
        error_messages={
            "required": "Select the last month.",
            "invalid_choice": "Select the last month from the list.",
        },
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = month_choices(today)
        form_field(self, "start", forms.ChoiceField).choices = choices
        form_field(self, "end", forms.ChoiceField).choices = choices
        for name in ("start", "end"):
            self.fields[name].widget.attrs["class"] = "govuk-select"
        first, last = stats.default_range(today)
        self.initial = {"start": f"{first:%Y-%m}", "end": f"{last:%Y-%m}"}

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:  # GovukForm knows Select, not MonthSelect
                self.fields[name].widget.attrs["class"] = (
                    "govuk-select govuk-select--error"
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error(
                "end", "The last month must be the same as or after the first month."
            )
        return data

    def months(self) -> tuple[dt.date, dt.date]:
        """The first and last month chosen (call after ``is_valid()``)."""
        return (_month(self.cleaned_data["start"]), _month(self.cleaned_data["end"]))


def _month(value: str) -> dt.date:
    year, month = value.split("-")  # a choice the form has checked
    return dt.date(int(year), int(month), 1)
