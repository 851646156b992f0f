"""The fields of a helpline contact as the live-call page sends them.

One ``Spec`` per answer on the page: the names of its inputs, how the posted
text becomes a value (``parse``, raising ``Invalid`` with a sentence for the
adviser), how to read the stored value (``read``) and write it (``write``).
The autosave service uses them field by field, so a bad answer is skipped
and reported while every other answer is saved; the page and the JSON
endpoint share them, so both check the same way.

Posted data is a mapping of input name to the list of its values (what
``QueryDict.lists()`` gives).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from masip.helpline import areas
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
from masip.incidents.models import Behaviour
from masip.risk.instruments import Instrument, registry

Raw = Mapping[str, Sequence[str]]

# The risk screen advisers ask (the risk app's instrument, by code).
SCREEN_CODE = "masip-stalking-screen"
# "None reported": the adviser asked and the caller described no behaviour.
BEHAVIOUR_NONE = "none"
BEHAVIOUR_CHOICES: list[tuple[str, str]] = [
    *Behaviour.choices,
    (BEHAVIOUR_NONE, "None reported"),
]
BEHAVIOUR_LABELS = dict(BEHAVIOUR_CHOICES)
# FOUR: yes, no or not sure (not sure is stored as "no answer").
FOUR = (
    (
        "four_fixated",
        "Fixated",
        "Does the caller describe the person as fixated on them?",
    ),
    ("four_obsessive", "Obsessive", "Does the behaviour sound obsessive?"),
    ("four_unwanted", "Unwanted", "Is the attention unwanted?"),
    ("four_repeated", "Repeated", "Has it happened more than once?"),
)
FOUR_CHOICES = [("yes", "Yes"), ("no", "No"), ("unsure", "Not sure")]
RISK_PREFIX = "risk_"
RISK_CHOICES = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]
TEXT_MAX = 20000
REASON_MAX = 5000
CALLER_WORD_MAX = 100
# A callback with a date but no time is due at the start of the working day.
DEFAULT_FOLLOW_UP_TIME = dt.time(9, 0)
# Text answers two windows can both add to: kept both ways on a clash.
MERGEABLE = frozenset({"narrative", "notes", "safeguarding_reason"})


class Invalid(ValueError):
    """A posted answer that cannot be saved; the message is for the adviser."""


@dataclass(frozen=True)
class Context:
    """What some answers are checked against (read once per save)."""

    instrument: Instrument
    advice_ids: frozenset[int] = frozenset()
    colleague_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Spec:
    name: str
    inputs: tuple[str, ...]
    parse: Callable[[Raw, Context], Any]
    read: Callable[[Contact], Any]
    write: Callable[[Contact, Any], None]
    # Saved as its own statement (many-to-many), not a column.
    relation: bool = False
    # Never stored as posted (a caller's reference word or number).
    secret: bool = False
    columns: tuple[str, ...] = field(default=())


def _one(raw: Raw, name: str) -> str:
    values = raw.get(name) or [""]
    return str(values[-1]).strip()


def _many(raw: Raw, name: str) -> list[str]:
    return [str(v).strip() for v in raw.get(name) or [] if str(v).strip()]


def _choice(name: str, choices: Sequence[tuple[str, str]], message: str) -> Spec:
    allowed = {value for value, _ in choices}

    def parse(raw: Raw, context: Context) -> str:
        value = _one(raw, name)
        if value and value not in allowed:
            raise Invalid(message)
        return value

    def write(contact: Contact, value: Any) -> None:
        setattr(contact, name, value)

    return Spec(
        name, (name,), parse, lambda c: getattr(c, name), write, columns=(name,)
    )


def _multi(name: str, choices: Sequence[tuple[str, str]], message: str) -> Spec:
    allowed = {value for value, _ in choices}

    def parse(raw: Raw, context: Context) -> list[str]:
        values = _many(raw, name)
        if any(v not in allowed for v in values):
            raise Invalid(message)
        return sorted(set(values))

    def write(contact: Contact, value: Any) -> None:
        setattr(contact, name, list(value))

    return Spec(
        name,
        (name,),
        parse,
        lambda c: sorted(set(getattr(c, name))),
        write,
        columns=(name,),
    )


def _behaviours() -> Spec:
    spec = _multi(
        "behaviours", BEHAVIOUR_CHOICES, "Select the behaviours from the list."
    )

    def parse(raw: Raw, context: Context) -> list[str]:
        values: list[str] = spec.parse(raw, context)
        if BEHAVIOUR_NONE in values and len(values) > 1:
            raise Invalid(
                "Select the behaviours reported, or 'None reported', not both."
            )
        return values

    return Spec(
        spec.name, spec.inputs, parse, spec.read, spec.write, columns=spec.columns
    )


def _four(name: str) -> Spec:
    meaning = {"": None, "unsure": None, "yes": True, "no": False}

    def parse(raw: Raw, context: Context) -> bool | None:
        value = _one(raw, name)
        if value not in meaning:
            raise Invalid("Select yes, no or not sure.")
        return meaning[value]

    def write(contact: Contact, value: Any) -> None:
        setattr(contact, name, value)

    return Spec(
        name, (name,), parse, lambda c: getattr(c, name), write, columns=(name,)
    )


def _risk(item_id: str) -> Spec:
    name = RISK_PREFIX + item_id
    allowed = {value for value, _ in RISK_CHOICES}

    def parse(raw: Raw, context: Context) -> str:
        value = _one(raw, name)
        if value and value not in allowed:
            raise Invalid("Select yes, no or not known.")
        return value

    def read(contact: Contact) -> str:
        answers = contact.risk_answers if isinstance(contact.risk_answers, dict) else {}
        return str(answers.get(item_id, ""))

    def write(contact: Contact, value: Any) -> None:
        answers = dict(contact.risk_answers or {})
        if value:
            answers[item_id] = value
        else:
            answers.pop(item_id, None)
        contact.risk_answers = answers

    return Spec(name, (name,), parse, read, write, columns=("risk_answers",))


def _text(name: str, limit: int, what: str) -> Spec:
    def parse(raw: Raw, context: Context) -> str:
        values = raw.get(name) or [""]
        value = str(values[-1]).replace("\r\n", "\n").strip()
        if len(value) > limit:
            raise Invalid(f"Keep {what} to {limit:,} characters.")
        if "\x00" in value:
            raise Invalid(f"Remove the unusual characters from {what}.")
        return value

    def write(contact: Contact, value: Any) -> None:
        setattr(contact, name, value)

    return Spec(
        name, (name,), parse, lambda c: getattr(c, name) or "", write, columns=(name,)
    )


def _advice() -> Spec:
    def parse(raw: Raw, context: Context) -> list[int]:
        try:
            ids = sorted({int(v) for v in _many(raw, "advice")})
        except ValueError as exc:
            raise Invalid("Select the advice from the list.") from exc
        if any(i not in context.advice_ids for i in ids):
            raise Invalid("Select the advice from the list.")
        return ids

    def read(contact: Contact) -> list[int]:
        return sorted(topic.pk for topic in contact.advice.all())

    def write(contact: Contact, value: Any) -> None:
        contact.advice.set(value)

    return Spec("advice", ("advice",), parse, read, write, relation=True)


def _override() -> Spec:
    def parse(raw: Raw, context: Context) -> bool:
        return _one(raw, "safeguarding_override").lower() in ("on", "yes", "true", "1")

    def write(contact: Contact, value: Any) -> None:
        contact.safeguarding_override = bool(value)

    return Spec(
        "safeguarding_override",
        ("safeguarding_override",),
        parse,
        lambda c: c.safeguarding_override,
        write,
        columns=("safeguarding_override",),
    )


def _decider() -> Spec:
    def parse(raw: Raw, context: Context) -> int | None:
        value = _one(raw, "safeguarding_decided_by")
        if not value:
            return None
        if not value.isdigit() or int(value) not in context.colleague_ids:
            raise Invalid("Select who decided from the helpline's staff.")
        return int(value)

    def write(contact: Contact, value: Any) -> None:
        contact.safeguarding_decided_by_id = value

    return Spec(
        "safeguarding_decided_by",
        ("safeguarding_decided_by",),
        parse,
        lambda c: c.safeguarding_decided_by_id,
        write,
        columns=("safeguarding_decided_by",),
    )


def _follow_up() -> Spec:
    spec = _choice("follow_up", FollowUp.choices, "Select a follow-up.")

    def parse(raw: Raw, context: Context) -> str:
        return str(spec.parse(raw, context) or FollowUp.NONE)

    return Spec(
        spec.name, spec.inputs, parse, spec.read, spec.write, columns=spec.columns
    )


FOLLOW_UP_INPUTS = (
    "follow_up_date_0",
    "follow_up_date_1",
    "follow_up_date_2",
    "follow_up_time",
)


def _follow_up_due() -> Spec:
    def parse(raw: Raw, context: Context) -> dt.datetime | None:
        day, month, year, time = (_one(raw, name) for name in FOLLOW_UP_INPUTS)
        if not (day or month or year or time):
            return None
        if not (day and month and year):
            raise Invalid("Enter the follow-up date, with a day, month and year.")
        try:
            date = dt.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise Invalid("Enter a real follow-up date.") from exc
        if not 2000 <= date.year <= 2200:
            raise Invalid("Enter a real follow-up date.")
        at = _time(time) if time else DEFAULT_FOLLOW_UP_TIME
        return timezone.make_aware(dt.datetime.combine(date, at))

    def read(contact: Contact) -> dt.datetime | None:
        return contact.follow_up_due_at

    def write(contact: Contact, value: Any) -> None:
        contact.follow_up_due_at = value

    return Spec(
        "follow_up_due",
        FOLLOW_UP_INPUTS,
        parse,
        read,
        write,
        columns=("follow_up_due_at",),
    )


def _time(text: str) -> dt.time:
    cleaned = text.strip().lower().replace(" ", "").replace(".", ":")
    for pattern in ("%H:%M", "%I:%M%p", "%I%p"):
        try:
            # Only the time of day is kept: no zone is involved.
            return dt.datetime.strptime(cleaned, pattern).time()  # noqa: DTZ007
        except ValueError:
            continue
    raise Invalid("Enter the follow-up time such as 14:30 or 2:30pm.")


def _caller(name: str, message: str) -> Spec:
    def parse(raw: Raw, context: Context) -> str:
        value = _one(raw, name)
        if len(value) > CALLER_WORD_MAX:
            raise Invalid(message)
        if name == "caller_phone" and value:
            digits = sum(ch.isdigit() for ch in value)
            if digits < 6 or any(ch not in "0123456789+ ()-" for ch in value):
                raise Invalid(message)
        return value

    def write(contact: Contact, value: Any) -> None:  # pragma: no cover - by service
        raise AssertionError("the caller's word or number is never stored")

    return Spec(name, (name,), parse, lambda c: "", write, secret=True)


def screen() -> Instrument:
    """The risk screen the helpline asks (its latest version)."""
    return registry().get(SCREEN_CODE)


def instrument_of(contact: Contact) -> Instrument:
    """The version of the screen a contact was started with."""
    code, _, version = contact.risk_instrument.rpartition("-v")
    if code == SCREEN_CODE and version.isdigit():
        try:
            return registry().get(code, int(version))
        except KeyError:
            pass
    return screen()


def specs(instrument: Instrument) -> list[Spec]:
    """Every answer on the page, in the order the adviser works."""
    return [
        _choice("channel", ContactChannel.choices, "Select how they contacted us."),
        _choice("caller_type", CallerType.choices, "Select who is calling."),
        _choice(
            "force_area", areas.CHOICES, "Select a police force area from the list."
        ),
        _choice(
            "relationship", Relationship.choices, "Select who the person stalking is."
        ),
        _choice(
            "duration_band", DurationBand.choices, "Select how long it has gone on."
        ),
        _behaviours(),
        *(_four(name) for name, _, _ in FOUR),
        _multi(
            "digital_indicators",
            DigitalIndicator.choices,
            "Select the digital signs from the list.",
        ),
        *(_risk(item.id) for item in instrument.items),
        _advice(),
        _multi(
            "referrals_made", ReferralMade.choices, "Select referrals from the list."
        ),
        _override(),
        _decider(),
        _text("safeguarding_reason", REASON_MAX, "the reason"),
        _follow_up(),
        _follow_up_due(),
        _text("narrative", TEXT_MAX, "the caller's account"),
        _text("notes", TEXT_MAX, "the notes"),
        _caller("caller_word", "Enter a reference word of up to 100 characters."),
        _caller("caller_phone", "Enter a phone number such as 07700 900123."),
    ]


def input_names(instrument: Instrument) -> list[str]:
    return [name for spec in specs(instrument) for name in spec.inputs]


def raw_values(contact: Contact, instrument: Instrument) -> dict[str, list[str]]:
    """The stored answers as the page's inputs hold them (for the page's
    script, after a save kept another window's answer)."""
    result: dict[str, list[str]] = {}
    for spec in specs(instrument):
        if spec.secret:
            continue
        value = spec.read(contact)
        if spec.name == "follow_up_due":
            result.update(_due_inputs(value))
        elif isinstance(value, bool):
            if spec.name.startswith("four_"):
                result[spec.name] = ["yes" if value else "no"]
            else:
                result[spec.name] = ["on"] if value else []
        elif value is None:
            result[spec.name] = []
        elif isinstance(value, list):
            result[spec.name] = [str(v) for v in value]
        else:
            result[spec.name] = [str(value)] if value != "" else []
    return result


def _due_inputs(value: dt.datetime | None) -> dict[str, list[str]]:
    if value is None:
        return {name: [""] for name in FOLLOW_UP_INPUTS}
    local = timezone.localtime(value)
    return {
        "follow_up_date_0": [str(local.day)],
        "follow_up_date_1": [str(local.month)],
        "follow_up_date_2": [str(local.year)],
        "follow_up_time": [local.strftime("%H:%M")],
    }
