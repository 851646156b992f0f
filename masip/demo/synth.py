"""Shared pieces of the demo and the seeder: weights, generators, bulk writing.

Every generator takes a ``random.Random`` so the output depends only on its
seed, never on global state.
"""

import datetime as dt
import functools
import random
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

from masip.access.permissions import Compartment
from masip.access.roles import AgencyKind
from masip.accounts.models import Notification
from masip.cases.models import (
    Case,
    CaseAllocation,
    CaseNote,
    CaseParticipant,
    CaseShare,
    CaseStatus,
    ReferralSource,
    RiskLevel,
    RiskLevelChange,
    StatusChange,
)
from masip.core.references import ALPHABET
from masip.demo import data
from masip.demo.bulk import KeyAllocator, write_rows
from masip.incidents.models import Incident
from masip.people.models import (
    Address,
    Gender,
    Person,
    PersonAlias,
    PersonIdentifier,
    SafeContactPreference,
)
from masip.risk.models import Assessment, RiskSchedule

M = TypeVar("M", bound=models.Model)

# Parents before children: ``bulk_create`` fills in each parent's id, and a
# child holding the parent object picks the id up when it is written.
WRITE_ORDER: tuple[type[models.Model], ...] = (
    Person,
    Case,
    CaseParticipant,
    PersonAlias,
    PersonIdentifier,
    Address,
    SafeContactPreference,
    Incident,
    CaseAllocation,
    CaseShare,
    StatusChange,
    RiskLevelChange,
    CaseNote,
    Notification,
    Assessment,
    RiskSchedule,
)
BATCH_SIZE = 5000

SHARE_COMPARTMENTS: dict[str, list[str]] = {
    AgencyKind.POLICE: [Compartment.VICTIM_CONTACT.value],
    AgencyKind.PROBATION: [],
    AgencyKind.NHS_MENTAL_HEALTH: [Compartment.HEALTH.value],
    AgencyKind.ADVOCACY: [Compartment.VICTIM_CONTACT.value],
}
REFERRAL_SOURCE_FOR: dict[str, str] = {
    AgencyKind.POLICE: ReferralSource.POLICE,
    AgencyKind.PROBATION: ReferralSource.PROBATION,
    AgencyKind.NHS_MENTAL_HEALTH: ReferralSource.HEALTH,
    AgencyKind.ADVOCACY: ReferralSource.ADVOCACY,
}
STATUS_FLOW = (
    CaseStatus.REFERRED,
    CaseStatus.SCREENING,
    CaseStatus.ACCEPTED,
    CaseStatus.ACTIVE,
    CaseStatus.MONITORING,
)
# How long ago each status's cases were referred (days), low and high.
REFERRED_DAYS_AGO: dict[str, tuple[int, int]] = {
    CaseStatus.REFERRED: (1, 20),
    CaseStatus.SCREENING: (5, 40),
    CaseStatus.ACCEPTED: (20, 90),
    CaseStatus.ACTIVE: (30, 300),
    CaseStatus.MONITORING: (90, 400),
    # Some closed cases are years old, so the retention queue has work in it.
    CaseStatus.CLOSED: (120, 3200),
}
STATUS_WEIGHTS: tuple[tuple[str, int], ...] = (
    (CaseStatus.REFERRED, 10),
    (CaseStatus.SCREENING, 10),
    (CaseStatus.ACCEPTED, 10),
    (CaseStatus.ACTIVE, 40),
    (CaseStatus.MONITORING, 15),
    (CaseStatus.CLOSED, 15),
)
RISK_WEIGHTS: tuple[tuple[str, int], ...] = (
    (RiskLevel.STANDARD, 30),
    (RiskLevel.MEDIUM, 40),
    (RiskLevel.HIGH, 30),
)
LEAD_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("police", 65),
    ("probation", 10),
    ("mental-health", 5),
    ("advocacy", 20),
)
SITE_WEIGHTS = (4, 3, 3)  # London, Hampshire, Cheshire


# --- Generators -----------------------------------------------------------------


def weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def draw_reference(rng: random.Random, taken: set[str]) -> str:
    """A reference like ``STK-7K3M-9QXR`` drawn from ``rng``, not yet in ``taken``."""
    while True:
        body = "".join(rng.choices(ALPHABET, k=8))
        reference = f"STK-{body[:4]}-{body[4:]}"
        if reference not in taken:
            taken.add(reference)
            return reference


def public_uuid(rng: random.Random, salt: int = 0) -> uuid.UUID:
    """A version-4 UUID from ``rng``; a different ``salt`` per caller keeps two
    generators that happen to share a seed from making the same UUIDs."""
    return uuid.UUID(int=rng.getrandbits(128) ^ salt, version=4)


def draw_gender(rng: random.Random, female_share: float) -> str:
    roll = rng.random()
    if roll < female_share:
        return Gender.FEMALE
    return Gender.NON_BINARY if roll > 0.97 else Gender.MALE


def given_name(rng: random.Random, gender: str) -> str:
    pool: dict[str, tuple[str, ...]] = {
        Gender.FEMALE: data.GIVEN_FEMALE,
        Gender.MALE: data.GIVEN_MALE,
    }
    return rng.choice(pool.get(gender, data.GIVEN_NEUTRAL))


def family_name(rng: random.Random) -> str:
    return rng.choice(data.SURNAME_HEADS) + rng.choice(data.SURNAME_TAILS)


def phone_number(rng: random.Random) -> str:
    return f"07700 900{rng.randrange(1000):03d}"


def postcode(rng: random.Random) -> str:
    letters = "".join(rng.choices(data.POSTCODE_LETTERS, k=2))
    return f"ZZ99 {rng.randrange(10)}{letters}"


def street(rng: random.Random) -> str:
    return f"{rng.choice(data.STREET_NAMES)} {rng.choice(data.STREET_KINDS)}"


def vehicle_registration(rng: random.Random) -> str:
    letters = "".join(rng.choices("ABCDEFGHJKLMNPRSTUVWXY", k=3))
    return f"ZZ{rng.randrange(10, 75)} {letters}"


def aware(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=_zone())


@functools.cache
def _zone() -> dt.tzinfo:
    """The project's time zone (the setting does not change while running)."""
    return timezone.get_default_timezone()


def day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


# --- Timestamps --------------------------------------------------------------


# The automatic timestamp fields of each model, noted before they are switched off.
_TIME_FIELD_NAMES: dict[type[models.Model], list[str]] = {}


def _auto_time_fields(model: type[models.Model]) -> list[models.DateField]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add)
    ]


@contextmanager
def explicit_timestamps(models_: Iterable[type[models.Model]]) -> Iterator[None]:
    """Let ``bulk_create`` keep the timestamps we set instead of stamping "now".

    Turns off ``auto_now``/``auto_now_add`` on the given models' fields for the
    duration (process-wide: for management commands and tests only), so every
    row written meanwhile must carry its timestamps (``stamped`` does that).
    """
    saved = []
    for model in models_:
        fields = _auto_time_fields(model)
        _TIME_FIELD_NAMES.setdefault(model, [f.attname for f in fields])
        saved += [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f, _, _ in saved:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def stamped[M: models.Model](model: type[M], when: dt.datetime, **values: Any) -> M:
    """An unsaved ``model`` whose automatic timestamps are all ``when``."""
    names = _TIME_FIELD_NAMES.get(model)
    if names is None:
        names = _TIME_FIELD_NAMES[model] = [f.attname for f in _auto_time_fields(model)]
    for name in names:
        values.setdefault(name, when)
    return model(**values)


class Batch:
    """Unsaved rows of many models, written in dependency order by ``save``.

    With a ``KeyAllocator`` every row gets its key as it is added and ``save``
    streams the rows in (``masip.demo.bulk``); without one, ``bulk_create``
    writes them and fills the keys in.
    """

    def __init__(self, keys: KeyAllocator | None = None) -> None:
        self.rows: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        self.keys = keys

    def add(self, obj: M) -> M:
        if self.keys is not None:
            self.keys.assign(obj)
        self.rows[type(obj)].append(obj)
        return obj

    def count(self, model: type[models.Model]) -> int:
        return len(self.rows.get(model, []))

    def save(self) -> None:
        for model in WRITE_ORDER:
            rows = self.rows.get(model)
            if not rows:
                continue
            if self.keys is None:
                model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)
            else:
                write_rows(model, rows, using=self.keys.using)
        self.rows.clear()


def planned_references(
    seed: int = data.DEMO_RANDOM_SEED, count: int = data.DEMO_CASE_COUNT
) -> list[str]:
    """The demo's case references. They come from their own generator, so they
    are known before anything is built (and ``seed`` can steer clear of them)."""
    rng, taken = random.Random(f"{seed}-references"), set[str]()
    return [draw_reference(rng, taken) for _ in range(count)]
