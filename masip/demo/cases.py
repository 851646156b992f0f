"""The demo cases: about sixty, planned from a fixed seed.

Each case has a victim (sometimes two) and a person who stalks (now and then
one already on another case in the same site), their aliases, identifiers and
addresses (the victims' restricted), safe-contact preferences, a status and
risk history, allocations, shares with partner agencies, incidents over weeks
to months, and notes (some sealed: health, police intelligence). Dates run
back from the day the demo is loaded.
"""

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from masip.access.roles import AgencyKind, RoleName
from masip.accounts.models import Agency, Notification, User
from masip.cases.models import (
    Case,
    CaseAllocation,
    CaseNote,
    CaseParticipant,
    CaseShare,
    CaseStatus,
    ParticipantRole,
    ReferralSource,
    RiskLevel,
    RiskLevelChange,
    StatusChange,
)
from masip.demo import data
from masip.demo.structure import Structure
from masip.demo.synth import (
    LEAD_WEIGHTS,
    REFERRAL_SOURCE_FOR,
    REFERRED_DAYS_AGO,
    RISK_WEIGHTS,
    SHARE_COMPARTMENTS,
    SITE_WEIGHTS,
    STATUS_FLOW,
    STATUS_WEIGHTS,
    Batch,
    aware,
    day_between,
    draw_gender,
    family_name,
    given_name,
    phone_number,
    planned_references,
    postcode,
    public_uuid,
    stamped,
    street,
    vehicle_registration,
    weighted,
)
from masip.incidents.models import Incident, TimePrecision
from masip.people.models import (
    Address,
    Channel,
    Confidentiality,
    DatePrecision,
    Person,
    PersonAlias,
    PersonIdentifier,
    SafeContactPreference,
)


@dataclass
class Draft:
    """One demo case while it is being built."""

    case: Case
    site: data.SiteSpec
    lead: Agency
    worker: User
    manager: User
    end: dt.date  # the last day of the story: closure or yesterday
    victims: list[Person] = field(default_factory=list)
    perpetrator: Person | None = None
    home: str = ""
    workplace: str = ""
    crime_reference: str = ""
    partners: list[Agency] = field(default_factory=list)

    def names(self) -> dict[str, str]:
        perp = self.perpetrator
        assert perp is not None
        return {
            "victim": self.victims[0].given_name,
            "perp": perp.given_name,
            "perp_full": perp.full_name,
            "site": self.site.name,
        }


class DemoCases:
    """Plans the demo cases from a fixed seed and adds their rows to a batch."""

    def __init__(
        self, structure: Structure, *, anchor: dt.date, seed: int, count: int
    ) -> None:
        self.s = structure
        self.rng = random.Random(seed)
        self.references = planned_references(seed, count)
        self.anchor = anchor
        self.batch = Batch()
        self.perpetrators: dict[str, list[list[Any]]] = defaultdict(list)
        self.start_user = structure.users[data.START_EMAIL]

    # Cases ------------------------------------------------------------------

    def build(self, *, skip: Iterable[str] = ()) -> list[Case]:
        """Plan every case; add rows for those whose reference is not in ``skip``.

        Every case is planned, so the random sequence never depends on what is
        already in the database; the rows of skipped cases are dropped.
        """
        skip = set(skip)
        new_cases = []
        for index, reference in enumerate(self.references):
            lengths = {model: len(rows) for model, rows in self.batch.rows.items()}
            draft = self._draft(index, reference)
            if reference in skip:
                self._drop_since(lengths)
            else:
                new_cases.append(draft.case)
        return new_cases

    def _drop_since(self, lengths: dict[type[models.Model], int]) -> None:
        for model, rows in self.batch.rows.items():
            del rows[lengths.get(model, 0) :]
        kept = {id(p) for p in self.batch.rows.get(Person, [])}
        for entries in self.perpetrators.values():
            entries[:] = [e for e in entries if id(e[0]) in kept]

    def _draft(self, index: int, reference: str) -> Draft:
        rng = self.rng
        site = rng.choices(data.SITES, weights=SITE_WEIGHTS)[0]
        via_helpline = index % 20 == 7
        suffix = "advocacy" if via_helpline else weighted(rng, LEAD_WEIGHTS)
        lead = self.s.site_agency(site.slug, suffix)
        worker = self._lead_worker(lead)
        status = weighted(rng, STATUS_WEIGHTS)
        draft = Draft(
            case=self._case(reference, lead, status, via_helpline, worker),
            site=site,
            lead=lead,
            worker=worker,
            manager=self.s.manager(lead.slug),
            end=self.anchor - dt.timedelta(days=1),
        )
        if draft.case.closed_on:
            draft.end = draft.case.closed_on
        self._people(draft)
        draft.case.summary = data.SUMMARIES[draft.case.relationship_type].format(
            month=draft.case.behaviour_started_on.strftime("%B %Y"), **draft.names()
        )
        self._history(draft)
        self._sharing(draft)
        self._incidents(draft)
        self._notes(draft)
        return draft

    def _lead_worker(self, lead: Agency) -> User:
        if lead.slug == "london-police":
            other = self.s.users[data.SECOND_LONDON_WORKER]
            return self.start_user if self.rng.random() < 0.65 else other
        return self.s.worker(lead.slug)

    def _case(
        self,
        reference: str,
        lead: Agency,
        status: str,
        via_helpline: bool,
        worker: User,
    ) -> Case:
        rng = self.rng
        low, high = REFERRED_DAYS_AGO[status]
        referred = self.anchor - dt.timedelta(days=rng.randint(low, high))
        started = referred - dt.timedelta(days=rng.randint(14, 240))
        closed = None
        if status == CaseStatus.CLOSED:
            closed = day_between(
                rng,
                referred + dt.timedelta(days=60),
                self.anchor - dt.timedelta(days=7),
            )
        creator = (
            self.s.staff("national-helpline", RoleName.HELPLINE_ADVISER)[0]
            if via_helpline
            else worker
        )
        return self.batch.add(
            stamped(
                Case,
                aware(referred, 9, rng.randint(0, 59)),
                reference=reference,
                lead_agency=lead,
                relationship_type=weighted(rng, data.RELATIONSHIP_WEIGHTS),
                referral_source=ReferralSource.HELPLINE
                if via_helpline
                else REFERRAL_SOURCE_FOR[lead.kind],
                status=status,
                closure_reason=weighted(rng, data.CLOSURE_WEIGHTS) if closed else "",
                risk_level=self._risk(status),
                behaviour_started_on=started,
                first_reported_on=day_between(rng, started, referred),
                referred_on=referred,
                review_due_on=None
                if closed
                else self.anchor + dt.timedelta(days=rng.randint(-10, 60)),
                closed_on=closed,
                created_by=creator,
            )
        )

    def _risk(self, status: str) -> str:
        if status == CaseStatus.REFERRED or (
            status == CaseStatus.SCREENING and self.rng.random() < 0.5
        ):
            return RiskLevel.NOT_ASSESSED
        return weighted(self.rng, RISK_WEIGHTS)

    # People -----------------------------------------------------------------

    def _people(self, draft: Draft) -> None:
        rng, case = self.rng, draft.case
        when = case.created_at
        town = rng.choice(draft.site.towns)
        victim = self._person(draft, when, female_share=0.78)
        draft.victims.append(victim)
        draft.home = f"{rng.randint(1, 140)} {street(rng)}"
        draft.workplace = rng.choice(data.WORKPLACES)
        self._victim_details(victim, when, home=draft.home, town=town)
        if rng.random() < 0.1:
            second = self._person(draft, when, female_share=0.5)
            draft.victims.append(second)
            self._victim_details(second, when, home="", town=town)
        draft.perpetrator = self._perpetrator(draft, when, town)
        for person in draft.victims:
            self._participant(draft, person, ParticipantRole.VICTIM)
        self._participant(draft, draft.perpetrator, ParticipantRole.PERPETRATOR)

    def _person(
        self, draft: Draft, when: dt.datetime, *, female_share: float
    ) -> Person:
        rng = self.rng
        gender = draw_gender(rng, female_share)
        born = self.anchor - dt.timedelta(days=rng.randint(19 * 365, 66 * 365))
        precision = rng.choices(
            [DatePrecision.EXACT, DatePrecision.APPROXIMATE, DatePrecision.UNKNOWN],
            weights=[80, 12, 8],
        )[0]
        return self.batch.add(
            stamped(
                Person,
                when,
                public_id=public_uuid(rng),
                given_name=given_name(rng, gender),
                family_name=family_name(rng),
                date_of_birth=None if precision == DatePrecision.UNKNOWN else born,
                birth_date_precision=precision,
                gender=gender,
                interpreter_language=rng.choice(data.INTERPRETER_LANGUAGES)
                if rng.random() < 0.06
                else "",
                created_by=draft.worker,
                created_by_agency=draft.lead,
            )
        )

    def _victim_details(
        self, person: Person, when: dt.datetime, *, home: str, town: str
    ) -> None:
        rng, add = self.rng, self.batch.add
        restricted = Confidentiality.RESTRICTED
        if home:
            add(
                stamped(
                    Address,
                    when,
                    person=person,
                    line_1=home,
                    town=town,
                    postcode=postcode(rng),
                    confidentiality=restricted,
                )
            )
            if rng.random() < 0.3:
                add(
                    stamped(
                        Address,
                        when,
                        person=person,
                        line_1=f"Flat {rng.randint(1, 30)}, {street(rng)}",
                        town=town,
                        postcode=postcode(rng),
                        is_current=False,
                        confidentiality=restricted,
                    )
                )
        add(
            stamped(
                PersonIdentifier,
                when,
                person=person,
                kind=PersonIdentifier.Kind.PHONE,
                value=phone_number(rng),
                confidentiality=restricted,
            )
        )
        add(
            stamped(
                PersonIdentifier,
                when,
                person=person,
                kind=PersonIdentifier.Kind.EMAIL,
                value=f"{person.given_name}.{person.family_name}{rng.randint(1, 99)}"
                "@example.org".lower(),
                confidentiality=restricted,
            )
        )
        if rng.random() < 0.1:
            add(
                stamped(
                    PersonAlias,
                    when,
                    person=person,
                    kind=PersonAlias.Kind.PREVIOUS,
                    name=f"{person.given_name} {family_name(rng)}",
                )
            )
        channels = [Channel.PHONE, Channel.TEXT, Channel.EMAIL]
        safe = rng.sample(channels, k=rng.randint(1, 2))
        add(
            stamped(
                SafeContactPreference,
                when,
                person=person,
                safe_channels=[c.value for c in safe],
                forbidden_channels=[c.value for c in channels if c not in safe]
                + [Channel.LETTER.value],
                safe_times=rng.choice(data.SAFE_TIMES),
                no_voicemail=rng.random() < 0.8,
                code_word=rng.choice(data.CODE_WORDS),
                notes=rng.choice(data.SAFE_NOTES),
            )
        )

    def _perpetrator(self, draft: Draft, when: dt.datetime, town: str) -> Person:
        """A new person, or now and then someone already stalking in this site."""
        known = [p for p in self.perpetrators[draft.site.slug] if p[1] < 3]
        if known and self.rng.random() < 0.15:
            entry = self.rng.choice(known)
            entry[1] += 1
            return entry[0]
        person = self._person(draft, when, female_share=0.18)
        self.perpetrators[draft.site.slug].append([person, 1])
        self._perpetrator_details(person, when, town)
        return person

    def _perpetrator_details(
        self, person: Person, when: dt.datetime, town: str
    ) -> None:
        rng, add = self.rng, self.batch.add
        standard = Confidentiality.STANDARD
        kind = PersonIdentifier.Kind
        add(
            stamped(
                Address,
                when,
                person=person,
                line_1=f"{rng.randint(1, 200)} {street(rng)}",
                town=town,
                postcode=postcode(rng),
                confidentiality=standard,
            )
        )
        add(
            stamped(
                PersonIdentifier,
                when,
                person=person,
                kind=kind.PHONE,
                value=phone_number(rng),
                confidentiality=standard,
            )
        )
        extras = [
            (kind.VEHICLE, vehicle_registration(rng)),
            (
                kind.SOCIAL_MEDIA,
                f"@{person.given_name.lower()}_{rng.randint(100, 999)}",
            ),
            (
                kind.POLICE_REF,
                f"DEMO/{rng.randint(10, 25):02d}/{rng.randrange(10**6):06d}",
            ),
        ]
        for ident_kind, value in rng.sample(extras, k=rng.randint(1, 3)):
            add(
                stamped(
                    PersonIdentifier,
                    when,
                    person=person,
                    kind=ident_kind,
                    value=value,
                    confidentiality=standard,
                )
            )
        if rng.random() < 0.5:
            add(
                stamped(
                    PersonAlias,
                    when,
                    person=person,
                    kind=PersonAlias.Kind.NICKNAME,
                    name=rng.choice(data.NICKNAMES),
                )
            )
        if rng.random() < 0.3:
            add(
                stamped(
                    PersonAlias,
                    when,
                    person=person,
                    kind=PersonAlias.Kind.ALIAS,
                    name=f"{given_name(rng, person.gender)} {person.family_name}",
                )
            )

    def _participant(self, draft: Draft, person: Person, role: str) -> None:
        self.batch.add(
            stamped(
                CaseParticipant,
                draft.case.created_at,
                case=draft.case,
                person=person,
                role=role,
                added_by=draft.worker,
            )
        )

    # History ------------------------------------------------------------------

    def _history(self, draft: Draft) -> None:
        rng, case = self.rng, draft.case
        path = (
            list(STATUS_FLOW[: STATUS_FLOW.index(case.status) + 1])
            if case.status != CaseStatus.CLOSED
            else [*STATUS_FLOW[: rng.randint(1, len(STATUS_FLOW))], CaseStatus.CLOSED]
        )
        days = sorted(day_between(rng, case.referred_on, draft.end) for _ in path[1:])
        previous = ""
        for status, day in zip(path, [case.referred_on, *days], strict=True):
            self.batch.add(
                stamped(
                    StatusChange,
                    aware(day, rng.randint(9, 17), rng.randint(0, 59)),
                    case=case,
                    from_status=previous,
                    to_status=status,
                    reason=data.STATUS_REASONS.get(status, "Referral received."),
                    changed_by=draft.manager
                    if status == CaseStatus.CLOSED
                    else draft.worker,
                )
            )
            previous = status
        if case.risk_level != RiskLevel.NOT_ASSESSED:
            self._risk_history(draft, days[0] if days else case.referred_on)

    def _risk_history(self, draft: Draft, screened_on: dt.date) -> None:
        rng, case = self.rng, draft.case
        levels = [case.risk_level]
        if rng.random() < 0.35:
            levels.insert(0, rng.choice([RiskLevel.STANDARD, RiskLevel.MEDIUM]))
        previous = RiskLevel.NOT_ASSESSED
        for level in levels:
            day = (
                screened_on
                if previous == RiskLevel.NOT_ASSESSED
                else day_between(rng, screened_on, draft.end)
            )
            self.batch.add(
                stamped(
                    RiskLevelChange,
                    aware(day, rng.randint(9, 17), rng.randint(0, 59)),
                    case=case,
                    from_level=previous,
                    to_level=level,
                    reason=rng.choice(data.RISK_REASONS),
                    changed_by=draft.worker,
                )
            )
            previous = level

    # Sharing and allocation -------------------------------------------------

    def _sharing(self, draft: Draft) -> None:
        case, rng = draft.case, self.rng
        self._allocate(draft, draft.lead, draft.worker, draft.manager)
        if case.status in (CaseStatus.REFERRED, CaseStatus.SCREENING):
            return
        if draft.lead.kind == AgencyKind.POLICE:
            chances = {"probation": 0.6, "mental-health": 0.5, "advocacy": 0.8}
        else:
            chances = {"police": 0.9, "advocacy": 0.3}
        for suffix, chance in chances.items():
            partner = self.s.site_agency(draft.site.slug, suffix)
            if partner != draft.lead and rng.random() < chance:
                self._share(draft, partner)

    def _share(self, draft: Draft, partner: Agency) -> None:
        rng, case = self.rng, draft.case
        granted_on = day_between(
            rng,
            case.referred_on,
            min(draft.end, case.referred_on + dt.timedelta(days=45)),
        )
        basis, reason = rng.choice(data.SHARE_REASONS[AgencyKind(partner.kind)])
        revoked = case.closed_on is not None or rng.random() < 0.05
        self.batch.add(
            stamped(
                CaseShare,
                aware(granted_on, 11, rng.randint(0, 59)),
                case=case,
                agency=partner,
                granted_by=draft.manager,
                reason=reason.format(**draft.names()),
                lawful_basis=basis,
                compartments=SHARE_COMPARTMENTS[partner.kind],
                expires_at=aware(
                    max(
                        granted_on + dt.timedelta(days=180),
                        self.anchor + dt.timedelta(days=rng.randint(30, 150)),
                    ),
                    23,
                    59,
                ),
                revoked_at=aware(draft.end, 16, 0) if revoked else None,
                revoked_by=draft.manager if revoked else None,
            )
        )
        if not revoked:
            draft.partners.append(partner)
            self._allocate(
                draft,
                partner,
                self.s.worker(partner.slug),
                self.s.manager(partner.slug),
            )

    def _allocate(self, draft: Draft, agency: Agency, user: User, by: User) -> None:
        case = draft.case
        ended = aware(case.closed_on, 17, 0) if case.closed_on else None
        self.batch.add(
            stamped(
                CaseAllocation,
                case.created_at,
                case=case,
                user=user,
                agency=agency,
                allocated_by=by,
                ended_at=ended,
            )
        )
        if user == self.start_user and ended is None:
            self.batch.add(
                stamped(
                    Notification,
                    case.created_at,
                    recipient=user,
                    kind=Notification.Kind.ALLOCATED,
                    case_reference=case.reference,
                    message=f"Case {case.reference} has been allocated to you.",
                )
            )

    # Incidents and notes ----------------------------------------------------

    def _incidents(self, draft: Draft) -> None:
        rng, case = self.rng, draft.case
        early = case.status in (CaseStatus.REFERRED, CaseStatus.SCREENING)
        count = rng.randint(5, 12) if early else rng.randint(8, 40)
        if not draft.crime_reference and rng.random() < 0.7:
            year, number = f"{case.referred_on:%y}", rng.randrange(10**5)
            draft.crime_reference = f"DEMO/{draft.site.code}/{year}/{number:05d}"
        recorders = [(draft.worker, draft.lead)] + [
            (self.s.worker(p.slug), p)
            for p in draft.partners
            if p.kind == AgencyKind.ADVOCACY
        ]
        for _ in range(count):
            self._incident(draft, rng.choice(recorders))

    def _incident(self, draft: Draft, recorder: tuple[User, Agency]) -> None:
        rng, case = self.rng, draft.case
        template = rng.choice(data.INCIDENT_TEMPLATES)
        day = day_between(rng, case.behaviour_started_on, draft.end)
        start = aware(
            day, rng.choice([7, 8, 12, 17, 19, 21, 22, 23]), rng.randint(0, 59)
        )
        precision = rng.choices(list(TimePrecision), weights=[75, 15, 10])[0]
        now = timezone.now()
        until = (
            min(now, start + dt.timedelta(days=rng.randint(1, 10)))
            if precision == TimePrecision.RANGE
            else None
        )
        location, restricted = self._location(draft, template.place)
        reported = bool(draft.crime_reference) and rng.random() < 0.55
        words = {
            **draft.names(),
            "platform": rng.choice(data.PLATFORMS),
            "n": rng.randint(3, 60),
            "k": rng.randint(2, 6),
            "minutes": rng.choice([20, 40, 90]),
            "nth": rng.choice(["second", "third"]),
        }
        self.batch.add(
            stamped(
                Incident,
                min(now, start + dt.timedelta(hours=rng.randint(1, 72))),
                public_id=public_uuid(rng),
                case=case,
                occurred_at=start,
                occurred_until=until,
                time_precision=precision,
                behaviours=[b.value for b in template.behaviours],
                channels=[c.value for c in template.channels],
                location=location,
                location_confidentiality=Confidentiality.RESTRICTED
                if restricted
                else Confidentiality.STANDARD,
                narrative=template.narrative.format(**words),
                impact=rng.choice(data.IMPACTS).format(**words),
                reported_to_police=reported,
                crime_reference=draft.crime_reference if reported else "",
                recorded_by=recorder[0],
                recorded_by_agency=recorder[1],
            )
        )

    def _location(self, draft: Draft, place: str) -> tuple[str, bool]:
        """The incident's location, and whether it is restricted (victim's places)."""
        rng = self.rng
        if place == "home" and draft.home:
            return f"Outside {draft.home}", True
        if place == "work":
            return f"Outside the victim's workplace ({draft.workplace})", True
        if place == "online":
            return "", False
        return place.format(
            town=rng.choice(draft.site.towns), street=street(rng)
        ), False

    def _notes(self, draft: Draft) -> None:
        rng, case = self.rng, draft.case
        names = draft.names()
        writers = [
            (CaseNote.Kind.GENERAL, data.GENERAL_NOTES, draft.worker, draft.lead)
            for _ in range(rng.randint(1, 3))
        ]
        for partner in draft.partners:
            if partner.kind == AgencyKind.NHS_MENTAL_HEALTH:
                writers.append(
                    (
                        CaseNote.Kind.HEALTH,
                        data.HEALTH_NOTES,
                        self.s.worker(partner.slug),
                        partner,
                    )
                )
        police = [
            a for a in (draft.lead, *draft.partners) if a.kind == AgencyKind.POLICE
        ]
        if police and rng.random() < 0.7:
            writers.append(
                (
                    CaseNote.Kind.POLICE_INTEL,
                    data.INTEL_NOTES,
                    self.s.worker(police[0].slug),
                    police[0],
                )
            )
        for kind, texts, author, agency in writers:
            day = day_between(rng, case.referred_on, draft.end)
            self.batch.add(
                stamped(
                    CaseNote,
                    aware(day, rng.randint(9, 17), rng.randint(0, 59)),
                    case=case,
                    kind=kind,
                    text=rng.choice(texts).format(**names),
                    author=author,
                    agency=agency,
                )
            )
