"""Synthetic cases at any scale, for load tests and benchmarks (``masip seed``).

Each case gets a victim and a person who stalks (now and then someone already
on another case, now and then with a witness), the victim's restricted
address and phone number, the perpetrator's known identifiers and aliases, an
allocation to a case worker of the lead agency, sometimes a share with a
partner agency, incidents (ten on average, with a long tail of cases holding
hundreds), and the audit trail such a case leaves behind: about forty events,
from its creation to the pages opened on it since, chained like any other.

At national scale (500,000 cases: a million people, five million incidents,
twenty million audit events) rows are written with explicit keys by COPY on
PostgreSQL and ``executemany`` on SQLite (``masip.demo.bulk``), in chunks of
``CHUNK_SIZE`` cases, one transaction per chunk, and the audit events through
``masip.audit.bulk.append_events``. Nothing else may write to the database
while it runs.

The same seed gives the same cases (references, names, text) from the same
starting database, for example a fresh one; dates count back from ``anchor``
(today unless given). The demo's sites, agencies and staff are reused, and
created first if missing.
"""

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from masip.access.roles import AgencyKind, RoleName
from masip.accounts.models import Agency, User
from masip.audit.bulk import append_events
from masip.audit.models import AuditEvent
from masip.cases.models import (
    Case,
    CaseAllocation,
    CaseParticipant,
    CaseShare,
    CaseStatus,
    ParticipantRole,
)
from masip.demo import data
from masip.demo.bulk import KeyAllocator, build, reset_sequences, vacuum_analyze
from masip.demo.seed_trail import Trail, Who
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
    street,
    vehicle_registration,
    weighted,
)
from masip.incidents.models import Incident
from masip.isolation.models import CaseReach
from masip.people.models import (
    Address,
    Confidentiality,
    Person,
    PersonAlias,
    PersonIdentifier,
)

CHUNK_SIZE = 2000  # cases per transaction: about 80,000 audit events
UUID_SALT = 0x5EED_5EED_5EED_5EED_5EED_5EED_5EED_5EED
PARTNERS: dict[str, tuple[str, ...]] = {
    AgencyKind.POLICE: ("probation", "mental-health", "advocacy"),
    AgencyKind.PROBATION: ("police",),
    AgencyKind.NHS_MENTAL_HEALTH: ("police",),
    AgencyKind.ADVOCACY: ("police",),
}
# Incidents per case: one plus an exponential draw (mean about 8), and one case
# in 500 with a long history of 200 to 600; ten per case on average.
INCIDENT_MEAN_EXTRA = 8.7
LONG_HISTORY_ODDS = 1 / 500
LONG_HISTORY = (200, 600)
REPEAT_PERPETRATOR_ODDS = 0.05
WITNESS_ODDS = 0.075


def incident_count(rng: random.Random) -> int:
    """How many incidents a seeded case holds (mean about ten, long-tailed)."""
    if rng.random() < LONG_HISTORY_ODDS:
        return rng.randint(*LONG_HISTORY)
    return 1 + int(rng.expovariate(1 / INCIDENT_MEAN_EXTRA))


@dataclass
class SeedResult:
    created: int  # cases
    seconds: float
    people: int = 0
    incidents: int = 0
    audit_events: int = 0
    rows: int = 0


@dataclass
class _Lead:
    """A lead agency with the people who act for it, as the audit trail names them."""

    agency: Agency
    site: data.SiteSpec
    worker: User
    manager: User
    worker_who: Who = field(init=False)
    manager_who: Who = field(init=False)

    def __post_init__(self) -> None:
        self.worker_who = Who.of(self.worker, self.agency, RoleName.CASE_WORKER)
        self.manager_who = Who.of(self.manager, self.agency, RoleName.TEAM_MANAGER)


class Seeder:
    """Generates seeded cases chunk by chunk into a ``Batch`` and a ``Trail``."""

    def __init__(
        self,
        structure: Structure,
        *,
        seed: int,
        anchor: dt.date,
        keys: KeyAllocator | None = None,
    ) -> None:
        self.s = structure
        self.keys = keys
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
        self.trail = Trail(self.rng, now=self.now)

    def chunk(self, size: int) -> Batch:
        batch = Batch(self.keys)
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
            build(
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
        self.trail.opened(case.reference, lead.worker_who, case.pk, when)
        self._people(batch, case, lead, when)
        allocation = batch.add(
            build(
                CaseAllocation,
                when,
                case=case,
                user=lead.worker,
                agency=lead.agency,
                allocated_by=lead.manager,
                ended_at=aware(closed, 17, 0) if closed else None,
            )
        )
        self.trail.allocated(case.reference, lead.manager_who, allocation.pk, when)
        partner = self._share(batch, case, lead, when) if rng.random() < 0.4 else None
        end = closed or self.anchor
        self._incidents(batch, case, lead, started, end)
        readers = [lead.worker_who] + ([partner.worker_who] if partner else [])
        self.trail.views(case.reference, readers, referred, end)
        self.trail.close_case()

    def _people(self, batch: Batch, case: Case, lead: _Lead, when: dt.datetime) -> None:
        rng = self.rng
        victim = self._person(batch, lead, when, female_share=0.78)
        batch.add(
            build(
                Address,
                when,
                person=victim,
                line_1=f"{rng.randint(1, 140)} {street(rng)}",
                town=rng.choice(lead.site.towns),
                postcode=postcode(rng),
                confidentiality=Confidentiality.RESTRICTED,
            )
        )
        self._identifier(
            batch,
            victim,
            when,
            PersonIdentifier.Kind.PHONE,
            Confidentiality.RESTRICTED,
        )
        if self.recent_perpetrators and rng.random() < REPEAT_PERPETRATOR_ODDS:
            perpetrator = rng.choice(self.recent_perpetrators)
        else:
            perpetrator = self._person(batch, lead, when, female_share=0.18)
            self._known_by(batch, perpetrator, when)
            self.recent_perpetrators.append(perpetrator)
        cast = [
            (victim, ParticipantRole.VICTIM),
            (perpetrator, ParticipantRole.PERPETRATOR),
        ]
        if rng.random() < WITNESS_ODDS:
            witness = self._person(batch, lead, when, female_share=0.5)
            cast.append((witness, ParticipantRole.WITNESS))
        for person, role in cast:
            batch.add(
                build(
                    CaseParticipant,
                    when,
                    case=case,
                    person=person,
                    role=role,
                    added_by=lead.worker,
                )
            )
            self.trail.person_added(
                case.reference, lead.worker_who, person.public_id, when
            )

    def _person(
        self, batch: Batch, lead: _Lead, when: dt.datetime, *, female_share: float
    ) -> Person:
        rng = self.rng
        gender = draw_gender(rng, female_share)
        return batch.add(
            build(
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

    def _known_by(self, batch: Batch, person: Person, when: dt.datetime) -> None:
        """The identifiers and names a person who stalks is known by."""
        rng = self.rng
        if rng.random() < 0.6:
            self._identifier(batch, person, when, PersonIdentifier.Kind.PHONE)
        if rng.random() < 0.4:
            self._identifier(batch, person, when, PersonIdentifier.Kind.SOCIAL_MEDIA)
        if rng.random() < 0.15:
            self._identifier(batch, person, when, PersonIdentifier.Kind.VEHICLE)
        if rng.random() < 0.1:
            name = (
                rng.choice(data.NICKNAMES)
                if rng.random() < 0.5
                else f"{given_name(rng, person.gender)} {family_name(rng)}"
            )
            batch.add(build(PersonAlias, when, person=person, name=name))

    def _identifier(
        self,
        batch: Batch,
        person: Person,
        when: dt.datetime,
        kind: str,
        confidentiality: str = Confidentiality.STANDARD,
    ) -> None:
        rng = self.rng
        if kind == PersonIdentifier.Kind.PHONE:
            value = phone_number(rng)
        elif kind == PersonIdentifier.Kind.VEHICLE:
            value = vehicle_registration(rng)
        else:
            value = f"@{person.given_name.lower()}_{rng.randrange(10**6):06d}"
        batch.add(
            build(
                PersonIdentifier,
                when,
                person=person,
                kind=kind,
                value=value,
                confidentiality=confidentiality,
            )
        )

    def _share(self, batch: Batch, case: Case, lead: _Lead, when: dt.datetime) -> _Lead:
        rng = self.rng
        partner = self.leads[(lead.site.slug, rng.choice(PARTNERS[lead.agency.kind]))]
        basis, reason = rng.choice(data.SHARE_REASONS[AgencyKind(partner.agency.kind)])
        share = batch.add(
            build(
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
        self.trail.shared(case.reference, lead.manager_who, share.pk, when)
        return partner

    def _incidents(
        self, batch: Batch, case: Case, lead: _Lead, start: dt.date, end: dt.date
    ) -> None:
        rng = self.rng
        for _ in range(incident_count(rng)):
            template, narrative = rng.choice(_TEMPLATES)
            at = aware(
                day_between(rng, start, end), rng.randint(7, 23), rng.randint(0, 59)
            )
            incident = batch.add(
                build(
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
            self.trail.incident(case.reference, lead.worker_who, incident.public_id, at)


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
    audit: bool = True,
) -> SeedResult:
    """Insert ``count`` seeded cases; ``progress`` hears the running total.

    ``audit=False`` leaves the audit trail out (quicker, for list benchmarks
    that do not read it).
    """
    started = time.perf_counter()
    with transaction.atomic():
        structure = ensure_structure(password=demo_password())
    keys = KeyAllocator()
    seeder = Seeder(
        structure, seed=seed, anchor=anchor or timezone.localdate(), keys=keys
    )
    result = SeedResult(created=0, seconds=0.0)
    while result.created < count:
        size = min(CHUNK_SIZE, count - result.created)
        batch = seeder.chunk(size)
        events = seeder.trail.take()
        _tally(result, batch)
        with transaction.atomic(), explicit_timestamps(WRITE_ORDER):
            batch.save()
            if audit:
                result.audit_events += append_events(events)
        reset_sequences(keys.models())
        result.created += size
        if progress:
            progress(result.created)
    # The reach table (row-level security, ADR 35) grew too, through triggers.
    vacuum_analyze([*keys.models(), AuditEvent, CaseReach])
    result.seconds = time.perf_counter() - started
    return result


def _tally(result: SeedResult, batch: Batch) -> None:
    result.people += batch.count(Person)
    result.incidents += batch.count(Incident)
    result.rows += sum(len(rows) for rows in batch.rows.values())
