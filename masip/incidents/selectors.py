"""Reading incidents: always within a case the caller has already resolved."""

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from masip.cases.keyset import Key
from masip.cases.models import Case
from masip.core.templatetags.govuk import govuk_date, govuk_day
from masip.incidents.models import Behaviour, Incident, TimePrecision
from masip.people.models import Channel

LONDON = ZoneInfo("Europe/London")
# A range typed without times runs from the start of its first day to the end
# of its last; an approximate incident without a time is stored at midnight.
START_OF_DAY = dt.time(0, 0)
END_OF_DAY = dt.time(23, 59)


def _list_holds(field_name: str, value: str) -> Q:
    """Rows whose JSON list ``field_name`` contains the code ``value``."""
    if connection.features.supports_json_field_contains:
        return Q(**{f"{field_name}__contains": [value]})
    # SQLite: match the quoted code in the stored JSON text. Codes are
    # lower-case words and underscores, so a quoted code matches one element.
    return Q(**{f"{field_name}__icontains": f'"{value}"'})


# The timeline's keyset pages (masip.cases.keyset): newest first, ties by id.
TIMELINE_KEYS = [Key("occurred_at", descending=True), Key("id", descending=True)]


def incident_list(
    *, case: Case, behaviour: str = "", channel: str = ""
) -> QuerySet[Incident]:
    """The case's incidents, newest first, optionally filtered by one code each."""
    incidents = Incident.objects.filter(case=case).select_related(
        "recorded_by", "recorded_by_agency"
    )
    if behaviour in Behaviour.values:
        incidents = incidents.filter(_list_holds("behaviours", behaviour))
    if channel in Channel.values:
        incidents = incidents.filter(_list_holds("channels", channel))
    return incidents.order_by("-occurred_at", "-id")


def incident_get_in_case(*, case: Case, public_id: uuid.UUID) -> Incident:
    """The incident if it belongs to ``case``; otherwise ``Http404``."""
    incident = (
        Incident.objects.filter(case=case, public_id=public_id)
        .select_related("recorded_by", "recorded_by_agency")
        .first()
    )
    if incident is None:
        raise Http404("No incident found.")
    return incident


@dataclass
class PatternSummary:
    """The shape of the course of conduct: how many, since when, how."""

    total: int = 0
    first: dt.datetime | None = None
    latest: dt.datetime | None = None
    by_behaviour: list[tuple[str, int]] = field(default_factory=list)
    by_channel: list[tuple[str, int]] = field(default_factory=list)


def incident_pattern(*, case: Case) -> PatternSummary:
    """Counts over every incident on the case, in one query."""
    rows = list(
        Incident.objects.filter(case=case).values_list(
            "occurred_at", "behaviours", "channels"
        )
    )
    if not rows:
        return PatternSummary()
    behaviours: Counter[str] = Counter()
    channels: Counter[str] = Counter()
    for _, row_behaviours, row_channels in rows:
        behaviours.update(set(row_behaviours or ()))
        channels.update(set(row_channels or ()))
    return PatternSummary(
        total=len(rows),
        first=min(row[0] for row in rows),
        latest=max(row[0] for row in rows),
        by_behaviour=_labelled(behaviours, Behaviour.choices),
        by_channel=_labelled(channels, Channel.choices),
    )


def _labelled(
    counts: Counter[str], choices: list[tuple[str, str]]
) -> list[tuple[str, int]]:
    """(label, count) in the order of the choices, leaving out zero counts."""
    return [(str(label), counts[value]) for value, label in choices if counts[value]]


def local_parts(moment: dt.datetime) -> tuple[dt.date, dt.time]:
    local = timezone.localtime(moment, LONDON)
    return local.date(), local.time().replace(second=0, microsecond=0)


def incident_when(incident: Incident) -> str:
    """When it happened, worded by how precisely it is known."""
    start_day, start_time = local_parts(incident.occurred_at)
    if incident.time_precision == TimePrecision.RANGE and incident.occurred_until:
        end_day, end_time = local_parts(incident.occurred_until)
        start = (
            govuk_day(start_day)
            if start_time == START_OF_DAY
            else govuk_date(incident.occurred_at)
        )
        end = (
            govuk_day(end_day)
            if end_time == END_OF_DAY
            else govuk_date(incident.occurred_until)
        )
        return f"Between {start} and {end}"
    if incident.time_precision == TimePrecision.APPROXIMATE:
        if start_time == START_OF_DAY:
            return f"Approximately {govuk_day(start_day)}"
        return f"Approximately {govuk_date(incident.occurred_at)}"
    return govuk_date(incident.occurred_at)
