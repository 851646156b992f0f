"""The figures a course-of-conduct analysis returns.

Every figure carries ``explanation``: one or two plain sentences that a
police officer, prosecutor or panel member can read without the numbers
beside them. Times are aware datetimes in the victim's time zone; dates are
the victim's local dates. Entry numbers are positions in the timeline
(``Timeline.entry(i)`` shows one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from masip.evidence.analysis.lexicon import Match


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True, slots=True)
class WeekCount:
    start: date
    end: date  # the last day of the week that lies in the period
    days: int  # 7, or fewer for a last, part week
    count: int


@dataclass(frozen=True, slots=True)
class DailyFigures:
    series: list[DayCount]
    days_in_period: int
    days_with_contact: int
    maximum: int
    busiest_days: list[date]
    median: float  # over every day of the period, days without contact too
    explanation: str


@dataclass(frozen=True, slots=True)
class WeeklyFigures:
    series: list[WeekCount]
    maximum: int
    busiest_week: date | None  # its first day
    median: float  # over the complete weeks
    explanation: str


@dataclass(frozen=True, slots=True)
class ChannelTotals:
    totals: dict[str, int]  # channel -> contacts, most first
    explanation: str


@dataclass(frozen=True, slots=True)
class NightContact:
    count: int
    total: int
    share: float  # 0 to 1
    starts: int  # hour, 22
    ends: int  # hour, 7
    explanation: str


@dataclass(frozen=True, slots=True)
class ContactRun:
    days: int
    first: date | None
    last: date | None
    explanation: str


@dataclass(frozen=True, slots=True)
class ReplyBalance:
    perpetrator: int  # contacts from the perpetrator
    victim: int  # messages and calls from the victim
    ratio: float | None  # perpetrator per victim item; None when the victim sent none
    longest_unanswered: int  # contacts in a row with nothing from the victim
    unanswered_from: datetime | None
    unanswered_to: datetime | None
    explanation: str


@dataclass(frozen=True, slots=True)
class StopRequest:
    index: int  # timeline entry
    occurred_at: datetime
    text: str
    matches: list[Match]
    is_block: bool  # says the perpetrator was blocked
    contacts_after: int  # perpetrator contacts after this request

    @property
    def words(self) -> list[str]:
        return [m.words for m in self.matches]


@dataclass(frozen=True, slots=True)
class AfterStop:
    requests: list[StopRequest]
    count: int  # perpetrator contacts after the first request
    first: datetime | None
    last: datetime | None
    entries: list[int]  # timeline entries of those contacts
    explanation: str


@dataclass(frozen=True, slots=True)
class NewIdentity:
    sender: str
    first_seen: datetime
    contacts: int
    index: int  # timeline entry of the first contact


@dataclass(frozen=True, slots=True)
class NewIdentities:
    blocked_at: datetime | None
    source: str  # "statement" (the victim's message), "given" or "" (no block)
    identities: list[NewIdentity]
    explanation: str


@dataclass(frozen=True, slots=True)
class Escalation:
    weeks_fitted: int  # complete weeks the straight line is fitted to
    slope_per_week: float | None  # change in weekly contacts per week
    fitted_start: float | None
    fitted_end: float | None
    trend: str  # "rising", "falling", "level" or "unknown"
    first_physical_approach: datetime | None
    first_threat_incident: datetime | None
    first_threat_message: datetime | None  # flagged for review, not proven
    explanation: str


@dataclass(frozen=True, slots=True)
class LanguageFlag:
    """A perpetrator message holding words on the threat and abuse list."""

    index: int
    occurred_at: datetime
    text: str
    matches: list[Match]

    @property
    def categories(self) -> list[str]:
        return sorted({str(m.phrase.category) for m in self.matches})


@dataclass(frozen=True, slots=True)
class LanguageFlags:
    flags: list[LanguageFlag]
    explanation: str
    status: str = "flagged for review"


@dataclass(frozen=True, slots=True)
class ChartData:
    daily: list[DayCount]
    # 7 rows (Monday first) of 24 hours: contacts in that local hour.
    hour_by_weekday: list[list[int]]


@dataclass(frozen=True, slots=True)
class ConductReport:
    timezone: str
    period_start: date | None
    period_end: date | None
    daily: DailyFigures
    weekly: WeeklyFigures
    channels: ChannelTotals
    night: NightContact
    longest_run: ContactRun
    replies: ReplyBalance
    after_stop: AfterStop
    new_identities: NewIdentities
    escalation: Escalation
    language: LanguageFlags
    charts: ChartData
    notes: list[str] = field(default_factory=list)

    def explanations(self) -> list[str]:
        """Every figure's sentences, in the order a report reads them."""
        return [
            self.daily.explanation,
            self.weekly.explanation,
            self.channels.explanation,
            self.night.explanation,
            self.longest_run.explanation,
            self.replies.explanation,
            self.after_stop.explanation,
            self.new_identities.explanation,
            self.escalation.explanation,
            self.language.explanation,
            *self.notes,
        ]
