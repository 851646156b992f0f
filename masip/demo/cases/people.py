"""Demo people: victims, people who stalk, their details and parts in a case."""

import datetime as dt

from masip.cases.models import CaseParticipant, ParticipantRole
from masip.demo import data
from masip.demo.cases._base import Draft, PlannerBase
from masip.demo.synth import (
    draw_gender,
    family_name,
    given_name,
    phone_number,
    postcode,
    public_uuid,
    stamped,
    street,
    vehicle_registration,
)
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


class PeoplePlanner(PlannerBase):
    """Adds the people of a case, with addresses, identifiers and aliases."""

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
