"""Recognising stalking (docs/risk.md, "Recognising stalking").

Stalking is harassment that is fixated, obsessive, unwanted and repeated
(FOUR). Inspections found it often recorded as harassment only. When the
incidents recorded on a case show a course of conduct (incidents on two or
more days) that includes the behaviours the law gives as examples of
stalking (s2A(3) of the Protection from Harassment Act 1997: following,
contacting, publishing, monitoring, loitering, interfering with property,
watching), and the case is recorded as harassment only, the incident and
case pages say so and why, and ask for a decision. A decision recorded after
the latest incident stops the prompt until another incident arrives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from masip.cases.models import Case, RecordedAs

# A course of conduct needs at least two occasions.
MIN_DAYS = 2


@dataclass(frozen=True)
class Pattern:
    days: int
    first: dt.date | None
    last: dt.date | None
    behaviours: list[str]  # labels of the statutory examples seen
    escalations: list[str]  # labels of threats, violence, breaches seen

    @property
    def meets(self) -> bool:
        return self.days >= MIN_DAYS and bool(self.behaviours)

    def reasons(self) -> list[str]:
        found = [
            f"Incidents on {self.days} different days, from {_day(self.first)} to "
            f"{_day(self.last)}: a course of conduct needs two or more occasions.",
            "Behaviours the law gives as examples of stalking (section 2A(3) of "
            "the Protection from Harassment Act 1997): "
            + ", ".join(b.lower() for b in self.behaviours)
            + ".",
        ]
        if self.escalations:
            found.append(
                "Some incidents included "
                + ", ".join(e.lower() for e in self.escalations)
                + ", which may make it stalking involving fear of violence "
                "(section 4A)."
            )
        return found


@dataclass(frozen=True)
class Prompt:
    pattern: Pattern


def pattern_of(case: Case) -> Pattern:
    from masip.incidents.models import Behaviour, Escalation

    days: set[dt.date] = set()
    behaviours: set[str] = set()
    escalations: set[str] = set()
    for occurred, codes, raised in case.incidents.values_list(
        "occurred_at", "behaviours", "escalations"
    ):
        days.add(timezone.localdate(occurred))
        behaviours.update(c for c in codes if c != Behaviour.OTHER)
        escalations.update(raised or ())
    return Pattern(
        days=len(days),
        first=min(days, default=None),
        last=max(days, default=None),
        behaviours=[str(b.label) for b in Behaviour if b.value in behaviours],
        escalations=[str(e.label) for e in Escalation if e.value in escalations],
    )


def prompt_for(case: Case) -> Prompt | None:
    """The recognition prompt for the case, if its pages should show one."""
    if case.recorded_as != RecordedAs.HARASSMENT:
        return None
    pattern = pattern_of(case)
    if not pattern.meets:
        return None
    from masip.risk.models import RecognitionDecision

    latest = case.incidents.order_by("-created_at").values_list("created_at", flat=True)
    decided = RecognitionDecision.objects.filter(case=case).order_by("-decided_at")
    last_decision = decided.values_list("decided_at", flat=True).first()
    newest_incident = latest.first()
    if last_decision and newest_incident and last_decision > newest_incident:
        return None
    return Prompt(pattern)


def _day(value: dt.date | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""
