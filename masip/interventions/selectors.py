"""Reading interventions and custody: a case's own (the case already resolved
by the access module), the releases coming up across cases (the protection
dashboard), and the events the case timeline shows.

A treatment's practitioner, engagement, sessions and outcome are health
information: ``health_withheld`` says when a reader may not see them, and the
rows and history built here leave them out for that reader.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from masip.access.permissions import Compartment, Permission
from masip.access.policy import CaseAccess
from masip.access.roles import AgencyKind
from masip.accounts.models import Agency
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.audit.presenters import EventRow, present
from masip.cases.models import Case, CaseShare, ParticipantRole
from masip.core.templatetags.govuk import govuk_day
from masip.interventions.models import Custody, Intervention, InterventionSession
from masip.people.models import Person

# Fields of an intervention that are health information for treatment kinds.
HEALTH_FIELDS = frozenset(
    {"practitioner", "engagement", "engagement_rated_on", "outcome", "outcome_note"}
)
# Agencies that deliver no interventions.
NOT_PROVIDERS = (AgencyKind.HELPLINE, AgencyKind.PROGRAMME_OFFICE)
INTERVENTION_TARGET = "intervention"
CUSTODY_TARGET = "custody"


# Choices -------------------------------------------------------------------


def case_perpetrators(*, case: Case) -> QuerySet[Person]:
    """The people recorded on the case as the person who stalks."""
    return (
        Person.objects.filter(
            participations__case=case,
            participations__role=ParticipantRole.PERPETRATOR,
        )
        .distinct()
        .order_by("family_name", "given_name", "id")
    )


def provider_agencies(*, case: Case) -> QuerySet[Agency]:
    """Agencies that may deliver an intervention on the case: the active
    agencies of the lead agency's site, the lead agency and the agencies the
    case is shared with now (helplines and programme offices deliver none)."""
    shared = CaseShare.objects.active().filter(case=case).values("agency_id")
    near = Q(pk=case.lead_agency_id) | Q(pk__in=shared)
    site_id = case.lead_agency.site_id
    if site_id is not None:
        near |= Q(site_id=site_id)
    return (
        Agency.objects.filter(near, is_active=True)
        .exclude(kind__in=NOT_PROVIDERS)
        .order_by("name")
    )


# One case ------------------------------------------------------------------


def health_withheld(intervention: Intervention, case_access: CaseAccess) -> bool:
    """Whether the reader may not see the intervention's health details."""
    return intervention.is_treatment and not case_access.sees(Compartment.HEALTH)


def attendance_rate(attended: int, missed: int) -> int | None:
    """Sessions attended as a whole percentage of those attended or missed
    (provider cancellations do not count); ``None`` before any."""
    counted = attended + missed
    if not counted:
        return None
    return round(100 * attended / counted)


def case_interventions(*, case: Case) -> QuerySet[Intervention]:
    """The case's interventions, open first then latest started, each with
    its attended and missed session counts (one query)."""
    return (
        Intervention.objects.filter(case=case)
        .select_related("subject", "provider_agency", "recorded_by_agency")
        .annotate(
            attended_count=Count(
                "sessions",
                filter=Q(sessions__attendance=InterventionSession.Attendance.ATTENDED),
            ),
            missed_count=Count(
                "sessions",
                filter=Q(sessions__attendance__in=InterventionSession.MISSED),
            ),
        )
        .order_by("-started_on", "-id")
    )


@dataclass(frozen=True)
class InterventionRow:
    intervention: Intervention
    # The reader may not see its health details (a treatment, no compartment).
    withheld: bool
    attended: int
    missed: int

    @property
    def rate(self) -> int | None:
        return attendance_rate(self.attended, self.missed)


def intervention_rows(
    interventions: QuerySet[Intervention], case_access: CaseAccess
) -> list[InterventionRow]:
    """Rows for the list: open interventions first."""
    rows = [intervention_row(item, case_access) for item in interventions]
    return sorted(rows, key=lambda r: not r.intervention.is_open)


def intervention_get_in_case(*, case: Case, public_id: uuid.UUID) -> Intervention:
    """The intervention (with its session counts) if it belongs to ``case``;
    otherwise ``Http404``."""
    found = (
        case_interventions(case=case)
        .select_related("recorded_by")
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise Http404("No intervention found.")
    return found


def intervention_row(
    intervention: Intervention, case_access: CaseAccess
) -> InterventionRow:
    """One intervention's row (from ``intervention_get_in_case``)."""
    return InterventionRow(
        intervention=intervention,
        withheld=health_withheld(intervention, case_access),
        attended=getattr(intervention, "attended_count", 0),
        missed=getattr(intervention, "missed_count", 0),
    )


def intervention_sessions(intervention: Intervention) -> QuerySet[InterventionSession]:
    """Its sessions, latest first."""
    return intervention.sessions.select_related("recorded_by").order_by("-on", "-id")


def _history(
    case: Case, target_type: str, public_id: uuid.UUID, *, hide: frozenset[str]
) -> list[EventRow]:
    events = AuditEvent.objects.filter(
        case_reference=case.reference,
        target_type=target_type,
        target_id=str(public_id),
    ).exclude(event_type=EventType.INTERVENTION_VIEWED)
    rows = []
    for event in events.order_by("-seq"):
        shown = [name for name in event.changed_fields if name not in hide]
        if hide and event.changed_fields and not shown:
            continue  # a change to health details only
        event.changed_fields = shown
        rows.append(present(event))
    return rows


def intervention_history(
    *, case: Case, intervention: Intervention, withheld: bool
) -> list[EventRow]:
    """Who recorded and changed the intervention, latest first (field names
    only; for a reader who may not see health details, changes to those
    alone are left out)."""
    hide = HEALTH_FIELDS | {"sessions"} if withheld else frozenset()
    return _history(case, INTERVENTION_TARGET, intervention.public_id, hide=hide)


def custody_history(*, case: Case, custody: Custody) -> list[EventRow]:
    """Who recorded and changed the custody period, and the alerts sent."""
    return _history(case, CUSTODY_TARGET, custody.public_id, hide=frozenset())


def case_custody(*, case: Case) -> QuerySet[Custody]:
    """The case's periods in custody, latest first."""
    return (
        Custody.objects.filter(case=case)
        .select_related("subject", "recorded_by_agency")
        .order_by("-started_on", "-id")
    )


def custody_get_in_case(*, case: Case, public_id: uuid.UUID) -> Custody:
    """The custody period if it belongs to ``case``; otherwise ``Http404``."""
    found = (
        case_custody(case=case)
        .select_related("recorded_by")
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise Http404("No custody period found.")
    return found


def next_release(custody: list[Custody], *, today: dt.date) -> Custody | None:
    """The period still in custody with the soonest expected release from
    ``today`` on."""
    coming = [
        c
        for c in custody
        if c.in_custody
        and c.expected_release_on is not None
        and c.expected_release_on >= today
    ]
    return min(coming, key=lambda c: (c.expected_release_on, c.pk), default=None)


# Across cases ----------------------------------------------------------------


def releases_upcoming(
    cases: QuerySet[Case],
    *,
    today: dt.date,
    within_days: int,
    agency: Agency | None = None,
) -> QuerySet[Custody]:
    """Periods in custody on ``cases`` (those the reader may see) with an
    expected release from ``today`` to ``within_days`` days on, soonest first;
    ``agency`` keeps those it recorded. One query however many rows."""
    found = Custody.objects.filter(
        case__in=cases,
        released_on__isnull=True,
        expected_release_on__gte=today,
        expected_release_on__lte=today + dt.timedelta(days=within_days),
    )
    if agency is not None:
        found = found.filter(recorded_by_agency=agency)
    return found.select_related(
        "case", "case__lead_agency", "subject", "recorded_by_agency"
    ).order_by("expected_release_on", "id")


# The case timeline -----------------------------------------------------------


@dataclass(frozen=True)
class InterventionEvent:
    """Something that happened to an intervention or a custody period."""

    on: dt.date
    title: str
    byline: str
    link: str
    note: str = ""
    # Sorts events of one day: starts before ends.
    order: int = 0


_ENDED: dict[str, str] = {
    Intervention.Status.COMPLETED: "completed",
    Intervention.Status.ENDED_EARLY: "ended early",
    Intervention.Status.DECLINED: "declined",
}
_STARTED = (
    Intervention.Status.ACTIVE,
    Intervention.Status.COMPLETED,
    Intervention.Status.ENDED_EARLY,
)


def _intervention_events(
    case: Case, case_access: CaseAccess
) -> list[InterventionEvent]:
    events = []
    for item in Intervention.objects.filter(case=case).select_related(
        "provider_agency"
    ):
        link = reverse(
            "interventions:detail",
            kwargs={"reference": case.reference, "public_id": item.public_id},
        )
        kind, provider = item.get_kind_display(), item.provider_agency.name
        if item.status in _STARTED:
            events.append(
                InterventionEvent(
                    on=item.started_on,
                    title=f"{kind} started",
                    byline=f"with {provider}",
                    link=link,
                )
            )
        if item.ended_on is not None:
            withheld = health_withheld(item, case_access)
            events.append(
                InterventionEvent(
                    on=item.ended_on,
                    title=f"{kind} {_ENDED.get(item.status, 'ended')}",
                    byline=f"with {provider}",
                    link=link,
                    note="" if withheld else f"Outcome: {item.get_outcome_display()}",
                    order=1,
                )
            )
    return events


def _custody_events(case: Case) -> list[InterventionEvent]:
    events = []
    for period in Custody.objects.filter(case=case):
        link = reverse(
            "interventions:custody-detail",
            kwargs={"reference": case.reference, "public_id": period.public_id},
        )
        expected = (
            f"Expected release: {govuk_day(period.expected_release_on)}"
            if period.expected_release_on and period.in_custody
            else ""
        )
        events.append(
            InterventionEvent(
                on=period.started_on,
                title=f"Taken into custody: {period.get_kind_display().lower()}",
                byline=period.establishment,
                link=link,
                note=expected,
            )
        )
        if period.released_on is not None:
            events.append(
                InterventionEvent(
                    on=period.released_on,
                    title="Released from custody",
                    byline=period.get_release_kind_display(),
                    link=link,
                    order=1,
                )
            )
    return events


def case_intervention_events(
    *, case: Case, case_access: CaseAccess
) -> list[InterventionEvent]:
    """Interventions started and ended, custody begun and ended, newest first."""
    events = _intervention_events(case, case_access) + _custody_events(case)
    events.sort(key=lambda e: (e.on, e.order), reverse=True)
    return events


def intervention_timeline_context(
    case: Case, case_access: CaseAccess
) -> dict[str, Any]:
    """What the case timeline page needs to show interventions and custody
    (nothing for readers without INTERVENTION_VIEW); include
    ``interventions/_timeline.html``."""
    if not case_access.can(Permission.INTERVENTION_VIEW):
        return {}
    return {
        "intervention_events": case_intervention_events(
            case=case, case_access=case_access
        )
    }
