"""The victim's safe-contact rules, checked before any contact is logged or
scheduled. Pure: no database, no clock; everything it needs is passed in.

``check_contact`` answers whether an agency may contact the victim by a
``ContactMethod`` at a moment, and if not, why, in plain sentences shown to
the practitioner. Refused when:

* the method's channel is one the victim has forbidden;
* the victim has listed safe channels and this one is not among them;
* it is a voicemail and the victim has asked for none (and, the safe default,
  whenever no rules are recorded at all);
* the moment, in UK time, falls on a day or outside the hours the rules
  allow (letters excepted: when a letter arrives is not when it is sent);
* it is a letter with no address, or to an address that is not the victim's
  current address marked safe to send letters to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db import models

from masip.people.models import WEEKDAY_NAMES, Channel, clock_display, weekdays_display

if TYPE_CHECKING:
    from masip.people.models import Address, SafeContactPreference

UK = ZoneInfo("Europe/London")


class ContactMethod(models.TextChoices):
    CALL = "call", "Phone call"
    TEXT = "text", "Text message"
    VOICEMAIL = "voicemail", "Voicemail message"
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    VISIT = "visit", "Visit in person"


METHOD_CHANNEL: dict[str, Channel] = {
    ContactMethod.CALL: Channel.PHONE,
    ContactMethod.VOICEMAIL: Channel.PHONE,
    ContactMethod.TEXT: Channel.TEXT,
    ContactMethod.LETTER: Channel.LETTER,
    ContactMethod.EMAIL: Channel.EMAIL,
    ContactMethod.VISIT: Channel.IN_PERSON,
}
# How each channel reads in "never to be contacted by ...".
CHANNEL_WORDS: dict[str, str] = {
    Channel.IN_PERSON: "visits in person",
    Channel.PHONE: "phone",
    Channel.TEXT: "text message",
    Channel.EMAIL: "email",
    Channel.SOCIAL_MEDIA: "social media",
    Channel.LETTER: "letter",
    Channel.GIFTS: "gifts or deliveries",
    Channel.THIRD_PARTY: "a third party",
    Channel.TRACKING: "tracking device",
    Channel.SPYWARE: "account access",
    Channel.ORDERS: "goods ordered in their name",
    Channel.VEXATIOUS: "complaints or court actions",
}
# Methods whose timing the sender controls; a letter arrives when it arrives.
TIMED_METHODS = frozenset(
    {
        ContactMethod.CALL,
        ContactMethod.VOICEMAIL,
        ContactMethod.TEXT,
        ContactMethod.EMAIL,
        ContactMethod.VISIT,
    }
)


class Rule:
    """Codes for the rule that refused a contact (for tests and the audit)."""

    FORBIDDEN_CHANNEL = "forbidden_channel"
    NOT_A_SAFE_CHANNEL = "not_a_safe_channel"
    NO_VOICEMAIL = "no_voicemail"
    NO_RULES_NO_VOICEMAIL = "no_rules_no_voicemail"
    DAY = "day"
    HOURS = "hours"
    NO_ADDRESS = "no_address"
    ADDRESS_NOT_SAFE = "address_not_safe"


@dataclass(frozen=True)
class Verdict:
    """Whether the contact is allowed; if not, why (``reasons`` for people,
    ``rules`` the codes of the rules that refused it)."""

    allowed: bool
    reasons: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


def channel_words(channel: str) -> str:
    return CHANNEL_WORDS.get(channel, str(channel).replace("_", " "))


def check_contact(
    preference: SafeContactPreference | None,
    *,
    method: str,
    at: dt.datetime,
    address: Address | None,
) -> Verdict:
    """Whether the victim may be contacted by ``method`` at ``at`` (an aware
    moment; its UK local time counts), and if not, every reason why."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("check_contact needs an aware datetime.")
    method = ContactMethod(method)
    refusals: list[tuple[str, str]] = []
    if preference is None:
        if method == ContactMethod.VOICEMAIL:
            refusals.append(
                (
                    Rule.NO_RULES_NO_VOICEMAIL,
                    "No safe-contact rules are recorded for the victim, so no "
                    "voicemail may be left until they are.",
                )
            )
    else:
        refusals += _channel_refusals(preference, method)
        if method in TIMED_METHODS:
            refusals += _time_refusals(preference, at.astimezone(UK))
    if method == ContactMethod.LETTER:
        refusals += _address_refusals(preference, address)
    return Verdict(
        allowed=not refusals,
        reasons=[reason for _, reason in refusals],
        rules=[rule for rule, _ in refusals],
    )


def _channel_refusals(
    preference: SafeContactPreference, method: ContactMethod
) -> list[tuple[str, str]]:
    channel = METHOD_CHANNEL[method]
    refusals = []
    if channel in preference.forbidden_channels:
        refusals.append(
            (
                Rule.FORBIDDEN_CHANNEL,
                "The victim has asked never to be contacted by "
                f"{channel_words(channel)}.",
            )
        )
    elif preference.safe_channels and channel not in preference.safe_channels:
        safe = [channel_words(c) for c in preference.safe_channels]
        refusals.append(
            (
                Rule.NOT_A_SAFE_CHANNEL,
                f"{channel_words(channel).capitalize()} is not one of the ways the "
                f"victim has said are safe. Safe ways: {_joined(safe)}.",
            )
        )
    if method == ContactMethod.VOICEMAIL and preference.no_voicemail:
        refusals.append(
            (
                Rule.NO_VOICEMAIL,
                "The victim has asked for no voicemail messages to be left.",
            )
        )
    return refusals


def _time_refusals(
    preference: SafeContactPreference, local: dt.datetime
) -> list[tuple[str, str]]:
    refusals = []
    days = [d for d in preference.contact_days if d in WEEKDAY_NAMES]
    if days and local.weekday() not in days:
        refusals.append(
            (
                Rule.DAY,
                f"The victim may be contacted only on {weekdays_display(days)}. "
                f"{local:%A %-d %B %Y} is a {WEEKDAY_NAMES[local.weekday()]}.",
            )
        )
    if not in_window(preference, local.time()):
        refusals.append(
            (
                Rule.HOURS,
                "The victim may be contacted only "
                f"{preference.contact_window_display.lower()} (UK time). "
                f"{clock_display(local.time().replace(second=0, microsecond=0))} "
                "is outside that.",
            )
        )
    return refusals


def in_window(preference: SafeContactPreference, moment: dt.time) -> bool:
    """Whether a UK local time falls in the window: from ``contact_from``
    (inclusive) until ``contact_until`` (exclusive); an empty end is open."""
    start, end = preference.contact_from, preference.contact_until
    if start is not None and moment < start:
        return False
    return end is None or moment < end


def _address_refusals(
    preference: SafeContactPreference | None, address: Address | None
) -> list[tuple[str, str]]:
    if address is None:
        return [
            (
                Rule.NO_ADDRESS,
                "A letter needs an address the victim has said is safe to send "
                "letters to. Choose one, or contact them another way.",
            )
        ]
    if (
        not address.is_current
        or not address.safe_to_write
        or (preference is not None and address.person_id != preference.person_id)
    ):
        return [
            (
                Rule.ADDRESS_NOT_SAFE,
                "Letters may go only to the victim's current address marked safe "
                "to send letters to. This address is not.",
            )
        ]
    return []


def _joined(words: list[str]) -> str:
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def rules_in_words(preference: SafeContactPreference | None) -> list[str]:
    """The victim's rules as sentences for a practitioner about to make contact
    (no sealed text: the victim's own words and code word are not included)."""
    if preference is None:
        return [
            "No safe-contact rules are recorded for the victim. Ask an agency "
            "that supports them before contacting them, and leave no voicemail."
        ]
    lines = []
    if preference.safe_channels:
        safe = [channel_words(c) for c in preference.safe_channels]
        lines.append(f"Safe ways to contact them: {_joined(safe)}.")
    if preference.forbidden_channels:
        never = [channel_words(c) for c in preference.forbidden_channels]
        lines.append(f"Never contact them by {_joined(never)}.")
    lines.append(
        f"Days: {preference.contact_days_display}. Hours (UK time): "
        f"{preference.contact_window_display}."
    )
    lines.append(
        "No voicemail messages."
        if preference.no_voicemail
        else "Voicemail messages may be left."
    )
    return lines


def warns_no_voicemail(preference: SafeContactPreference | None) -> bool:
    """Whether call screens must warn "No voicemail" (the safe default when
    no rules are recorded)."""
    return preference is None or preference.no_voicemail
