"""Which conditions an incident may breach: a pure function, no database.

An incident says how it happened (channels, ``masip.people.models.Channel``)
and what was done (behaviours, ``masip.incidents.models.Behaviour``). Each
prohibition in force at the time it happened is matched against those, and
each match comes with a reason in plain English ("A text message while 'No
contact, direct or indirect' is in force"). Positive requirements (attend an
assessment, report, live at an address) are never suggested from an incident:
missing one is recorded as a breach on the order directly.

A condition is in force at a moment when its order is in force that day
(``Order.in_force_on``) and the condition applies that day
(``OrderCondition.applies_on``); days are London days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from masip.orders.models import ConditionKind, OrderCondition

LONDON = ZoneInfo("Europe/London")

# What each channel or behaviour was, as the start of a reason.
CHANNEL_PHRASES = {
    "in_person": "Contact in person",
    "phone": "A phone call",
    "text": "A text message",
    "email": "An email",
    "social_media": "Contact on social media",
    "letter": "A letter",
    "gifts": "Gifts or deliveries",
    "third_party": "Contact through a third party",
    "tracking": "A tracking device",
    "spyware": "Spyware or access to accounts",
}
BEHAVIOUR_PHRASES = {
    "contacting": "Contacting or trying to contact",
    "following": "Following",
    "loitering": "Loitering",
    "watching": "Watching or spying",
    "publishing": "Publishing material about the victim",
    "monitoring": "Monitoring communications",
}

DIRECT_CONTACT_CHANNELS = (
    "in_person",
    "phone",
    "text",
    "email",
    "social_media",
    "letter",
    "gifts",
)
PRESENCE_CHANNELS = ("in_person",)
PRESENCE_BEHAVIOURS = ("following", "loitering", "watching")


@dataclass(frozen=True)
class Suggestion:
    condition: OrderCondition
    reason: str


def _causes(
    condition: OrderCondition, channels: Sequence[str], behaviours: Sequence[str]
) -> list[str]:
    """The phrases for what in the incident may breach ``condition``."""
    kind = condition.kind
    if kind == ConditionKind.NO_CONTACT:
        wanted = DIRECT_CONTACT_CHANNELS + (
            ("third_party",) if condition.includes_indirect else ()
        )
        return _pick(channels, wanted, CHANNEL_PHRASES) + _pick(
            behaviours, ("contacting",), BEHAVIOUR_PHRASES
        )
    if kind == ConditionKind.NO_THIRD_PARTY_CONTACT:
        return _pick(channels, ("third_party",), CHANNEL_PHRASES)
    if kind in (ConditionKind.EXCLUSION_ZONE, ConditionKind.NO_APPROACH):
        return _pick(channels, PRESENCE_CHANNELS, CHANNEL_PHRASES) + _pick(
            behaviours, PRESENCE_BEHAVIOURS, BEHAVIOUR_PHRASES
        )
    if kind == ConditionKind.NO_POSTING:
        if "publishing" not in behaviours:
            return []
        if "social_media" in channels:
            return ["Publishing material about the victim on social media"]
        return [BEHAVIOUR_PHRASES["publishing"]]
    if kind == ConditionKind.NO_MONITORING:
        return _pick(channels, ("tracking", "spyware"), CHANNEL_PHRASES) + _pick(
            behaviours, ("monitoring",), BEHAVIOUR_PHRASES
        )
    return []  # positive requirements, curfews and others: not from incidents


def _pick(
    present: Sequence[str], wanted: Sequence[str], phrases: dict[str, str]
) -> list[str]:
    return [phrases[code] for code in wanted if code in present]


def _join(phrases: list[str]) -> str:
    first, rest = phrases[0], [p[0].lower() + p[1:] for p in phrases[1:]]
    if not rest:
        return first
    return ", ".join([first, *rest[:-1]]) + " and " + rest[-1]


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LONDON).date()


def suggest_breaches(
    *,
    channels: Iterable[str],
    behaviours: Iterable[str],
    occurred_at: dt.datetime,
    conditions: Iterable[OrderCondition],
) -> list[Suggestion]:
    """The conditions in force at ``occurred_at`` that the incident may
    breach, each with its reason, in the order given."""
    channel_codes = list(channels)
    behaviour_codes = list(behaviours)
    day = local_day(occurred_at)
    found = []
    for condition in conditions:
        if not condition.in_force_on(day):
            continue
        causes = _causes(condition, channel_codes, behaviour_codes)
        if causes:
            found.append(
                Suggestion(
                    condition=condition,
                    reason=f"{_join(causes)} while '{condition.label}' is in force",
                )
            )
    return found
