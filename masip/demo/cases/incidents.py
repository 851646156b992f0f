"""Demo incidents and case notes (some sealed: health, police intelligence)."""

import datetime as dt

from django.utils import timezone

from masip.access.roles import AgencyKind
from masip.accounts.models import Agency, User
from masip.cases.models import CaseNote, CaseStatus
from masip.demo import data
from masip.demo.cases._base import Draft, PlannerBase
from masip.demo.synth import aware, day_between, public_uuid, stamped, street
from masip.incidents.models import Incident, TimePrecision
from masip.people.models import Confidentiality


class IncidentPlanner(PlannerBase):
    """Adds a case's incidents and notes."""

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
        day = day_between(rng, draft.started, draft.end)
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
        writers: list[tuple[CaseNote.Kind, tuple[str, ...], User, Agency]] = [
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
