"""The helpline's statistics: selectors over ``MonthlyCount`` only.

Every figure comes from the monthly counts ``counting.count_contact`` keeps,
read in ONE query whatever the range or the number of contacts; the contacts
table is never read here. The page shows the figures as they are (the
helpline manager's own management information); the CSV export, which may
leave the helpline, suppresses small numbers.

Suppression in the CSV (``suppressed_rows``), with ``N`` the setting
``MASIP_HELPLINE_SMALL_NUMBER`` (5):

* a count from 1 to N - 1 is written as "<N" ("<5"), never the number;
* secondary suppression: in each month and dimension, if exactly one count is
  hidden that way, the next smallest count (the smallest count of N or more;
  the first in the dimension's order on a tie) is hidden too, also as "<N"
  so the two cannot be told apart; the small one then cannot be worked out by
  subtracting the other counts from the month's total. The rule is applied to
  every dimension, also those where a contact may count under several
  values (behaviours, indicators, referrals, advice), where no subtraction
  would reveal it: one rule, easy to check;
* the month's total (dimension "all") follows the first rule; a month whose
  total is hidden has every other count below N, so all of them are hidden;
* zero is written as 0 (nothing to protect);
* the average handling time is written only for a month of at least N
  contacts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings

from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.cases.models import RiskLevel
from masip.helpline.areas import REGIONS
from masip.helpline.counting import ALL
from masip.helpline.models import (
    AdviceTopic,
    CallerType,
    ContactChannel,
    DigitalIndicator,
    DurationBand,
    MonthlyCount,
    ReferralMade,
    Relationship,
)
from masip.incidents.models import Behaviour

# The most months one page or export covers (five years).
MAX_MONTHS = 60
DEFAULT_MONTHS = 12
# Values the counts may hold that no choice list names: a handover with
# consent, if counting.py counts it as the referral value "handover" (the
# handover helper asked for that); shown with this label once counted.
EXTRA_LABELS = {("referral", "handover"): "Handed over with consent"}


@dataclass(frozen=True)
class Dimension:
    code: str
    title: str  # "Contacts by channel"
    heading: str  # the first column's heading
    choices: tuple[tuple[str, str], ...]
    single: bool  # each contact counts under at most one value


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "channel",
        "Contacts by channel",
        "Channel",
        tuple(ContactChannel.choices),
        True,
    ),
    Dimension(
        "caller_type",
        "Contacts by caller type",
        "Who called",
        tuple(CallerType.choices),
        True,
    ),
    Dimension(
        "region",
        "Contacts by region",
        "Region (of the police force area)",
        tuple(REGIONS.items()),
        True,
    ),
    Dimension(
        "relationship",
        "Contacts by relationship",
        "Who the person stalking is to the person stalked",
        tuple(Relationship.choices),
        True,
    ),
    Dimension(
        "duration_band",
        "Contacts by how long the stalking has gone on",
        "How long",
        tuple(DurationBand.choices),
        True,
    ),
    Dimension(
        "behaviour",
        "Behaviours reported",
        "Behaviour (a contact may report several)",
        tuple(Behaviour.choices),
        False,
    ),
    Dimension(
        "digital",
        "Digital and tracking indicators",
        "Indicator (a contact may show several)",
        tuple(DigitalIndicator.choices),
        False,
    ),
    Dimension(
        "referral",
        "Referrals made",
        "Referred to (a contact may make several)",
        tuple(ReferralMade.choices),
        False,
    ),
    Dimension(
        "advice_area",
        "Advice given",
        "Area of advice (a contact may get several)",
        tuple(AdviceTopic.Area.choices),
        False,
    ),
    Dimension(
        "risk_level",
        "Risk screen results",
        "Risk level",
        tuple((v, label) for v, label in RiskLevel.choices if v != "not_assessed"),
        True,
    ),
    Dimension(
        "safeguarding",
        "Safeguarding overrides of confidentiality",
        "Safeguarding",
        (("override", "Confidentiality overridden to safeguard"),),
        True,
    ),
)
BY_CODE = {d.code: d for d in DIMENSIONS}
# What the page shows as a chart and a table, in order (the brief's list).
PAGE_DIMENSIONS = (
    "channel",
    "caller_type",
    "region",
    "relationship",
    "duration_band",
    "behaviour",
    "digital",
)


def small_number() -> int:
    return int(settings.MASIP_HELPLINE_SMALL_NUMBER)


# --- month arithmetic -------------------------------------------------------


def first_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every first-of-month from ``first`` to ``last``, both included."""
    months, month = [], first_of(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def default_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last twelve months, this one included."""
    last = first_of(today)
    return add_months(last, 1 - DEFAULT_MONTHS), last


def month_label(month: dt.date) -> str:
    return f"{month:%B %Y}"


def short_month(month: dt.date) -> str:
    return f"{month:%b %Y}"


def minutes_seconds(seconds: float) -> str:
    """Seconds as minutes:seconds (rounded to the second): 245 -> "4:05"."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


# --- the figures ------------------------------------------------------------


@dataclass
class MonthlyFigures:
    """The counts of a range of months, as read from ``MonthlyCount``."""

    months: list[dt.date]
    contacts: dict[dt.date, int] = field(default_factory=dict)
    seconds: dict[dt.date, int] = field(default_factory=dict)
    # dimension -> value -> month -> contacts
    counts: dict[str, dict[str, dict[dt.date, int]]] = field(default_factory=dict)

    def total(self, month: dt.date | None = None) -> int:
        if month is not None:
            return self.contacts.get(month, 0)
        return sum(self.contacts.values())

    def total_seconds(self, month: dt.date | None = None) -> int:
        if month is not None:
            return self.seconds.get(month, 0)
        return sum(self.seconds.values())

    def count(self, dimension: str, value: str, month: dt.date | None = None) -> int:
        by_month = self.counts.get(dimension, {}).get(value, {})
        if month is not None:
            return by_month.get(month, 0)
        return sum(by_month.values())

    def values(self, dimension: str) -> list[tuple[str, str]]:
        """(code, label) of a dimension: every known value in order, then any
        value found in the counts that the choices do not know (by code)."""
        known = BY_CODE[dimension].choices if dimension in BY_CODE else ()
        codes = {code for code, _ in known}
        extra = sorted(set(self.counts.get(dimension, {})) - codes)
        return [
            *known,
            *((code, EXTRA_LABELS.get((dimension, code), code)) for code in extra),
        ]

    def average_seconds(self, month: dt.date | None = None) -> float | None:
        contacts = self.total(month)
        if contacts <= 0:
            return None
        return self.total_seconds(month) / contacts


def monthly_figures(*, access: Access, first: dt.date, last: dt.date) -> MonthlyFigures:
    """The counts from ``first`` to ``last`` (months), in one query."""
    access.require(Permission.HELPLINE_STATS_VIEW)
    figures = MonthlyFigures(months=months_between(first, last))
    counts: dict[str, dict[str, dict[dt.date, int]]] = defaultdict(dict)
    rows = (
        MonthlyCount.objects.filter(month__gte=first_of(first), month__lte=last)
        .order_by()
        .values_list("month", "dimension", "value", "contacts", "handling_seconds")
    )
    for month, dimension, value, contacts, seconds in rows:
        if dimension == ALL:
            figures.contacts[month] = contacts
            figures.seconds[month] = seconds
        else:
            counts[dimension].setdefault(value, {})[month] = contacts
    figures.counts = dict(counts)
    return figures


# --- the page ---------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # the bar's length, relative to the others
    shown: str  # the figure as the bar's end label shows it


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: list[str]
    total: str


@dataclass(frozen=True)
class StatsTable:
    code: str
    title: str
    heading: str
    months: list[str]
    rows: list[TableRow]
    bars: list[Bar]
    note: str = ""


def percent(part: int, whole: int) -> str:
    if whole <= 0:
        return "-"
    share = 100 * part / whole
    return f"{share:.1f}%".replace(".0%", "%")


def overview_table(figures: MonthlyFigures) -> StatsTable:
    """Contacts and average handling time per month, and over the range."""
    rows = []
    for month in figures.months:
        average = figures.average_seconds(month)
        rows.append(
            TableRow(
                month_label(month),
                [f"{figures.total(month):,}", _average(average)],
                "",
            )
        )
    bars = [
        Bar(short_month(m), figures.total(m), f"{figures.total(m):,}")
        for m in figures.months
    ]
    return StatsTable(
        "all",
        "Contacts per month",
        "Month",
        ["Contacts", "Average handling time (minutes:seconds)"],
        rows,
        bars,
    )


def _average(seconds: float | None) -> str:
    return "-" if seconds is None else minutes_seconds(seconds)


def dimension_table(figures: MonthlyFigures, code: str) -> StatsTable:
    """One value a row, one month a column, and the range's total."""
    dimension = BY_CODE[code]
    rows, bars = [], []
    whole = figures.total()
    for value, label in figures.values(code):
        total = figures.count(code, value)
        rows.append(
            TableRow(
                label,
                [f"{figures.count(code, value, m):,}" for m in figures.months],
                f"{total:,}",
            )
        )
        bars.append(Bar(label, total, f"{total:,} ({percent(total, whole)})"))
    note = (
        ""
        if dimension.single
        else "A contact may count under several rows, so the rows do not add up "
        "to the number of contacts."
    )
    return StatsTable(
        code,
        dimension.title,
        dimension.heading,
        [short_month(m) for m in figures.months],
        rows,
        bars,
        note,
    )


def rate_table(figures: MonthlyFigures) -> StatsTable:
    """The share of each month's contacts that made each referral (and, once
    counted, that were handed over with consent)."""
    rows, bars = [], []
    whole = figures.total()
    for value, label in figures.values("referral"):
        total = figures.count("referral", value)
        rows.append(
            TableRow(
                label,
                [
                    percent(figures.count("referral", value, m), figures.total(m))
                    for m in figures.months
                ],
                percent(total, whole),
            )
        )
        share = 100 * total / whole if whole else 0.0
        bars.append(Bar(label, share, percent(total, whole)))
    return StatsTable(
        "referral_rate",
        "Referral rates",
        "Referred to (share of the month's contacts)",
        [short_month(m) for m in figures.months],
        rows,
        bars,
        "A contact may make several referrals, so the rates do not add up to 100%.",
    )


@dataclass(frozen=True)
class StatsPage:
    first: dt.date
    last: dt.date
    contacts: str
    average: str
    overview: StatsTable
    rates: StatsTable
    tables: list[StatsTable]


def stats_page(*, access: Access, first: dt.date, last: dt.date) -> StatsPage:
    """Everything the statistics page shows, from one query."""
    figures = monthly_figures(access=access, first=first, last=last)
    return StatsPage(
        first=first,
        last=last,
        contacts=f"{figures.total():,}",
        average=_average(figures.average_seconds()),
        overview=overview_table(figures),
        rates=rate_table(figures),
        tables=[dimension_table(figures, code) for code in PAGE_DIMENSIONS],
    )


# --- the CSV export ---------------------------------------------------------

CSV_HEAD = (
    "Month",
    "Dimension",
    "Value code",
    "Value",
    "Contacts",
    "Average handling time (minutes:seconds)",
)
ALL_LABEL = "All contacts"


@dataclass(frozen=True)
class CsvRow:
    month: dt.date
    dimension: str
    code: str
    label: str
    contacts: str
    average: str = ""

    def cells(self) -> list[str]:
        return [
            f"{self.month:%Y-%m}",
            self.dimension,
            self.code,
            self.label,
            self.contacts,
            self.average,
        ]


def hidden(count: int, threshold: int) -> bool:
    """Whether a count is small enough to identify someone (1 to N - 1; a
    negative count, which should never happen, is hidden too)."""
    return count != 0 and count < threshold


def suppress(counts: Sequence[int], threshold: int) -> list[bool]:
    """Which of one month-and-dimension's counts to hide (module docs)."""
    out = [hidden(n, threshold) for n in counts]
    if sum(out) == 1:
        shown = [(n, i) for i, n in enumerate(counts) if not out[i] and n > 0]
        if shown:
            out[min(shown)[1]] = True
    return out


def suppressed_rows(figures: MonthlyFigures) -> Iterator[CsvRow]:
    """One row per month x dimension x value, small numbers suppressed."""
    threshold = small_number()
    small = f"<{threshold}"
    for month in figures.months:
        total = figures.total(month)
        average = figures.average_seconds(month)
        yield CsvRow(
            month,
            ALL,
            ALL,
            ALL_LABEL,
            small if hidden(total, threshold) else str(total),
            minutes_seconds(average)
            if average is not None and total >= threshold
            else "",
        )
        for code in BY_CODE:
            values = figures.values(code)
            counts = [figures.count(code, value, month) for value, _ in values]
            for (value, label), n, hide in zip(
                values, counts, suppress(counts, threshold), strict=True
            ):
                yield CsvRow(month, code, value, label, small if hide else str(n))


def export_rows(*, access: Access, first: dt.date, last: dt.date) -> Iterable[CsvRow]:
    """The CSV export's rows (suppressed), from one query."""
    return list(suppressed_rows(monthly_figures(access=access, first=first, last=last)))
