"""Incident forms: dates, times, ranges and GOV.UK error wording."""

import datetime as dt

import pytest
from django.utils import timezone

from masip.incidents.forms import IncidentEditForm, IncidentForm
from masip.incidents.models import TimePrecision
from masip.incidents.selectors import LONDON

# A fixed "now" (a Wednesday afternoon in British Summer Time) keeps
# "not in the future" checks independent of when the tests run.
NOW = dt.datetime(2026, 7, 15, 15, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(dt.UTC))


def _date(prefix, day):
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def _data(**overrides):
    data = {
        **_date("occurred_on", dt.date(2026, 7, 1)),
        "occurred_time": "2:30pm",
        "time_precision": "exact",
        "behaviours": ["loitering"],
        "channels": ["in_person"],
        "location": "Car park behind the library",
        "location_confidentiality": "restricted",
        "narrative": "Waited by her car for an hour.",
        "impact": "",
        "reported_to_police": "no",
        "crime_reference": "",
    }
    data.update(overrides)
    return data


def _form(data, **kwargs):
    kwargs.setdefault("may_restrict", True)
    return IncidentForm(data, **kwargs)


def test_incident_form_converts_uk_summer_time_to_an_aware_datetime():
    form = _form(_data())

    assert form.is_valid(), form.errors
    values = form.service_values()
    assert values["occurred_at"] == dt.datetime(2026, 7, 1, 13, 30, tzinfo=dt.UTC)
    assert values["occurred_until"] is None
    assert values["location_confidentiality"] == "restricted"


def test_incident_form_converts_uk_winter_time():
    form = _form(
        _data(**_date("occurred_on", dt.date(2026, 1, 15)), occurred_time="09:05")
    )

    assert form.is_valid(), form.errors
    assert form.service_values()["occurred_at"] == dt.datetime(
        2026, 1, 15, 9, 5, tzinfo=dt.UTC
    )


def test_incident_form_blank_time_means_approximate_at_midnight():
    form = _form(_data(occurred_time=""))

    assert form.is_valid(), form.errors
    values = form.service_values()
    assert values["time_precision"] == TimePrecision.APPROXIMATE
    assert values["occurred_at"] == dt.datetime(2026, 7, 1, 0, 0, tzinfo=LONDON)


def test_incident_form_requires_the_date():
    form = _form(_data(occurred_on_day="", occurred_on_month="", occurred_on_year=""))

    assert not form.is_valid()
    assert form.errors["occurred_on"] == ["Enter the date the incident happened."]


def test_incident_form_rejects_an_impossible_date():
    form = _form(
        _data(
            **{
                **_date("occurred_on", NOW.date()),
                "occurred_on_day": "31",
                "occurred_on_month": "2",
            }
        )
    )

    assert not form.is_valid()
    assert form.errors["occurred_on"] == ["Enter a real date."]


def test_incident_form_rejects_a_future_date():
    form = _form(_data(**_date("occurred_on", dt.date(2026, 7, 16))))

    assert not form.is_valid()
    assert form.errors["occurred_on"] == ["The date must be today or in the past."]


def test_incident_form_rejects_a_later_time_today():
    form = _form(_data(**_date("occurred_on", NOW.date()), occurred_time="16:00"))

    assert not form.is_valid()
    assert form.errors["occurred_time"] == ["The time must be in the past."]


def test_incident_form_rejects_a_time_it_cannot_read():
    form = _form(_data(occurred_time="half two"))

    assert not form.is_valid()
    assert form.errors["occurred_time"] == ["Enter a time such as 14:30 or 2:30pm."]


def test_incident_form_range_requires_an_end_date():
    form = _form(_data(time_precision="range"))

    assert not form.is_valid()
    assert form.errors["end_date"] == ["Enter the date it ended."]


def test_incident_form_range_end_before_start_is_refused():
    form = _form(
        _data(time_precision="range", **_date("end_date", dt.date(2026, 6, 30)))
    )

    assert not form.is_valid()
    assert form.errors["end_date"] == ["The end must be after the start."]


def test_incident_form_range_end_time_before_start_on_the_same_day_is_refused():
    form = _form(
        _data(
            time_precision="range",
            end_time="1:00pm",
            **_date("end_date", dt.date(2026, 7, 1)),
        )
    )

    assert not form.is_valid()
    assert form.errors["end_time"] == ["The end must be after the start."]


def test_incident_form_range_without_end_time_runs_to_the_end_of_that_day():
    form = _form(
        _data(
            time_precision="range",
            occurred_time="",
            **_date("end_date", dt.date(2026, 7, 3)),
        )
    )

    assert form.is_valid(), form.errors
    values = form.service_values()
    assert values["time_precision"] == TimePrecision.RANGE
    assert values["occurred_until"] == dt.datetime(2026, 7, 3, 23, 59, tzinfo=LONDON)


def test_incident_form_range_end_in_the_future_is_refused():
    form = _form(
        _data(time_precision="range", **_date("end_date", dt.date(2026, 8, 1)))
    )

    assert not form.is_valid()
    assert form.errors["end_date"] == ["The end date must be today or in the past."]


def test_incident_form_requires_a_behaviour_and_a_channel():
    form = _form(_data(behaviours=[], channels=[]))

    assert not form.is_valid()
    assert form.errors["behaviours"] == ["Select at least one behaviour."]
    assert form.errors["channels"] == ["Select at least one way it happened."]


def test_incident_form_requires_crime_reference_when_reported():
    form = _form(_data(reported_to_police="yes", crime_reference=" "))

    assert not form.is_valid()
    assert form.errors["crime_reference"] == [
        "Enter the crime reference, or answer no."
    ]


def test_incident_form_reported_with_reference_is_valid():
    form = _form(_data(reported_to_police="yes", crime_reference=" CR/123/26 "))

    assert form.is_valid(), form.errors
    assert form.service_values()["reported_to_police"] is True
    assert form.service_values()["crime_reference"] == "CR/123/26"


def test_incident_form_requires_narrative_and_reported_answer():
    form = _form(_data(narrative="", reported_to_police=""))

    assert not form.is_valid()
    assert form.errors["narrative"] == ["Enter what happened."]
    assert form.errors["reported_to_police"] == [
        "Select yes if it was reported to the police, or no."
    ]


def test_incident_form_without_compartment_cannot_restrict_the_location():
    form = _form(_data(), may_restrict=False)

    assert not form.is_valid()
    assert form.errors["location_confidentiality"] == [
        "Select who can see the location."
    ]


def test_incident_form_without_location_fields_leaves_location_out():
    form = _form(_data(location="Ignored"), show_location=False)

    assert form.is_valid(), form.errors
    assert "location" not in form.service_values()
    assert "location_confidentiality" not in form.service_values()


def test_incident_edit_form_initial_round_trips_stored_values():
    stored = {
        "occurred_at": dt.datetime(2026, 7, 1, 0, 0, tzinfo=LONDON),
        "occurred_until": dt.datetime(2026, 7, 3, 23, 59, tzinfo=LONDON),
        "time_precision": "range",
        "behaviours": ["loitering"],
        "channels": ["in_person"],
        "location": "Car park",
        "location_confidentiality": "restricted",
        "narrative": "Waited.",
        "impact": "",
        "reported_to_police": False,
        "crime_reference": "",
    }

    initial = IncidentEditForm.initial_from(stored)

    assert initial["occurred_on"] == dt.date(2026, 7, 1)
    assert initial["occurred_time"] is None
    assert initial["end_date"] == dt.date(2026, 7, 3)
    assert initial["end_time"] is None
    assert initial["reported_to_police"] == "no"


def test_incident_edit_form_initial_keeps_an_exact_time():
    initial = IncidentEditForm.initial_from(
        {
            "occurred_at": dt.datetime(2026, 7, 1, 13, 30, tzinfo=dt.UTC),
            "occurred_until": None,
            "time_precision": "exact",
            "reported_to_police": True,
        }
    )

    assert initial["occurred_time"] == "14:30"
    assert initial["reported_to_police"] == "yes"
