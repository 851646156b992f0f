"""Course-of-conduct figures from a timeline, in the victim's local time.

:func:`analyse` is the entry point. It reads a :class:`Timeline` column by
column: the local clock is worked out once for the perpetrator's contacts,
counts are taken with ``Counter`` over whole columns, and the phrase lists
scan only the messages they are meant for (stop requests in the victim's,
threats and abuse in the perpetrator's).

"Contact" means any entry from the perpetrator that is not a system line: a
message, a call (answered, missed or rejected), a media item or a message
they later deleted. "From the victim" is the same for the victim's side.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from statistics import median
from zoneinfo import ZoneInfo

from masip.evidence.analysis import wording as w
from masip.evidence.analysis.figures import (
    AfterStop,
    ChannelTotals,
    ChartData,
    ConductReport,
    ContactRun,
    DailyFigures,
    DayCount,
    Escalation,
    LanguageFlag,
    LanguageFlags,
    NewIdentities,
    NewIdentity,
    NightContact,
    ReplyBalance,
    StopRequest,
    WeekCount,
    WeeklyFigures,
)
from masip.evidence.analysis.lexicon import (
    LANGUAGE_LEXICON,
    STOP_LEXICON,
    Category,
    Lexicon,
)
from masip.evidence.analysis.localtime import (
    day_date,
    hourly_counts,
    local_datetime,
    local_day,
)
from masip.evidence.analysis.timeline import (
    PERPETRATOR,
    VICTIM,
    IncidentFact,
    Timeline,
)

# 1 January 1970 was a Thursday: three days after a Monday.
_MONDAY_HOURS = 3 * 24
CHANNEL_WORDS = {
    "whatsapp": "WhatsApp",
    "sms": "text message",
    "mms": "picture message",
    "call": "phone call",
    "email": "email",
    "other": "other",
}
# A trend is "rising" or "falling" only when the fitted line moves by more
# than this share of where it started, and by at least one contact a week.
TREND_CHANGE = 0.2
MIN_TREND_WEEKS = 3


class _Context:
    """What every figure needs: the timeline, the zone, the local clock."""

    def __init__(self, timeline: Timeline, tz: ZoneInfo) -> None:
        self.timeline = timeline
        self.tz = tz
        self.perpetrator = timeline.indices(PERPETRATOR)
        self.victim = timeline.indices(VICTIM)
        times = timeline.times
        self.perpetrator_times = list(map(times.__getitem__, self.perpetrator))
        # Perpetrator contacts per local hour number (see localtime).
        self.hours = hourly_counts(self.perpetrator_times, tz)
        if times:
            self.first_day = local_day(times[0], tz)
            self.last_day = local_day(times[-1], tz)
        else:
            self.first_day = self.last_day = 0

    @property
    def empty(self) -> bool:
        return not self.timeline.times

    def when(self, index: int) -> datetime:
        return local_datetime(self.timeline.times[index], self.tz)

    def contacts_after(self, index: int) -> int:
        return len(self.perpetrator) - bisect_right(self.perpetrator, index)


def analyse(
    timeline: Timeline,
    *,
    tz: ZoneInfo,
    incidents: Sequence[IncidentFact] = (),
    blocked_at: datetime | None = None,
    night_starts: int = 22,
    night_ends: int = 7,
    stop_lexicon: Lexicon = STOP_LEXICON,
    language_lexicon: Lexicon = LANGUAGE_LEXICON,
) -> ConductReport:
    """Every course-of-conduct figure for one timeline.

    ``tz`` is the victim's time zone: days, weeks and hours are theirs.
    ``blocked_at``, when given, is when the victim blocked the perpetrator;
    otherwise the first message in which the victim says so is used.
    """
    context = _Context(timeline, tz)
    days: Counter[int] = Counter()
    week_hours: Counter[int] = Counter()
    for hour, n in context.hours.items():
        days[hour // 24] += n
        week_hours[(hour + _MONDAY_HOURS) % 168] += n
    matrix = [[week_hours.get(d * 24 + h, 0) for h in range(24)] for d in range(7)]
    daily = daily_figures(context, days)
    weekly = weekly_figures(context, days)
    requests = stop_requests(context, stop_lexicon)
    flags = language_flags(context, language_lexicon)
    return ConductReport(
        timezone=str(tz.key),
        period_start=None if context.empty else day_date(context.first_day),
        period_end=None if context.empty else day_date(context.last_day),
        daily=daily,
        weekly=weekly,
        channels=channel_totals(context),
        night=night_contact(context, matrix, night_starts, night_ends),
        longest_run=longest_run(days),
        replies=reply_balance(context),
        after_stop=after_stop(context, requests),
        new_identities=new_identities(context, requests, blocked_at),
        escalation=escalation(weekly, incidents, flags, tz),
        language=LanguageFlags(flags, _language_sentence(flags)),
        charts=ChartData(daily.series, matrix),
    )


def daily_figures(context: _Context, days: Counter[int]) -> DailyFigures:
    if context.empty:
        return DailyFigures([], 0, 0, 0, [], 0, "The timeline is empty.")
    span = range(context.first_day, context.last_day + 1)
    series = [DayCount(day_date(d), days.get(d, 0)) for d in span]
    counts = [c.count for c in series]
    top = max(counts)
    busiest = [c.day for c in series if c.count == top] if top else []
    with_contact = sum(1 for c in counts if c)
    period = w.span(series[0].day, series[-1].day)
    middle = median(counts)
    if not with_contact:
        text = f"The perpetrator made no contact between {period}."
    else:
        text = (
            f"On {w.number(with_contact)} of the {w.count(len(series), 'day')} "
            f"between {period} the perpetrator made contact; "
            + _busiest(busiest, top)
            + f" Counting every day, with contact or not, the median was "
            f"{_median(middle)} a day."
        )
    return DailyFigures(series, len(series), with_contact, top, busiest, middle, text)


def _busiest(days: list[date], top: int) -> str:
    first = w.day(days[0])
    times = w.count(top, "time")
    if len(days) == 1:
        return f"on the busiest day, {first}, {times}."
    others = w.count(len(days) - 1, "other day")
    return f"on the busiest days ({first} and {others}), {times} each."


def _median(x: float) -> str:
    return f"{x:,.0f}" if x == int(x) else f"{x:,.1f}"


def _weeks(context: _Context, days: Counter[int]) -> list[WeekCount]:
    weeks = []
    for start in range(context.first_day, context.last_day + 1, 7):
        end = min(start + 6, context.last_day)
        count = sum(days.get(d, 0) for d in range(start, end + 1))
        weeks.append(WeekCount(day_date(start), day_date(end), end - start + 1, count))
    return weeks


def weekly_figures(context: _Context, days: Counter[int]) -> WeeklyFigures:
    """Weeks of seven days counted from the first day of the timeline."""
    if context.empty:
        return WeeklyFigures([], 0, None, 0, "The timeline is empty.")
    weeks = _weeks(context, days)
    complete = [wk.count for wk in weeks if wk.days == 7] or [weeks[0].count]
    top = max(wk.count for wk in weeks)
    busiest = next(wk.start for wk in weeks if wk.count == top)
    middle = median(complete)
    part = weeks[-1].days < 7
    text = (
        f"Counted in weeks of seven days from {w.day(weeks[0].start)}, the busiest "
        f"week (from {w.day(busiest)}) had {w.count(top, 'contact')}; the median "
        f"was {_median(middle)} a week"
        + (
            f" over the {w.count(len(complete), 'complete week')}."
            if part and len(weeks) > 1
            else "."
        )
    )
    return WeeklyFigures(weeks, top, busiest if top else None, middle, text)


def channel_totals(context: _Context) -> ChannelTotals:
    channels = context.timeline.channels
    totals = dict(Counter(map(channels.__getitem__, context.perpetrator)).most_common())
    total = len(context.perpetrator)
    if not total:
        return ChannelTotals(totals, "The perpetrator made no contact on any channel.")
    parts = [
        f"{CHANNEL_WORDS.get(name, name)} {w.number(n)} ({w.percent(n, total)})"
        for name, n in totals.items()
    ]
    text = f"Contact from the perpetrator by channel: {w.listing(parts)}."
    return ChannelTotals(totals, text)


def night_contact(
    context: _Context, matrix: list[list[int]], starts: int, ends: int
) -> NightContact:
    night_hours = [h for h in range(24) if h >= starts or h < ends]
    count = sum(row[h] for row in matrix for h in night_hours)
    total = len(context.perpetrator)
    share = count / total if total else 0.0
    text = (
        f"{w.number(count)} of the perpetrator's {w.count(total, 'contact')} "
        f"({w.percent(count, total)}) were made between {starts:02d}:00 and "
        f"{ends:02d}:00, the victim's local time ({context.tz.key})."
    )
    return NightContact(count, total, share, starts, ends, text)


def longest_run(days: Counter[int]) -> ContactRun:
    best = (0, 0, 0)  # length, first, last
    run_start = previous = None
    for d in sorted(days):
        if previous is None or d != previous + 1:
            run_start = d
        previous = d
        assert run_start is not None
        if d - run_start + 1 > best[0]:
            best = (d - run_start + 1, run_start, d)
    if not best[0]:
        return ContactRun(0, None, None, "There was no day with contact.")
    first, last = day_date(best[1]), day_date(best[2])
    if best[0] == 1:
        text = (
            "There were no two days in a row with contact; the first day with "
            f"contact was {w.day(first)}."
        )
    else:
        text = (
            f"The longest run of consecutive days with contact was {best[0]} days, "
            f"from {w.day(first, year=first.year != last.year)} to {w.day(last)}."
        )
    return ContactRun(best[0], first, last, text)


def _unanswered(context: _Context) -> tuple[int, int | None, int | None]:
    """The longest run of perpetrator contacts with nothing from the victim
    between them: (contacts, first entry, last entry)."""
    both = sorted(context.perpetrator + context.victim)  # two sorted runs: a merge
    sides = "".join(map(context.timeline.roles.__getitem__, both))
    runs = sides.split(VICTIM)
    lengths = list(map(len, runs))
    longest = max(lengths, default=0)
    if not longest:
        return 0, None, None
    k = lengths.index(longest)
    start = sum(lengths[:k]) + k  # each earlier run is followed by one victim item
    return longest, both[start], both[start + longest - 1]


def reply_balance(context: _Context) -> ReplyBalance:
    ours, theirs = len(context.perpetrator), len(context.victim)
    ratio = ours / theirs if theirs else None
    longest, first, last = _unanswered(context)
    start = context.when(first) if first is not None else None
    end = context.when(last) if last is not None else None
    if not ours:
        text = "The perpetrator made no contact."
    else:
        if ratio is None:
            balance = "the victim sent nothing back."
        else:
            balance = (
                f"the victim sent {w.number(theirs)} (about {ratio:,.0f} from the "
                f"perpetrator for each one from the victim)."
                if ratio >= 1.5
                else f"the victim sent {w.number(theirs)}."
            )
        text = f"The perpetrator made {w.count(ours, 'contact')}; {balance}"
        if start is not None and end is not None and longest > 1:
            text += (
                f" The longest run with nothing from the victim in between was "
                f"{w.count(longest, 'contact')}, from {w.moment(start)} "
                f"to {w.moment(end)}."
            )
    return ReplyBalance(ours, theirs, ratio, longest, start, end, text)


def stop_requests(context: _Context, lexicon: Lexicon) -> list[StopRequest]:
    """The victim's messages that read as a request to stop, oldest first."""
    timeline = context.timeline
    texts = list(map(timeline.texts.__getitem__, context.victim))
    requests = []
    for position, matches in lexicon.scan(texts):
        index = context.victim[position]
        requests.append(
            StopRequest(
                index=index,
                occurred_at=context.when(index),
                text=timeline.texts[index],
                matches=matches,
                is_block=any(m.phrase.category == Category.BLOCK for m in matches),
                contacts_after=context.contacts_after(index),
            )
        )
    return requests


def after_stop(context: _Context, requests: list[StopRequest]) -> AfterStop:
    if not requests:
        text = (
            "No message from the victim matched the list of phrases asking for "
            "contact to stop. A request worded another way is not found, so "
            "the victim's messages should still be read."
        )
        return AfterStop([], 0, None, None, [], text)
    first = requests[0]
    later = context.perpetrator[bisect_right(context.perpetrator, first.index) :]
    start = context.when(later[0]) if later else None
    end = context.when(later[-1]) if later else None
    text = (
        f"The victim's messages read as a request to stop "
        f"{w.count(len(requests), 'time')}, the first on {w.moment(first.occurred_at)} "
        f"(\u201c{first.matches[0].words}\u201d). "
    )
    if start is None or end is None:
        text += "The perpetrator made no contact after that."
    else:
        text += (
            f"After that first request the perpetrator made contact "
            f"{w.count(len(later), 'more time')}, from {w.moment(start)} "
            f"to {w.moment(end)}."
        )
    text += " Each request was found by phrase and should be checked in context."
    return AfterStop(requests, len(later), start, end, later, text)


def _block_point(
    context: _Context, requests: list[StopRequest], blocked_at: datetime | None
) -> tuple[int, datetime | None, str]:
    """(first perpetrator position that counts as after the block, when, source)."""
    if blocked_at is not None:
        if blocked_at.tzinfo is None:
            raise ValueError("blocked_at must be a timezone-aware datetime.")
        start = bisect_left(context.perpetrator_times, blocked_at.timestamp())
        return start, blocked_at.astimezone(context.tz), "given"
    block = next((r for r in requests if r.is_block), None)
    if block is None:
        return len(context.perpetrator), None, ""
    start = bisect_right(context.perpetrator, block.index)
    return start, block.occurred_at, "statement"


def new_identities(
    context: _Context, requests: list[StopRequest], blocked_at: datetime | None
) -> NewIdentities:
    """Perpetrator-side senders first seen after the victim blocked them."""
    start, when, source = _block_point(context, requests, blocked_at)
    if when is None:
        text = (
            "No block date was given and no message from the victim says they "
            "blocked the perpetrator, so new numbers or accounts cannot be dated "
            "against a block."
        )
        return NewIdentities(None, "", [], text)
    senders = list(map(context.timeline.senders.__getitem__, context.perpetrator))
    counts = Counter(senders)
    # Reversed, so that each sender keeps its earliest position.
    first_seen = dict(
        zip(reversed(senders), range(len(senders) - 1, -1, -1), strict=True)
    )
    found = [
        NewIdentity(
            sender,
            context.when(context.perpetrator[position]),
            counts[sender],
            context.perpetrator[position],
        )
        for sender, position in sorted(first_seen.items(), key=lambda item: item[1])
        if position >= start
    ]
    said = (
        f"the victim said they had blocked the perpetrator ({w.moment(when)})"
        if source == "statement"
        else f"the block on {w.moment(when)}"
    )
    if not found:
        text = (
            f"No new number or account was seen on the perpetrator's side after {said}."
        )
    else:
        shown = [
            f"{i.sender} (first on {w.moment(i.first_seen)}, "
            f"{w.count(i.contacts, 'contact')})"
            for i in found[:5]
        ]
        more = f" and {w.count(len(found) - 5, 'other')}" if len(found) > 5 else ""
        text = (
            f"After {said}, "
            f"{w.count(len(found), 'new number or account', 'new numbers or accounts')}"
            " contacted the victim from the perpetrator's side: "
            f"{w.listing(shown)}{more}."
        )
    return NewIdentities(when, source, found, text)


def _fit(counts: list[int]) -> tuple[float, float]:
    """Least-squares straight line through (week number, count): (start, slope)."""
    n = len(counts)
    mean_x = (n - 1) / 2
    mean_y = sum(counts) / n
    spread = sum((x - mean_x) ** 2 for x in range(n))
    slope = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(counts)) / spread
    return mean_y - slope * mean_x, slope


def _trend(start: float, end: float) -> str:
    change = end - start
    if abs(change) < 1 or abs(change) <= TREND_CHANGE * max(abs(start), 1):
        return "level"
    return "rising" if change > 0 else "falling"


def escalation(
    weekly: WeeklyFigures,
    incidents: Sequence[IncidentFact],
    flags: list[LanguageFlag],
    tz: ZoneInfo,
) -> Escalation:
    complete = [wk for wk in weekly.series if wk.days == 7]
    sentences = []
    start = end = slope = None
    trend = "unknown"
    if len(complete) < MIN_TREND_WEEKS:
        sentences.append(
            f"There are {w.count(len(complete), 'complete week')} of contact, "
            "too few to describe a trend."
        )
    else:
        start, slope = _fit([wk.count for wk in complete])
        end = start + slope * (len(complete) - 1)
        trend = _trend(start, end)
        weeks = w.count(len(complete), "week")
        if trend == "level":
            level = w.about((start + end) / 2)
            said = f"Weekly contact stayed at about {level} a week over {weeks}"
        else:
            verb = "rose" if trend == "rising" else "fell"
            said = (
                f"Weekly contact {verb} from about {w.about(start)} "
                f"to about {w.about(end)} over {weeks}"
            )
        sentences.append(
            f"{said} (a straight line fitted to the weekly counts from "
            f"{w.day(complete[0].start)}"
            + (
                "; the last, part week is left out)."
                if len(complete) < len(weekly.series)
                else ")."
            )
        )
    ordered = sorted(incidents, key=lambda i: i.occurred_at)
    approach = next(
        (i.occurred_at.astimezone(tz) for i in ordered if i.is_physical_approach), None
    )
    threat = next((i.occurred_at.astimezone(tz) for i in ordered if i.threat), None)
    message = next(
        (
            f.occurred_at
            for f in flags
            if any(m.phrase.category == Category.THREAT for m in f.matches)
        ),
        None,
    )
    sentences.append(
        f"The first recorded physical approach was on {w.moment(approach)}."
        if approach
        else "No incident records a physical approach."
    )
    sentences.append(
        f"The first incident recorded with a threat was on {w.moment(threat)}."
        if threat
        else "No incident is recorded with a threat."
    )
    if message:
        sentences.append(
            "The first message flagged for possible threatening words (for "
            f"review) was sent on {w.moment(message)}."
        )
    return Escalation(
        len(complete),
        slope,
        start,
        end,
        trend,
        approach,
        threat,
        message,
        " ".join(sentences),
    )


def language_flags(context: _Context, lexicon: Lexicon) -> list[LanguageFlag]:
    timeline = context.timeline
    texts = list(map(timeline.texts.__getitem__, context.perpetrator))
    return [
        LanguageFlag(
            index=context.perpetrator[position],
            occurred_at=context.when(context.perpetrator[position]),
            text=texts[position],
            matches=matches,
        )
        for position, matches in lexicon.scan(texts)
    ]


def _language_sentence(flags: list[LanguageFlag]) -> str:
    if not flags:
        return (
            "No message from the perpetrator contains words on the list of "
            "threatening or abusive language. Threats worded another way are "
            "not found, so the messages should still be read."
        )
    return (
        f"{w.count(len(flags), 'message')} from the perpetrator "
        f"{'contains' if len(flags) == 1 else 'contain'} words on the list of "
        "threatening or abusive language and "
        f"{'is' if len(flags) == 1 else 'are'} flagged for someone to review. "
        "A flag is not a finding: the words may be innocent in context."
    )
