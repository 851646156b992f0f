"""Forms for recording and changing incidents (GOV.UK wording).

Dates and times are typed as UK local times and stored as aware datetimes.
"""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from masip.core.forms import (
    GovukDateField,
    GovukForm,
    GovukTimeField,
    VersionField,
    form_field,
)
from masip.incidents.models import Behaviour, Escalation, TimePrecision
from masip.incidents.selectors import END_OF_DAY, LONDON, START_OF_DAY, local_parts
from masip.people.forms import confidentiality_field, offer_confidentiality
from masip.people.models import Channel

YES_NO = [("yes", "Yes"), ("no", "No")]
_LOCATION_FIELDS = ("location", "location_confidentiality")


def london_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time).replace(tzinfo=LONDON)


class IncidentForm(GovukForm):
    occurred_on = GovukDateField(
        label="Date",
        help_text="The day it happened, or the first day if it went on for a while. "
        "For example, 27 3 2026.",
        error_messages={"required": "Enter the date the incident happened."},
    )
    occurred_time = GovukTimeField(
        label="Time",
        required=False,
        help_text="For example, 14:30 or 2:30pm. Leave blank if the time is not known.",
    )
    time_precision = forms.ChoiceField(
        label="How exact is this?",
        choices=TimePrecision.choices,
        initial=TimePrecision.EXACT,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how exact the date and time are."},
    )
    end_date = GovukDateField(
        label="End date",
        required=False,
        help_text="Only if it happened some time between two dates.",
    )
    end_time = GovukTimeField(
        label="End time",
        required=False,
        help_text="Leave blank to mean the end of that day.",
    )
    behaviours = forms.MultipleChoiceField(
        label="What did they do?",
        choices=Behaviour.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select at least one behaviour."},
    )
    channels = forms.MultipleChoiceField(
        label="How did it happen?",
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select at least one way it happened."},
    )
    escalations = forms.MultipleChoiceField(
        label="Did it include any of these?",
        choices=Escalation.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=(
            "Select all that apply. Any of them marks the case for a risk review."
        ),
    )
    location = forms.CharField(
        label="Where did it happen?",
        max_length=300,
        required=False,
        error_messages={"max_length": "Location must be 300 characters or fewer."},
    )
    location_confidentiality = confidentiality_field(
        label="Who can see the location", error="Select who can see the location."
    )
    narrative = forms.CharField(
        label="What happened?",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What was said or done, in the victim's words where possible: "
        "messages, sightings, vehicles, clothing, witnesses.",
        error_messages={"required": "Enter what happened."},
    )
    impact = forms.CharField(
        label="Effect on the victim",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="How it made them feel and what they have changed because of it.",
    )
    reported_to_police = forms.TypedChoiceField(
        label="Was it reported to the police?",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if it was reported to the police, or no."
        },
    )
    crime_reference = forms.CharField(
        label="Crime reference",
        max_length=50,
        required=False,
        help_text="If it was reported to the police.",
        error_messages={
            "max_length": "Crime reference must be 50 characters or fewer."
        },
    )

    def __init__(
        self, *args: Any, may_restrict: bool, show_location: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if show_location:
            field = form_field(self, "location_confidentiality", forms.ChoiceField)
            offer_confidentiality(field, may_restrict=may_restrict)
        else:
            for name in _LOCATION_FIELDS:
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self._clean_start(data)
        self._clean_end(data)
        if (
            data.get("reported_to_police")
            and not data.get("crime_reference", "").strip()
        ):
            self.add_error(
                "crime_reference", "Enter the crime reference, or answer no."
            )
        return data

    def _clean_start(self, data: dict[str, Any]) -> None:
        day, time = data.get("occurred_on"), data.get("occurred_time")
        if day is None:
            return
        now = timezone.now()
        if day > now.astimezone(LONDON).date():
            self.add_error("occurred_on", "The date must be today or in the past.")
            return
        if time is None and data.get("time_precision") == TimePrecision.EXACT:
            # No time given: the date is all that is known.
            data["time_precision"] = TimePrecision.APPROXIMATE
        data["occurred_at"] = london_datetime(day, time or START_OF_DAY)
        if time is not None and data["occurred_at"] > now:
            self.add_error("occurred_time", "The time must be in the past.")

    def _clean_end(self, data: dict[str, Any]) -> None:
        data["occurred_until"] = None
        if data.get("time_precision") != TimePrecision.RANGE:
            return
        day, time = data.get("end_date"), data.get("end_time")
        if day is None:
            if "end_date" not in self.errors:
                self.add_error("end_date", "Enter the date it ended.")
            return
        if day > timezone.now().astimezone(LONDON).date():
            self.add_error("end_date", "The end date must be today or in the past.")
            return
        end = london_datetime(day, time or END_OF_DAY)
        start = data.get("occurred_at")
        if start is not None and end <= start:
            self.add_error(
                "end_time" if day == data["occurred_on"] else "end_date",
                "The end must be after the start.",
            )
            return
        data["occurred_until"] = end

    def service_values(self) -> dict[str, Any]:
        """Cleaned data shaped for ``incident_record`` and ``incident_update``."""
        data = self.cleaned_data
        values = {
            "occurred_at": data["occurred_at"],
            "occurred_until": data["occurred_until"],
            "time_precision": data["time_precision"],
            "behaviours": data["behaviours"],
            "channels": data["channels"],
            "escalations": data["escalations"],
            "narrative": data["narrative"],
            "impact": data["impact"],
            "reported_to_police": data["reported_to_police"],
            "crime_reference": data["crime_reference"].strip()
            if data["reported_to_police"]
            else "",
        }
        for name in _LOCATION_FIELDS:
            if name in self.fields:
                values[name] = data[name]
        return values

    @staticmethod
    def initial_from(values: dict[str, Any]) -> dict[str, Any]:
        """Form values from stored ones (as ``services.incident_current_values``)."""
        initial = {
            name: value
            for name, value in values.items()
            if name not in ("occurred_at", "occurred_until", "reported_to_police")
        }
        day, time = local_parts(values["occurred_at"])
        initial["occurred_on"] = day
        known = values["time_precision"] == TimePrecision.EXACT or time != START_OF_DAY
        initial["occurred_time"] = _hh_mm(time) if known else None
        if values.get("occurred_until"):
            end_day, end_time = local_parts(values["occurred_until"])
            initial["end_date"] = end_day
            initial["end_time"] = None if end_time == END_OF_DAY else _hh_mm(end_time)
        initial["reported_to_police"] = "yes" if values["reported_to_police"] else "no"
        return initial


def _hh_mm(time: dt.time) -> str:
    return time.strftime("%H:%M")


class IncidentEditForm(IncidentForm):
    version = VersionField()


class IncidentFilterForm(GovukForm):
    behaviour = forms.ChoiceField(
        label="Behaviour",
        required=False,
        choices=[("", "All behaviours"), *Behaviour.choices],
    )
    channel = forms.ChoiceField(
        label="How it happened",
        required=False,
        choices=[("", "All ways"), *Channel.choices],
    )
