"""Demo interventions and custody: on a few open cases of each site, probation
supervision and a perpetrator programme with its sessions; on the first, the
person who stalks on remand with a release expected in ten days (so the
release alert and the dashboard have something to show).

Idempotent: a case that already has an intervention is left as it is.
Synthetic data only.
"""

import datetime as dt

from masip.cases.models import Case, CaseStatus, ParticipantRole
from masip.demo.structure import Structure
from masip.interventions.models import Custody, Intervention, InterventionSession
from masip.people.models import Person

CASES_PER_SITE = 3
RELEASE_IN_DAYS = 10
ATTENDANCE = (
    InterventionSession.Attendance.ATTENDED,
    InterventionSession.Attendance.ATTENDED,
    InterventionSession.Attendance.MISSED_NO_REASON,
    InterventionSession.Attendance.ATTENDED,
    InterventionSession.Attendance.CANCELLED,
    InterventionSession.Attendance.ATTENDED,
)
PROGRAMME_NOTE = "Demo: took part in the group work; written for the demonstration."


def ensure_interventions(structure: Structure, *, anchor: dt.date) -> None:
    """Interventions on the first few open cases of each site, once."""
    for slug in structure.sites:
        for index, (case, perpetrator) in enumerate(_site_cases(slug)):
            if case.interventions.exists():
                continue
            _interventions(structure, slug, case, perpetrator, anchor=anchor)
            if index == 0:
                _custody(case, perpetrator, anchor=anchor)


def _site_cases(site_slug: str) -> list[tuple[Case, Person]]:
    cases = (
        Case.objects.filter(lead_agency__site__slug=site_slug)
        .exclude(status=CaseStatus.CLOSED)
        .order_by("reference")
    )
    found = []
    for case in cases:
        participant = (
            case.participants.filter(role=ParticipantRole.PERPETRATOR)
            .select_related("person")
            .first()
        )
        if participant is not None:
            found.append((case, participant.person))
        if len(found) == CASES_PER_SITE:
            break
    return found


def _interventions(
    structure: Structure, slug: str, case: Case, perpetrator: Person, *, anchor: dt.date
) -> None:
    probation = structure.site_agency(slug, "probation")
    officer = structure.manager(probation.slug)
    Intervention.objects.create(
        case=case,
        subject=perpetrator,
        kind=Intervention.Kind.PROBATION_SUPERVISION,
        provider_agency=probation,
        practitioner="Demo probation officer",
        started_on=anchor - dt.timedelta(days=120),
        planned_end_on=anchor + dt.timedelta(days=245),
        status=Intervention.Status.ACTIVE,
        engagement=Intervention.Engagement.PARTIAL,
        engagement_rated_on=anchor - dt.timedelta(days=14),
        recorded_by=officer,
        recorded_by_agency=probation,
    )
    programme = Intervention.objects.create(
        case=case,
        subject=perpetrator,
        kind=Intervention.Kind.PERPETRATOR_PROGRAMME,
        provider_agency=probation,
        practitioner="Demo programme facilitator",
        started_on=anchor - dt.timedelta(days=45),
        planned_end_on=anchor + dt.timedelta(days=60),
        status=Intervention.Status.ACTIVE,
        engagement=Intervention.Engagement.GOOD,
        engagement_rated_on=anchor - dt.timedelta(days=7),
        recorded_by=officer,
        recorded_by_agency=probation,
    )
    InterventionSession.objects.bulk_create(
        InterventionSession(
            intervention=programme,
            on=anchor - dt.timedelta(days=42 - 7 * week),
            attendance=attendance,
            note=PROGRAMME_NOTE
            if attendance == InterventionSession.Attendance.ATTENDED
            else "",
            recorded_by=officer,
        )
        for week, attendance in enumerate(ATTENDANCE)
    )


def _custody(case: Case, perpetrator: Person, *, anchor: dt.date) -> None:
    police = case.lead_agency
    Custody.objects.create(
        case=case,
        subject=perpetrator,
        kind=Custody.Kind.REMAND,
        establishment="HMP Demo (a fictional prison)",
        started_on=anchor - dt.timedelta(days=30),
        expected_release_on=anchor + dt.timedelta(days=RELEASE_IN_DAYS),
        recorded_by=case.created_by,
        recorded_by_agency=police,
    )
