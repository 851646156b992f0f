"""Demo risk assessments: the lead's screen, a clinician's judgement where a
mental-health service shares the case, and the victim's check-ins where an
advocacy service does. Drawn from a random stream of their own (seeded by
the case reference), so adding them changes nothing else in the demo."""

import datetime as dt
import random

from masip.access.roles import AgencyKind
from masip.accounts.models import Agency
from masip.cases.models import RecordedAs, RiskLevel
from masip.demo.cases._base import Draft, PlannerBase
from masip.demo.synth import aware, day_between, stamped
from masip.risk.instruments import Instrument, registry
from masip.risk.models import Assessment, RiskSchedule
from masip.risk.scoring import Answer, score
from masip.risk.triggers import reassess_days

# How many plain "yes" answers put the screen in each band (docs/risk.md).
SCREEN_YES: dict[str, tuple[int, int]] = {
    RiskLevel.STANDARD: (0, 4),
    RiskLevel.MEDIUM: (5, 9),
    RiskLevel.HIGH: (10, 14),
}
FORMULATION = "Demo formulation: written for the demonstration, about no real person."
SCENARIOS = "Demo scenarios: more messages; an approach at the victim's work."
RATINGS: dict[str, str] = {
    RiskLevel.STANDARD: "low",
    RiskLevel.MEDIUM: "moderate",
    RiskLevel.HIGH: "high",
}


class RiskPlanner(PlannerBase):
    def _assessments(self, draft: Draft) -> None:
        case = draft.case
        rng = random.Random(f"masip-demo-risk-{case.reference}")  # nosec B311
        # Most demo cases are recorded as stalking; some as harassment only,
        # so that the recognition prompt (docs/risk.md) shows on some.
        case.recorded_as = rng.choices(
            [RecordedAs.STALKING, RecordedAs.HARASSMENT, RecordedAs.UNDECIDED],
            weights=[70, 15, 15],
        )[0]
        if case.risk_level == RiskLevel.NOT_ASSESSED:
            return
        first = day_between(
            rng,
            case.referred_on,
            min(draft.end, case.referred_on + dt.timedelta(days=14)),
        )
        made = [self._screen(draft, rng, first)]
        for partner in draft.partners:
            if partner.kind == AgencyKind.NHS_MENTAL_HEALTH:
                day = day_between(rng, first, draft.end)
                made.append(self._judgement(draft, rng, partner, day))
            elif partner.kind == AgencyKind.ADVOCACY:
                for _ in range(rng.randint(1, 3)):
                    self._check_in(
                        draft, rng, partner, day_between(rng, first, draft.end)
                    )
        self._schedule(draft, made)

    def _schedule(self, draft: Draft, made: list[Assessment]) -> None:
        """The next assessment is due as the latest with a level says."""
        latest = max(made, key=lambda a: a.completed_at)
        days = reassess_days()[latest.level or "standard"]
        self.batch.add(
            stamped(
                RiskSchedule,
                latest.completed_at,
                case=draft.case,
                reassess_by=latest.completed_at.date() + dt.timedelta(days=days),
                set_by=latest,
            )
        )

    def _add(
        self,
        draft: Draft,
        instrument: Instrument,
        answers: dict[str, Answer],
        agency: Agency,
        when: dt.datetime,
    ) -> Assessment:
        result = score(instrument, answers)
        assessment = stamped(
            Assessment,
            when,
            case=draft.case,
            instrument_code=instrument.code,
            instrument_version=instrument.version,
            perspective=instrument.perspective,
            scored_level=result.level or "",
            level=result.level or "",
            completed_by=draft.worker
            if agency == draft.lead
            else self.s.worker(agency.slug),
            agency=agency,
            completed_at=when,
        )
        assessment.answers = answers
        assessment.result = result.as_dict()
        self.batch.add(assessment)
        return assessment

    def _screen(self, draft: Draft, rng: random.Random, day: dt.date) -> Assessment:
        screen = registry().get("masip-stalking-screen")
        plain = [i.id for i in screen.items if i.raises_to is None]
        low, high = SCREEN_YES.get(draft.case.risk_level, (0, 4))
        yes = set(rng.sample(plain, min(rng.randint(low, high), len(plain))))
        answers: dict[str, Answer] = {
            i.id: "yes" if i.id in yes else rng.choice(["no", "no", "unknown"])
            for i in screen.items
        }
        return self._add(
            draft, screen, answers, draft.lead, aware(day, 10, rng.randint(0, 59))
        )

    def _judgement(
        self, draft: Draft, rng: random.Random, agency: Agency, day: dt.date
    ) -> Assessment:
        spj = registry().get("structured-judgement")
        top = RATINGS.get(draft.case.risk_level, "low")
        answers: dict[str, Answer] = {
            "instrument_used": rng.choice(["srp", "sam"]),
            "motivational_type": rng.choice(
                ["rejected", "resentful", "intimacy_seeking", "incompetent_suitor"]
            ),
            "risk_violence": top,
            "risk_persistence": rng.choice(["low", "moderate", top]),
            "risk_recurrence": rng.choice(["low", "moderate"]),
            "risk_psychosocial_damage": rng.choice(["low", "moderate"]),
            "formulation": FORMULATION,
            "scenarios": SCENARIOS,
            "next_review": (day + dt.timedelta(days=90)).isoformat(),
        }
        return self._add(
            draft, spj, answers, agency, aware(day, 14, rng.randint(0, 59))
        )

    def _check_in(
        self, draft: Draft, rng: random.Random, agency: Agency, day: dt.date
    ) -> None:
        check_in = registry().get("victim-check-in")
        answers: dict[str, Answer] = {
            "feeling_safe": rng.randint(1, 4),
            "feeling_supported": rng.randint(2, 5),
            "feeling_listened_to": rng.randint(2, 5),
            "fear": rng.randint(3, 10),
        }
        self._add(draft, check_in, answers, agency, aware(day, 16, rng.randint(0, 59)))
