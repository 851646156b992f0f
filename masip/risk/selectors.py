"""Reading risk assessments: the case's risk picture (docs/risk.md).

Every agency's latest assessment of each instrument side by side, with its
date, author and agency; where the views differ the picture says so and
shows them, and never averages them. Answers held in a compartment (health)
are read only by agencies that see it, or by the agency that recorded them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from masip.access.permissions import Compartment, Permission
from masip.access.policy import Access, CaseAccess
from masip.cases.models import Case, CaseStatus, RiskLevel, RiskLevelChange
from masip.risk.instruments import Instrument, registry
from masip.risk.models import Assessment, PanelQueueEntry, ReviewFlag, RiskSchedule
from masip.risk.triggers import FIRST_SCREEN_DAYS, due_on

# The order of the columns: the agencies' angles, then the victim's own.
PERSPECTIVES = ("police", "probation", "clinician", "advocate", "any", "victim")
LEVEL_RANK = {"standard": 0, "medium": 1, "high": 2}
# A victim's fear at or above this (0 to 10) is shown against any lower view.
HIGH_FEAR = 7


@dataclass(frozen=True)
class View:
    """One agency's latest assessment with one instrument on the case."""

    assessment: Assessment
    instrument: Instrument | None  # None if its version is no longer installed
    answers_visible: bool

    @property
    def title(self) -> str:
        if self.instrument is not None:
            return self.instrument.title
        return self.assessment.instrument_code


@dataclass(frozen=True)
class VictimMeasures:
    completed_at: object
    safe: int | None
    supported: int | None
    listened_to: int | None
    fear: int | None


@dataclass(frozen=True)
class RiskPicture:
    case_level: str
    case_level_change: RiskLevelChange | None
    reassess_by: dt.date
    overdue: bool
    flags: list[ReviewFlag]  # open review marks, newest first
    panel: PanelQueueEntry | None  # waiting for the next panel
    views: list[View]
    differences: list[str]
    history: list[Assessment]  # every assessment with a level, oldest first
    victim: list[VictimMeasures]  # check-ins, oldest first


def instrument_of(assessment: Assessment) -> Instrument | None:
    try:
        return registry().get(assessment.instrument_code, assessment.instrument_version)
    except KeyError:
        return None


def answers_visible(
    case_access: CaseAccess, assessment: Assessment, instrument: Instrument | None
) -> bool:
    compartment = instrument.compartment if instrument else Compartment.HEALTH.value
    if compartment is None or case_access.sees(Compartment(compartment)):
        return True
    reader = case_access.acting_membership(Permission.RISK_VIEW)
    return reader.agency_id == assessment.agency_id


def answer_rows(
    instrument: Instrument, answers: dict[str, Any]
) -> list[tuple[str, str]]:
    """(question, answer in words) for each item, in order: what the
    assessment pages and the panel packs show of an assessment's answers."""
    words = {"yes": "Yes", "no": "No", "unknown": "Not known"}
    rows = []
    for item in instrument.items:
        value = answers.get(item.id)
        if value is None:
            shown = "Not answered"
        elif item.answer == "choice":
            shown = next(
                (c.label for c in item.choices if c.value == value), str(value)
            )
        elif item.answer == "scale":
            shown = f"{value} (from {item.minimum} to {item.maximum})"
        else:
            shown = words.get(str(value), str(value))
        rows.append((item.text or item.topic, shown))
    return rows


def assessment_get(*, case: Case, public_id: uuid.UUID) -> Assessment:
    found = (
        Assessment.objects.filter(case=case, public_id=public_id)
        .select_related("completed_by", "agency")
        .first()
    )
    if found is None:
        raise Http404("No such assessment.")
    return found


def risk_picture(*, case: Case, case_access: CaseAccess) -> RiskPicture:
    assessments = list(
        Assessment.objects.filter(case=case)
        .select_related("completed_by", "agency")
        .order_by("completed_at", "id")
    )
    # Each agency's latest of each instrument: two agencies screening the
    # same case are two views, side by side.
    latest: dict[tuple[int, str], Assessment] = {}
    for assessment in assessments:
        latest[(assessment.agency_id, assessment.instrument_code)] = assessment
    views = [
        View(a, inst, answers_visible(case_access, a, inst))
        for a in latest.values()
        for inst in [instrument_of(a)]
    ]
    views.sort(
        key=lambda v: (
            _column(v.assessment.perspective),
            v.title,
            v.assessment.agency.name,
        )
    )
    victim = [_measures(a) for a in assessments if a.instrument_code == CHECK_IN]
    due = due_on(case)
    return RiskPicture(
        case_level=case.risk_level,
        case_level_change=case.risk_changes.select_related("changed_by").first(),
        reassess_by=due,
        overdue=due < timezone.localdate(),
        flags=list(ReviewFlag.objects.filter(case=case, cleared_at=None)),
        panel=PanelQueueEntry.objects.filter(case=case, taken_at=None).first(),
        views=views,
        differences=_differences(views, victim),
        history=[a for a in assessments if a.level],
        victim=victim,
    )


CHECK_IN = "victim-check-in"


def _column(perspective: str) -> int:
    return PERSPECTIVES.index(perspective) if perspective in PERSPECTIVES else 99


def _measures(assessment: Assessment) -> VictimMeasures:
    answers = assessment.answers

    def number(key: str) -> int | None:
        value = answers.get(key)
        return value if isinstance(value, int) else None

    return VictimMeasures(
        completed_at=assessment.completed_at,
        safe=number("feeling_safe"),
        supported=number("feeling_supported"),
        listened_to=number("feeling_listened_to"),
        fear=number("fear"),
    )


def _differences(views: Sequence[View], victim: Sequence[VictimMeasures]) -> list[str]:
    levelled = [v for v in views if v.assessment.level in LEVEL_RANK]
    found: list[str] = []
    if len({v.assessment.level for v in levelled}) > 1:
        found.append(
            "The latest assessments give different levels: "
            + "; ".join(f"{v.title} {_label(v.assessment.level)}" for v in levelled)
            + ". They are shown side by side, not averaged."
        )
    fear = victim[-1].fear if victim else None
    lower = [v for v in levelled if v.assessment.level == "standard"]
    if fear is not None and fear >= HIGH_FEAR and lower:
        found.append(
            f"The victim's latest fear rating is {fear} out of 10, while "
            + " and ".join(v.title for v in lower)
            + " gives standard."
        )
    return found


def _label(level: str) -> str:
    return str(RiskLevel(level).label).lower() if level in RiskLevel.values else level


def overdue_cases(access: Access) -> QuerySet[Case]:
    """Open cases led by the user's agencies whose risk assessment is due:
    past their reassessment date, or never assessed with a level a
    fortnight after referral, or marked for review. Most overdue first."""
    today = timezone.localdate()
    agencies = [m.agency_id for m in access.memberships_with(Permission.RISK_VIEW)]
    assessed = Assessment.objects.filter(case=OuterRef("pk")).exclude(level="")
    flagged = ReviewFlag.objects.filter(case=OuterRef("pk"), cleared_at=None)
    due = RiskSchedule.objects.filter(case=OuterRef("pk"), reassess_by__lt=today)
    never = ~Exists(assessed) & Q(
        referred_on__lt=today - dt.timedelta(days=FIRST_SCREEN_DAYS)
    )
    return (
        access.visible_cases_granting(Permission.RISK_VIEW)
        .filter(lead_agency_id__in=agencies)
        .exclude(status=CaseStatus.CLOSED)
        .filter(Exists(due) | Exists(flagged) | never)
        .select_related("lead_agency", "risk_schedule")
        .order_by("risk_schedule__reassess_by", "referred_on")
    )


@dataclass(frozen=True)
class OverdueRow:
    case: Case
    due: dt.date
    flags: list[ReviewFlag]


def overdue_rows(cases: list[Case]) -> list[OverdueRow]:
    flags: dict[int, list[ReviewFlag]] = {}
    for flag in ReviewFlag.objects.filter(case__in=cases, cleared_at=None):
        flags.setdefault(flag.case_id, []).append(flag)
    return [OverdueRow(case, due_on(case), flags.get(case.pk, [])) for case in cases]
