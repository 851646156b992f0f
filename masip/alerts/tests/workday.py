"""A synthetic normal working day, for measuring false alerts (tests and bench).

Staff in four agencies of one site (police, probation, NHS, advocacy) work in
teams of five (a manager and four workers). Police lead the cases; each case
is allocated to a police worker and shared with one or two partners, where a
worker of theirs is allocated too. Over a weekday (UK time) each person works
their own caseload with realistic habits, all of it legitimate:

* workers open their own cases (mostly), a teammate's (cover) and now and
  then another case their agency reaches (a duty query); each visit opens the
  case and one or two of its pages;
* police and advocacy workers reveal a victim's contact details on some visits;
* everyone may make an export or two; managers review their team's cases and
  run one supervision sweep of eight cases;
* a few people stay on a little after the end of the working day.

Family names of staff and of the people in cases come from one pool weighted to
common British surnames, so shared names occur on allocated work (the near
misses the surname rule must let through). Staff have a home address on record
and the people in cases an address each, all in one city-sized area of 36,000
synthetic postcodes (``ZX1 0AB`` and the like, no real area); one worker lives
in the same postcode as the victim of a case of theirs, at another house (the
near miss the shared-address rule must let through). Everything comes from
seeded ``random.Random`` objects (the addresses from their own, so adding
them left the day's events as they were): the same seed gives the same day.
"""

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass, field
from unittest import mock

from django.utils import timezone

from masip.access.roles import AgencyKind, RoleName
from masip.accounts.models import Agency, Membership, StaffHomeAddress, User
from masip.accounts.tests.factories import (
    AgencyFactory,
    MembershipFactory,
    SiteFactory,
    StaffHomeAddressFactory,
    TeamFactory,
    UserFactory,
)
from masip.alerts import engine
from masip.alerts.models import Alert
from masip.alerts.names import name_keys, user_family_name
from masip.audit import services as audit
from masip.audit.events import EventType as E
from masip.cases.models import Case, CaseAllocation, CaseParticipant, ParticipantRole
from masip.cases.tests.factories import (
    CaseAllocationFactory,
    CaseFactory,
    CaseParticipantFactory,
    CaseShareFactory,
)
from masip.crypto.blind import normalise_postcode
from masip.people.models import Address
from masip.people.tests.factories import AddressFactory, PersonFactory

WORKDAY = dt.date(2026, 3, 10)  # a Tuesday, not a bank holiday
TEAM_SIZE = 5
CASES_PER_POLICE_WORKER = 6
# About one name in seven is one of the 50 most frequent British surnames,
# weighted by rank (Smith most of all); the rest are rarer names, made up.
COMMON = [
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson",
    "Thomas", "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker",
    "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke",
    "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward",
    "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan",
    "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price",
    "Bennett", "Young", "Khan",
]  # fmt: skip
COMMON_WEIGHTS = [1 / rank for rank in range(1, len(COMMON) + 1)]
COMMON_SHARE = 0.15
SYLLABLES = [
    "ard", "bel", "cor", "dun", "fen", "gar", "hol", "kil",
    "mor", "wyn", "ast", "bry", "cal", "dre", "elm", "fro",
]  # fmt: skip
AGENCY_SHARE = (
    (AgencyKind.POLICE, 0.4),
    (AgencyKind.PROBATION, 0.2),
    (AgencyKind.NHS_MENTAL_HEALTH, 0.2),
    (AgencyKind.ADVOCACY, 0.2),
)
REVEALS = {AgencyKind.POLICE, AgencyKind.ADVOCACY}
# Postcode districts ZX1 to ZX9 (ZX is no real postcode area), 4,000 unit
# postcodes each: about a city's worth.
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
STREETS = ["Road", "Street", "Lane", "Avenue", "Close", "Way"]
PAGES = (E.CASE_PAGE_OPENED, E.PERSON_VIEWED, E.INCIDENT_VIEWED)


@dataclass
class Person:
    user: User
    membership: Membership
    actor: audit.AuditActor
    team_ids: set[int] = field(default_factory=set)


@dataclass
class Office:
    people: list[Person]
    cases: list[Case]
    allocated: dict[int, list[str]]  # user id -> case references
    reach: dict[int, list[str]]  # agency id -> case references


@dataclass(frozen=True)
class DayResult:
    staff: int
    days: int
    events: int
    alerts: list[Alert]
    shared_name_visits: int
    shared_postcode_visits: int = 0

    @property
    def per_thousand_events(self) -> float:
        return 1000 * len(self.alerts) / self.events if self.events else 0.0

    @property
    def per_user_day(self) -> float:
        return len(self.alerts) / (self.staff * self.days)


def family_name(rng: random.Random) -> str:
    if rng.random() < COMMON_SHARE:
        return rng.choices(COMMON, weights=COMMON_WEIGHTS)[0]
    return "".join(rng.sample(SYLLABLES, 4)).capitalize()


def postcode(places: random.Random) -> str:
    inward = places.choice("0123456789") + "".join(
        places.choices(POSTCODE_LETTERS, k=2)
    )
    return f"ZX{places.randint(1, 9)} {inward}"


def street_line(places: random.Random) -> str:
    name = "".join(places.sample(SYLLABLES, 2)).capitalize()
    return f"{places.randint(1, 120)} {name} {places.choice(STREETS)}"


def build_office(rng: random.Random, staff: int) -> Office:
    """The agencies, teams, staff and allocated cases (all synthetic)."""
    site = SiteFactory()
    people: list[Person] = []
    for kind, share in AGENCY_SHARE:
        agency = AgencyFactory(kind=kind, site=site)
        count = max(TEAM_SIZE, round(staff * share))
        people += _agency_staff(rng, agency, count)
    cases, allocated, reach = _cases(rng, people)
    _plant_shared_common_name(people, cases)
    _give_addresses(random.Random(f"places/{staff}"), people, cases)
    # Allocated well before the day, so the allocations were in force.
    CaseAllocation.objects.filter(case__in=cases).update(
        allocated_at=timezone.make_aware(dt.datetime.combine(WORKDAY, dt.time()))
        - dt.timedelta(days=30)
    )
    return Office(people=people, cases=cases, allocated=allocated, reach=reach)


def _plant_shared_common_name(people: list[Person], cases: list[Case]) -> None:
    """One police worker named Smith has a victim named Smith on their caseload:
    the near miss the surname rule must let through."""
    case = cases[0]
    worker = User.objects.get(pk=case.created_by_id)
    worker.full_name = "Staff1 Smith"
    worker.save(update_fields=["full_name"])
    for person in people:
        if person.user.pk == worker.pk:
            person.user = worker
            label = f"{worker.full_name} <{worker.email}>"
            person.actor = dataclasses.replace(person.actor, label=label)
    victim = CaseParticipant.objects.get(case=case, role=ParticipantRole.VICTIM)
    victim.person.family_name = "Smith"
    victim.person.save(update_fields=["family_name"])


def _give_addresses(
    places: random.Random, people: list[Person], cases: list[Case]
) -> None:
    """A home address for everyone on staff and an address for everyone in a
    case; then the worker of the first case moves into its victim's postcode,
    at another house."""
    for person in people:
        StaffHomeAddressFactory(
            user=person.user, line_1=street_line(places), postcode=postcode(places)
        )
    for participant in CaseParticipant.objects.filter(case__in=cases):
        AddressFactory(
            person_id=participant.person_id,
            line_1=street_line(places),
            town="Synthetic City",
            postcode=postcode(places),
        )
    case = cases[0]
    victim = CaseParticipant.objects.get(case=case, role=ParticipantRole.VICTIM)
    theirs = Address.objects.get(person_id=victim.person_id)
    home = StaffHomeAddress.objects.get(user_id=case.created_by_id)
    home.postcode = theirs.postcode
    home.line_1 = f"{theirs.line_1} Annexe"
    home.save()


def _agency_staff(rng: random.Random, agency: Agency, count: int) -> list[Person]:
    """``count`` staff in teams of about TEAM_SIZE, each led by a manager."""
    teams = [TeamFactory(agency=agency) for _ in range(max(1, count // TEAM_SIZE))]
    people = []
    for i in range(count):
        team = teams[i % len(teams)]
        role = RoleName.TEAM_MANAGER if i < len(teams) else RoleName.CASE_WORKER
        user = UserFactory(full_name=f"Staff{i} {family_name(rng)}")
        membership = MembershipFactory(user=user, agency=agency, team=team, role=role)
        actor = audit.AuditActor(
            user_id=user.pk,
            label=f"{user.full_name} <{user.email}>",
            agency_id=agency.pk,
            agency_label=agency.name,
            role=role,
        )
        people.append(Person(user, membership, actor))
    for person in people:
        team_id = person.membership.team_id
        person.team_ids = {p.user.pk for p in people if p.membership.team_id == team_id}
    return people


def _cases(rng, people):
    police = [p for p in people if p.membership.agency.kind == AgencyKind.POLICE]
    partners = [p for p in people if p not in police]
    workers = [p for p in police if p.membership.role == RoleName.CASE_WORKER]
    lead = police[0].membership.agency
    cases, allocated, reach = [], {}, {}
    for worker in workers:
        for _ in range(CASES_PER_POLICE_WORKER):
            case = CaseFactory(lead_agency=lead, created_by=worker.user)
            for role in (ParticipantRole.VICTIM, ParticipantRole.PERPETRATOR):
                person = PersonFactory(
                    family_name=family_name(rng),
                    created_by=worker.user,
                    created_by_agency=lead,
                )
                CaseParticipantFactory(
                    case=case, person=person, role=role, added_by=worker.user
                )
            _allocate(case, worker, allocated, reach)
            partner_workers = [
                p for p in partners if p.membership.role == RoleName.CASE_WORKER
            ]
            for partner in rng.sample(partner_workers, rng.choice((1, 2))):
                CaseShareFactory(
                    case=case, agency=partner.membership.agency, granted_by=worker.user
                )
                _allocate(case, partner, allocated, reach)
            cases.append(case)
    return cases, allocated, reach


def _allocate(case, person, allocated, reach):
    CaseAllocationFactory(
        case=case,
        user=person.user,
        agency=person.membership.agency,
        allocated_by=person.user,
    )
    allocated.setdefault(person.user.pk, []).append(case.reference)
    reach.setdefault(person.membership.agency_id, []).append(case.reference)


def plan_day(rng: random.Random, office: Office, day: dt.date):
    """(when, person, event type, case reference) for everyone's day, in time order."""
    planned = []
    for person in office.people:
        planned += _person_day(rng, office, person, day)
    planned.sort(key=lambda item: item[0])
    return planned


def _person_day(rng, office, person, day):
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)))
    start += dt.timedelta(minutes=rng.randint(0, 45))
    finish = start + dt.timedelta(hours=8, minutes=rng.randint(0, 60))
    if rng.random() < 0.05:  # staying on to finish something
        finish += dt.timedelta(minutes=rng.randint(20, 45))
    kind = person.membership.agency.kind
    manager = person.membership.role == RoleName.TEAM_MANAGER
    own = office.allocated.get(person.user.pk, [])
    team = [ref for uid in person.team_ids for ref in office.allocated.get(uid, [])]
    agency_cases = office.reach.get(person.membership.agency_id, [])
    events = []
    now = start
    sweep_at = start + dt.timedelta(hours=rng.randint(1, 6))
    while now < finish:
        if manager and now >= sweep_at:
            for ref in rng.sample(agency_cases, min(8, len(agency_cases))):
                events.append((now, person, E.CASE_VIEWED, ref))
                now += dt.timedelta(minutes=rng.randint(1, 3))
            sweep_at = finish
        draw = rng.random()
        pool = own if draw < 0.85 and own else team if draw < 0.95 else agency_cases
        ref = rng.choice(pool or agency_cases)
        events.append((now, person, E.CASE_VIEWED, ref))
        for page in rng.sample(PAGES, rng.randint(1, 2)):
            now += dt.timedelta(seconds=rng.randint(20, 120))
            events.append((now, person, page, ref))
        if kind in REVEALS and rng.random() < 0.1:
            events.append((now, person, E.SEALED_REVEALED, ref))
        now += dt.timedelta(minutes=rng.randint(8, 22))
    for _ in range(rng.choice((0, 0, 1, 2))):
        at = start + (finish - start) * rng.random()
        events.append((at, person, E.EXPORT_CREATED, ""))
    return events


def replay_day(planned, *, detect: bool = True) -> int:
    """Write the day to the audit trail in order, judging each event as it lands."""
    for when, person, event_type, ref in planned:
        with mock.patch.object(audit.timezone, "now", return_value=when):
            event = audit.record(
                event_type,
                actor=person.actor,
                target_type="case",
                target_id=ref,
                case_reference=ref,
            )
        if detect:
            engine.evaluate(event)
    return len(planned)


def shared_name_visits(office: Office, planned) -> int:
    """Case visits where the member of staff shares a family name with someone."""
    names: dict[str, set[str]] = {}
    for ref, family in CaseParticipant.objects.values_list(
        "case__reference", "person__family_name"
    ):
        names.setdefault(ref, set()).update(name_keys(family))
    return sum(
        1
        for _, person, event_type, ref in planned
        if event_type == E.CASE_VIEWED
        and names.get(ref, set()) & name_keys(user_family_name(person.user.full_name))
    )


def shared_postcode_visits(planned) -> int:
    """Case visits where the member of staff lives in the postcode of someone."""
    homes = {
        h.user_id: normalise_postcode(h.postcode)
        for h in StaffHomeAddress.objects.all()
    }
    held: dict[str, set[str]] = {}
    for address in Address.objects.prefetch_related("person__participations__case"):
        for participation in address.person.participations.all():
            held.setdefault(participation.case.reference, set()).add(
                normalise_postcode(address.postcode)
            )
    return sum(
        1
        for _, person, event_type, ref in planned
        if event_type == E.CASE_VIEWED
        and homes.get(person.user.pk) in held.get(ref, set())
    )


def run(*, seed: int = 7, staff: int = 30, days: int = 1) -> DayResult:
    rng = random.Random(seed)
    office = build_office(rng, staff)
    events = shared = postcodes = 0
    for offset in range(days):
        day = WORKDAY + dt.timedelta(days=7 * offset)  # the same weekday each week
        planned = plan_day(rng, office, day)
        shared += shared_name_visits(office, planned)
        postcodes += shared_postcode_visits(planned)
        events += replay_day(planned)
    return DayResult(
        staff=len(office.people),
        days=days,
        events=events,
        alerts=list(Alert.objects.all()),
        shared_name_visits=shared,
        shared_postcode_visits=postcodes,
    )
