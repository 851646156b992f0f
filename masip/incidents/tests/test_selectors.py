"""Incident selectors: the timeline, its filters, its summary and its wording."""

import datetime as dt
import uuid

import pytest
from django.http import Http404

from masip.incidents import selectors
from masip.incidents.models import TimePrecision
from masip.incidents.selectors import LONDON
from masip.incidents.tests.factories import IncidentFactory


def _at(*args):
    return dt.datetime(*args, tzinfo=LONDON)


def test_incident_list_is_newest_first_and_only_this_case(cast):
    newer = IncidentFactory(
        case=cast.case, occurred_at=cast.incident.occurred_at + dt.timedelta(hours=1)
    )
    IncidentFactory(case=cast.other_case)

    incidents = list(selectors.incident_list(case=cast.case))

    assert incidents == [newer, cast.incident]


def test_incident_list_filters_by_behaviour_and_channel(cast):
    following = IncidentFactory(
        case=cast.case, behaviours=["following", "other"], channels=["in_person"]
    )
    tracking = IncidentFactory(
        case=cast.case, behaviours=["monitoring"], channels=["tracking", "spyware"]
    )

    by_behaviour = selectors.incident_list(case=cast.case, behaviour="following")
    by_other = selectors.incident_list(case=cast.case, behaviour="other")
    by_channel = selectors.incident_list(case=cast.case, channel="spyware")
    both = selectors.incident_list(
        case=cast.case, behaviour="monitoring", channel="text"
    )

    assert list(by_behaviour) == [following]
    assert list(by_other) == [following]
    assert list(by_channel) == [tracking]
    assert list(both) == []


def test_incident_list_ignores_unknown_filter_codes(cast):
    incidents = selectors.incident_list(
        case=cast.case, behaviour='x" OR 1=1', channel="?"
    )

    assert list(incidents) == [cast.incident]


def test_incident_get_in_case_refuses_another_cases_incident(cast):
    elsewhere = IncidentFactory(case=cast.other_case)

    with pytest.raises(Http404):
        selectors.incident_get_in_case(case=cast.case, public_id=elsewhere.public_id)
    with pytest.raises(Http404):
        selectors.incident_get_in_case(case=cast.case, public_id=uuid.uuid4())


def test_incident_pattern_counts_behaviours_channels_and_dates(cast):
    first = _at(2026, 1, 2, 9, 0)
    latest = _at(2026, 3, 4, 22, 15)
    cast.incident.delete()
    IncidentFactory(
        case=cast.case,
        occurred_at=first,
        behaviours=["following", "watching"],
        channels=["in_person"],
    )
    IncidentFactory(
        case=cast.case,
        occurred_at=latest,
        behaviours=["following"],
        channels=["text", "phone"],
    )
    IncidentFactory(case=cast.other_case, behaviours=["publishing"])

    pattern = selectors.incident_pattern(case=cast.case)

    assert pattern.total == 2
    assert pattern.first == first
    assert pattern.latest == latest
    assert pattern.by_behaviour == [("Following", 2), ("Watching or spying", 1)]
    assert pattern.by_channel == [
        ("In person", 1),
        ("Phone call", 1),
        ("Text or messaging app", 1),
    ]


def test_incident_pattern_of_a_case_without_incidents_is_empty(cast):
    pattern = selectors.incident_pattern(case=cast.other_case)

    assert pattern.total == 0
    assert pattern.first is None


@pytest.mark.parametrize(
    ("precision", "start", "end", "expected"),
    [
        ("exact", _at(2026, 7, 1, 14, 30), None, "1 July 2026 at 2:30pm"),
        ("approximate", _at(2026, 7, 1, 0, 0), None, "Approximately 1 July 2026"),
        (
            "approximate",
            _at(2026, 7, 1, 21, 0),
            None,
            "Approximately 1 July 2026 at 9pm",
        ),
        (
            "range",
            _at(2026, 7, 1, 0, 0),
            _at(2026, 7, 3, 23, 59),
            "Between 1 July 2026 and 3 July 2026",
        ),
        (
            "range",
            _at(2026, 7, 1, 18, 0),
            _at(2026, 7, 1, 20, 30),
            "Between 1 July 2026 at 6pm and 1 July 2026 at 8:30pm",
        ),
    ],
)
def test_incident_when_words_each_precision(cast, precision, start, end, expected):
    incident = IncidentFactory.build(
        occurred_at=start, occurred_until=end, time_precision=TimePrecision(precision)
    )

    assert selectors.incident_when(incident) == expected
