"""Aggregate figures for analysts, with small numbers suppressed.

Nothing here returns a case, a person or a name: only counts, each passed
through :func:`suppress` before it leaves this module.

Suppression rules (stated on the page too):

* a count from 1 to :data:`THRESHOLD` - 1 is shown as "fewer than 5";
* where a table splits a total (each case in exactly one row) and has exactly
  one such count, the next smallest count is withheld too, so the small one
  cannot be worked out by subtracting the others from the total;
* zero is shown as 0.
"""

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Count, Min, QuerySet
from django.utils import timezone

from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.accounts.models import Site
from masip.cases.models import Case, CaseStatus, RelationshipType, RiskLevel
from masip.incidents.models import Behaviour, Incident
from masip.isolation.context import aggregate_read
from masip.people.models import Channel

THRESHOLD = 5
SMALL = "fewer than 5"
WITHHELD = "not shown"
NO_SITE = "No site (national agencies)"


@dataclass(frozen=True)
class Cell:
    label: str
    shown: str  # the count as the page shows it
    suppressed: bool = False


@dataclass(frozen=True)
class Table:
    title: str
    caption: str
    cells: list[Cell]


@dataclass(frozen=True)
class Overview:
    total_cases: str
    total_incidents: str
    median_days_to_allocation: str
    cases_allocated: str
    tables: list[Table]


def suppress(
    counts: Sequence[tuple[str, int]], *, splits_total: bool = True
) -> list[Cell]:
    """The counts as they may be shown: small numbers hidden (see module docs).

    ``splits_total`` is false for tables whose rows overlap (an incident with
    several behaviours), where no subtraction recovers a hidden count.
    """
    small = [i for i, (_, n) in enumerate(counts) if 0 < n < THRESHOLD]
    withheld: set[int] = set()
    if splits_total and len(small) == 1:
        others = [(n, i) for i, (_, n) in enumerate(counts) if n >= THRESHOLD]
        if others:
            withheld.add(min(others)[1])
    cells = []
    for i, (label, n) in enumerate(counts):
        if i in small:
            cells.append(Cell(label, SMALL, suppressed=True))
        elif i in withheld:
            cells.append(Cell(label, WITHHELD, suppressed=True))
        else:
            cells.append(Cell(label, str(n)))
    return cells


def shown_count(n: int) -> str:
    """One stand-alone figure: small numbers hidden."""
    return SMALL if 0 < n < THRESHOLD else str(n)


# Aggregates count across every agency: row-level security lets this read past
# the request's reach, only for a user who may read aggregate reports (ADR 0013).
@aggregate_read()
def report_overview(*, access: Access) -> Overview:
    """Every figure on the reports page, in a fixed number of queries."""
    access.require(Permission.REPORT_VIEW_AGGREGATE)
    cases = Case.objects.all()
    by_status = _count_by(cases, "status")
    behaviours, channels, total_incidents = _incident_counts()
    days = _days_to_first_allocation()
    median = _in_days(statistics.median(days)) if len(days) >= THRESHOLD else WITHHELD
    return Overview(
        total_cases=shown_count(sum(by_status.values())),
        total_incidents=shown_count(total_incidents),
        median_days_to_allocation=median,
        cases_allocated=shown_count(len(days)),
        tables=[
            _table("Cases by status", "Status", CaseStatus.choices, by_status),
            _table(
                "Cases by risk level",
                "Risk level",
                RiskLevel.choices,
                _count_by(cases, "risk_level"),
            ),
            _table(
                "Cases by relationship",
                "Relationship of the person who stalks to the victim",
                RelationshipType.choices,
                _count_by(cases, "relationship_type"),
            ),
            _table("Cases by site", "Site of the lead agency", *_sites(cases)),
            _table(
                "Incidents by behaviour",
                "Behaviour (an incident may show several)",
                Behaviour.choices,
                behaviours,
                splits_total=False,
            ),
            _table(
                "Incidents by channel",
                "Channel (an incident may use several)",
                Channel.choices,
                channels,
                splits_total=False,
            ),
        ],
    )


def _table(
    title: str,
    caption: str,
    choices: Iterable[tuple[str, str]],
    counts: Mapping[str, int] | Mapping[str | None, int],
    *,
    splits_total: bool = True,
) -> Table:
    rows = [(str(label), counts.get(value, 0)) for value, label in choices]
    return Table(title, caption, suppress(rows, splits_total=splits_total))


def _count_by(cases: QuerySet[Case], field: str) -> dict[str | None, int]:
    rows = cases.order_by().values(field).annotate(n=Count("pk"))
    return {row[field]: row["n"] for row in rows}


def _sites(
    cases: QuerySet[Case],
) -> tuple[list[tuple[str, str]], dict[str | None, int]]:
    counts = _count_by(cases, "lead_agency__site__name")
    choices = [(name, name) for name in Site.objects.values_list("name", flat=True)]
    if counts.get(None):
        counts[NO_SITE] = counts.pop(None)
        choices.append((NO_SITE, NO_SITE))
    return choices, counts


def _incident_counts() -> tuple[Counter[str], Counter[str], int]:
    """Incidents showing each behaviour and using each channel (lists in JSON)."""
    behaviours: Counter[str] = Counter()
    channels: Counter[str] = Counter()
    total = 0
    rows = Incident.objects.order_by().values_list("behaviours", "channels")
    for incident_behaviours, incident_channels in rows.iterator(chunk_size=2000):
        total += 1
        behaviours.update(set(incident_behaviours or ()))
        channels.update(set(incident_channels or ()))
    return behaviours, channels, total


def _days_to_first_allocation() -> list[int]:
    """For each allocated case, days from referral to its first allocation."""
    rows = (
        Case.objects.order_by()
        .annotate(first_allocated=Min("allocations__allocated_at"))
        .filter(first_allocated__isnull=False)
        .values_list("referred_on", "first_allocated")
    )
    return [
        (timezone.localdate(first) - referred).days
        for referred, first in rows.iterator(chunk_size=2000)
    ]


def _in_days(value: float) -> str:
    number = f"{value:.1f}".removesuffix(".0")
    return "1 day" if number == "1" else f"{number} days"
