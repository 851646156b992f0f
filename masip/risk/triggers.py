"""A change in risk makes something happen (docs/risk.md, "Triggers").

* An incident that includes a threat, violence, a weapon or a breach marks
  the case for a risk review, and so does a surge in contact: at least
  ``SURGE_MIN`` incidents in the last seven days and at least twice the
  weekly average of the four weeks before.
* An assessment that gives a level sets when the case must next be
  assessed (sooner for higher levels, ``MASIP_RISK_REASSESS_DAYS``) and
  clears the open review marks.
* A high level tells the lead agency's team managers and queues the case
  for the next multi-agency panel (once: a case waits in the queue once).

Called by the incident and assessment services inside their transactions;
recorded in the audit trail as the system's own acts.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from masip.access.roles import RoleName
from masip.accounts import notices
from masip.accounts.models import Notification, User
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.models import Case
from masip.core.templatetags.govuk import govuk_day
from masip.risk.models import Assessment, PanelQueueEntry, ReviewFlag, RiskSchedule

if TYPE_CHECKING:
    from masip.incidents.models import Incident

# A case never screened is due this many days after referral.
FIRST_SCREEN_DAYS = 14
DEFAULT_REASSESS_DAYS = {"high": 28, "medium": 56, "standard": 91}
SURGE_MIN = 3
SURGE_WINDOW = dt.timedelta(days=7)
SURGE_BASELINE = dt.timedelta(days=28)


def reassess_days() -> dict[str, int]:
    return {
        **DEFAULT_REASSESS_DAYS,
        **getattr(settings, "MASIP_RISK_REASSESS_DAYS", {}),
    }


# --- incidents ---------------------------------------------------------------------


def incident_recorded(*, case: Case, incident: Incident) -> None:
    """Mark the case for review if the incident or the recent pattern calls for it."""
    labels = incident.escalation_labels()
    if labels:
        day = govuk_day(incident.occurred_at)
        _flag(
            case,
            ReviewFlag.Kind.INCIDENT,
            f"An incident on {day} included: {'; '.join(labels).lower()}.",
            incident=incident,
        )
    # The pattern as it stands now: incidents are often recorded late and
    # out of order, so the window ends today, not at this incident.
    surge = _surge(case, timezone.now())
    if surge and not _open(case, ReviewFlag.Kind.SURGE):
        _flag(case, ReviewFlag.Kind.SURGE, surge, incident=incident)


def _surge(case: Case, at: dt.datetime) -> str | None:
    """Words for a surge in incidents up to ``at``, or None."""
    from masip.incidents.models import Incident

    recent_from = at - SURGE_WINDOW
    baseline_from = recent_from - SURGE_BASELINE
    incidents = Incident.objects.filter(case=case, occurred_at__lte=at)
    recent = incidents.filter(occurred_at__gt=recent_from).count()
    before = incidents.filter(
        occurred_at__gt=baseline_from, occurred_at__lte=recent_from
    ).count()
    weekly = before / (SURGE_BASELINE / SURGE_WINDOW)
    if recent < max(SURGE_MIN, math.ceil(2 * weekly)):
        return None
    return (
        f"{recent} incidents in the seven days to {govuk_day(at)}, against "
        f"{weekly:.1f} a week in the four weeks before."
    )


def _open(case: Case, kind: str) -> bool:
    return ReviewFlag.objects.filter(case=case, kind=kind, cleared_at=None).exists()


def _flag(case: Case, kind: str, reason: str, *, incident: Incident) -> None:
    ReviewFlag.objects.create(case=case, kind=kind, reason=reason, incident=incident)
    audit.record(
        EventType.RISK_REVIEW_FLAGGED,
        actor=audit.SYSTEM,
        target_type="case",
        target_id=case.reference,
        case_reference=case.reference,
        changed_fields=[kind],
    )


# --- assessments -------------------------------------------------------------------


def assessment_recorded(assessment: Assessment) -> None:
    """Schedule the next assessment, clear review marks, act on a high level."""
    if not assessment.level:
        return
    case = assessment.case
    days = reassess_days().get(assessment.level, DEFAULT_REASSESS_DAYS["standard"])
    due = timezone.localdate(assessment.completed_at) + dt.timedelta(days=days)
    RiskSchedule.objects.update_or_create(
        case=case, defaults={"reassess_by": due, "set_by": assessment}
    )
    ReviewFlag.objects.filter(case=case, cleared_at=None).update(
        cleared_at=timezone.now(), cleared_by=assessment
    )
    if assessment.level == "high":
        _high(case, assessment)


def _high(case: Case, assessment: Assessment) -> None:
    reason = f"Rated high risk on {govuk_day(assessment.completed_at)}."
    try:
        with transaction.atomic():
            PanelQueueEntry.objects.create(
                case=case, reason=reason, assessment=assessment
            )
    except IntegrityError:
        return  # already waiting for the panel: one entry, one notice
    audit.record(
        EventType.RISK_PANEL_QUEUED,
        actor=audit.SYSTEM,
        target_type="case",
        target_id=case.reference,
        case_reference=case.reference,
    )
    managers = User.objects.filter(
        memberships__agency_id=case.lead_agency_id,
        memberships__role=RoleName.TEAM_MANAGER,
        memberships__is_active=True,
        is_active=True,
    ).distinct()
    notices.notify(
        managers,
        kind=Notification.Kind.RISK_HIGH,
        case_reference=case.reference,
        message=f"{reason} The case is queued for the next panel.",
    )


def due_on(case: Case) -> dt.date:
    """When the case must next be assessed: its schedule, or for a case
    never assessed with a level, a fortnight after referral."""
    try:  # loaded already where the case came with select_related
        return case.risk_schedule.reassess_by
    except RiskSchedule.DoesNotExist:
        return case.referred_on + dt.timedelta(days=FIRST_SCREEN_DAYS)
