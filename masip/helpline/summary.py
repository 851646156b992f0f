"""A contact as read-only rows for its summary page (and for anyone who
shows a contact's answers, such as the handover page)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from masip.core.templatetags.govuk import govuk_date
from masip.helpline import areas
from masip.helpline import fields as f
from masip.helpline.models import (
    CallerType,
    Contact,
    ContactChannel,
    DigitalIndicator,
    DurationBand,
    FollowUp,
    ReferralMade,
    Relationship,
)

NOT_RECORDED = "Not recorded"


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    # Several lines (a list), or long sealed text kept as written.
    lines: tuple[str, ...] = ()
    text: bool = False


@dataclass(frozen=True)
class Section:
    title: str
    rows: tuple[Row, ...]


def _label(choices: list[tuple[str, str]], value: str) -> str:
    return str(dict(choices).get(value, value)) if value else NOT_RECORDED


def _labels(choices: list[tuple[str, str]], values: list[str]) -> tuple[str, ...]:
    names = dict(choices)
    return tuple(str(names.get(v, v)) for v in values)


def _minutes(seconds: int | None) -> str:
    if seconds is None:
        return NOT_RECORDED
    return f"{seconds // 60}:{seconds % 60:02d}"


def _four(value: bool | None) -> str:
    if value is None:
        return "Not sure or not asked"
    return "Yes" if value else "No"


def contact_summary(contact: Contact) -> list[Section]:
    instrument = f.instrument_of(contact)
    area = areas.BY_CODE.get(contact.force_area)
    answers = contact.risk_answers if isinstance(contact.risk_answers, dict) else {}
    risk_names = dict(f.RISK_CHOICES)
    risk_rows = tuple(
        Row(item.text, str(risk_names.get(str(answers[item.id]), answers[item.id])))
        for item in instrument.items
        if item.id in answers
    )
    advice = tuple(f"{t.get_area_display()}: {t.title}" for t in contact.advice.all())
    end = timezone.localtime(contact.ended_at) if contact.ended_at else None
    return [
        Section(
            "The contact",
            (
                Row("Started", govuk_date(contact.started_at)),
                Row("Finished", govuk_date(end) if end else "Not finished"),
                Row("Handling time", _minutes(contact.handling_seconds)),
                Row("Adviser", contact.adviser.full_name),
                Row("Channel", _label(ContactChannel.choices, contact.channel)),
                Row(
                    "Who got in touch", _label(CallerType.choices, contact.caller_type)
                ),
            ),
        ),
        Section(
            "Where and who",
            (
                Row("Police force area", area.name if area else NOT_RECORDED),
                Row(
                    "Relationship",
                    _label(Relationship.choices, contact.relationship),
                ),
                Row(
                    "How long it has gone on",
                    _label(DurationBand.choices, contact.duration_band),
                ),
            ),
        ),
        Section(
            "What is happening",
            (
                Row(
                    "Behaviours",
                    "" if contact.behaviours else NOT_RECORDED,
                    _labels(f.BEHAVIOUR_CHOICES, contact.behaviours),
                ),
                *(
                    Row(letter, _four(getattr(contact, name)))
                    for name, letter, _ in f.FOUR
                ),
                Row(
                    "Digital and tracking signs",
                    "" if contact.digital_indicators else "None recorded",
                    _labels(DigitalIndicator.choices, contact.digital_indicators),
                ),
            ),
        ),
        Section(
            "Risk screen",
            (
                Row(
                    "Level the answers give",
                    contact.risk_level.capitalize()
                    if contact.risk_level
                    else "Not screened",
                ),
                *risk_rows,
            ),
        ),
        Section(
            "Advice and referrals",
            (
                Row("Advice given", "" if advice else "None recorded", advice),
                Row(
                    "Referrals made",
                    "" if contact.referrals_made else "None",
                    _labels(ReferralMade.choices, contact.referrals_made),
                ),
            ),
        ),
        Section(
            "Safeguarding and follow-up",
            (
                Row(
                    "Confidentiality overridden",
                    "Yes" if contact.safeguarding_override else "No",
                ),
                *(
                    (
                        Row(
                            "Decided by",
                            contact.safeguarding_decided_by.full_name
                            if contact.safeguarding_decided_by
                            else NOT_RECORDED,
                        ),
                        Row(
                            "Why",
                            contact.safeguarding_reason or NOT_RECORDED,
                            text=True,
                        ),
                    )
                    if contact.safeguarding_override
                    else ()
                ),
                Row("Follow-up", _label(FollowUp.choices, contact.follow_up)),
                *(
                    (Row("Follow-up due", govuk_date(contact.follow_up_due_at)),)
                    if contact.follow_up_due_at
                    else ()
                ),
            ),
        ),
        Section(
            "In their words",
            (
                Row(
                    "The caller's account", contact.narrative or NOT_RECORDED, text=True
                ),
                Row("Adviser's notes", contact.notes or NOT_RECORDED, text=True),
            ),
        ),
    ]
