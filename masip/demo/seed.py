"""Synthetic cases at any scale, for load tests and benchmarks (``masip seed``).

Each case gets a victim and a person who stalks (now and then someone already
on another case), the victim's restricted address and phone number, an
allocation to a case worker of the lead agency, sometimes a share with a
partner agency, and a few incidents. Rows are written with ``bulk_create`` in
batches of 5,000 cases, one transaction per batch, with no audit events.

The same seed gives the same cases (references, names, text) from the same
starting database, for example a fresh one; dates count back from ``anchor``
(today unless given). The demo's
sites, agencies and staff are reused, and created first if missing.
"""

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from masip.access.roles import AgencyKind
from masip.accounts.models import Agency, User
from masip.cases.models import (
    Case,
    CaseAllocation,
    CaseParticipant,
    CaseShare,
    CaseStatus,
    ParticipantRole,
)
from masip.demo import data
from masip.demo.structure import Structure, demo_password, ensure_structure
from masip.demo.synth import (
    LEAD_WEIGHTS,
    REFERRAL_SOURCE_FOR,
    REFERRED_DAYS_AGO,
    RISK_WEIGHTS,
    SHARE_COMPARTMENTS,
    SITE_WEIGHTS,
    STATUS_WEIGHTS,
    WRITE_ORDER,
    Batch,
    aware,
    day_between,
    draw_gender,
    draw_reference,
    explicit_timestamps,
    family_name,
    given_name,
    phone_number,
    planned_references,
    postcode,
    public_uuid,
    stamped,
    street,
    weighted,
)
from masip.incidents.models import Incident
from masip.people.models import Address, Confidentiality, Person, PersonIdentifier

CHUNK_SIZE = 5000  # cases per transaction
UUID_SALT = 0x5EED_5EED_5EED_5EED_5EED_5EED_5EED_5EED
PARTNERS: dict[str, tuple[str, ...]] = {
    AgencyKind.POLICE: ("probation", "mental-health", "advocacy"),
    AgencyKind.PROBATION: ("police",),
    AgencyKind.NHS_MENTAL_HEALTH: ("police",),
    AgencyKind.ADVOCACY: ("police",),
}


@dataclass(frozen=True)
class SeedResult:
    created: int
    seconds: float


@dataclass
class _Lead:
    """A lead agency with the people who act for it."""

    agency: Agency
    site: data.SiteSpec
    worker: User
    manager: User


class Seeder:
    """Generates seeded cases chunk by chunk into a ``Batch``."""

    def __init__(self, structure: Structure, *, seed: int, anchor: dt.date) -> None:
        self.s = structure
        self.taken = set(Case.objects.values_list("reference", flat=True))
        # A fresh database starts from Random(seed); a database that already
        # holds cases gets a stream of its own, so seeding the same seed twice
        # adds different people rather than colliding with the first run.
        existing = len(self.taken)
        self.rng = random.Random(f"{seed}/{existing}" if existing else seed)
        self.taken.update(planned_references())  # leave room for the demo
        self.anchor = anchor
        self.now = timezone.now()
        self.leads = {
            (site.slug, suffix): _Lead(
                agency=structure.site_agency(site.slug, suffix),
                site=site,
                worker=structure.worker(f"{site.slug}-{suffix}"),
                manager=structure.manager(f"{site.slug}-{suffix}"),
            )
            for site in data.SITES
            for suffix, _ in LEAD_WEIGHTS
        }
        self.recent_perpetrators: list[Person] = []

    def chunk(self, size: int) -> Batch:
        batch = Batch()
        for _ in range(size):
            self._case(batch)
        self.recent_perpetrators = self.recent_perpetrators[-200:]
        return batch

    def _case(self, batch: Batch) -> None:
        rng = self.rng
        site = rng.choices(data.SITES, weights=SITE_WEIGHTS)[0]
        lead = self.leads[(site.slug, weighted(rng, LEAD_WEIGHTS))]
        status = weighted(rng, STATUS_WEIGHTS)
        low, high = REFERRED_DAYS_AGO[status]
        referred = self.anchor - dt.timedelta(days=rng.randint(low, high))
        started = referred - dt.timedelta(days=rng.randint(14, 240))
        closed = (
            day_between(rng, referred, self.anchor)
            if status == CaseStatus.CLOSED
            else None
        )
        when = aware(referred, 9, rng.randint(0, 59))
        case = batch.add(
            stamped(
                Case,
                when,
                reference=draw_reference(rng, self.taken),
                lead_agency=lead.agency,
                relationship_type=weighted(rng, data.RELATIONSHIP_WEIGHTS),
                referral_source=REFERRAL_SOURCE_FOR[lead.agency.kind],
                status=status,
                closure_reason=weighted(rng, data.CLOSURE_WEIGHTS) if closed else "",
                risk_level=weighted(rng, RISK_WEIGHTS),
                behaviour_started_on=started,
                first_reported_on=referred,
                referred_on=referred,
                closed_on=closed,
                created_by=lead.worker,
            )
        )
        self._people(batch, case, lead, when)
        batch.add(
            stamped(
                CaseAllocation,
                when,
                case=case,
                user=lead.worker,
                agency=lead.agency,
                allocated_by=lead.manager,
                ended_at=aware(closed, 17, 0) if closed else None,
            )
        )
        if rng.random() < 0.4:
            self._share(batch, case, lead, when)
        self._incidents(batch, case, lead, started, closed or self.anchor)

    def _people(self, batch: Batch, case: Case, lead: _Lead, when: dt.datetime) -> None:
        rng = self.rng
        victim = self._person(batch, lead, when, female_share=0.78)
        batch.add(
            stamped(
                Address,
                when,
                person=victim,
                line_1=f"{rng.randint(1, 140)} {street(rng)}",
                town=rng.choice(lead.site.towns),
                postcode=postcode(rng),
                confidentiality=Confidentiality.RESTRICTED,
            )
        )
        batch.add(
            stamped(
                PersonIdentifier,
                when,
                person=victim,
                kind=PersonIdentifier.Kind.PHONE,
                value=phone_number(rng),
                confidentiality=Confidentiality.RESTRICTED,
            )
        )
        if self.recent_perpetrators and rng.random() < 0.05:
            perpetrator = rng.choice(self.recent_perpetrators)
        else:
            perpetrator = self._person(batch, lead, when, female_share=0.18)
            self.recent_perpetrators.append(perpetrator)
        for person, role in (
            (victim, ParticipantRole.VICTIM),
            (perpetrator, ParticipantRole.PERPETRATOR),
        ):
            batch.add(
                stamped(
                    CaseParticipant,
                    when,
                    case=case,
                    person=person,
                    role=role,
                    added_by=lead.worker,
                )
            )

    def _person(
        self, batch: Batch, lead: _Lead, when: dt.datetime, *, female_share: float
    ) -> Person:
        rng = self.rng
        gender = draw_gender(rng, female_share)
        return batch.add(
            stamped(
                Person,
                when,
                public_id=public_uuid(rng, UUID_SALT),
                given_name=given_name(rng, gender),
                family_name=family_name(rng),
                gender=gender,
                created_by=lead.worker,
                created_by_agency=lead.agency,
            )
        )

    def _share(self, batch: Batch, case: Case, lead: _Lead, when: dt.datetime) -> None:
        rng = self.rng
        partner = self.leads[(lead.site.slug, rng.choice(PARTNERS[lead.agency.kind]))]
        basis, reason = rng.choice(data.SHARE_REASONS[AgencyKind(partner.agency.kind)])
        batch.add(
            stamped(
                CaseShare,
                when,
                case=case,
                agency=partner.agency,
                granted_by=lead.manager,
                reason=_sentence(reason.format(site=lead.site.name, **_WORDS)),
                lawful_basis=basis,
                compartments=SHARE_COMPARTMENTS[partner.agency.kind],
                expires_at=self.now + dt.timedelta(days=rng.randint(-30, 180)),
            )
        )

    def _incidents(
        self, batch: Batch, case: Case, lead: _Lead, start: dt.date, end: dt.date
    ) -> None:
        rng = self.rng
        for _ in range(rng.randint(1, 4)):
            template, narrative = rng.choice(_TEMPLATES)
            at = aware(
                day_between(rng, start, end), rng.randint(7, 23), rng.randint(0, 59)
            )
            batch.add(
                stamped(
                    Incident,
                    min(at, self.now),
                    public_id=public_uuid(rng, UUID_SALT),
                    case=case,
                    occurred_at=at,
                    behaviours=[b.value for b in template.behaviours],
                    channels=[c.value for c in template.channels],
                    location_confidentiality=Confidentiality.STANDARD,
                    narrative=narrative,
                    recorded_by=lead.worker,
                    recorded_by_agency=lead.agency,
                )
            )


# Incident text in seeded data names nobody.
_WORDS = {
    "victim": "the victim",
    "perp": "the suspect",
    "platform": "a social network",
    "n": 12,
    "k": 3,
    "minutes": 40,
    "nth": "second",
}


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


_TEMPLATES = [
    (template, _sentence(template.narrative.format(**_WORDS)))
    for template in data.INCIDENT_TEMPLATES
]


def seed_cases(
    *,
    count: int,
    seed: int,
    anchor: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> SeedResult:
    """Insert ``count`` seeded cases; ``progress`` hears the running total."""
    started = time.perf_counter()
    with transaction.atomic():
        structure = ensure_structure(password=demo_password())
    seeder = Seeder(structure, seed=seed, anchor=anchor or timezone.localdate())
    done = 0
    while done < count:
        size = min(CHUNK_SIZE, count - done)
        batch = seeder.chunk(size)
        with transaction.atomic(), explicit_timestamps(WRITE_ORDER):
            batch.save()
        done += size
        if progress:
            progress(done)
    return SeedResult(created=done, seconds=time.perf_counter() - started)
