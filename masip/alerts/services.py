"""Writes: recording what the detectors find, acknowledging and closing alerts."""

import datetime as dt
from enum import Enum
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest, Least
from django.utils import timezone

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.accounts.models import Notification, User
from masip.alerts import selectors
from masip.alerts.models import Alert, AlertOutcome, AlertStatus, AlertTrigger
from masip.alerts.rules.base import Finding
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.core.errors import DomainError
from masip.core.versioning import ensure_current, save_new_version

# The in-app notice's kind (accounts.Notification.Kind names it once merged).
NOTIFICATION_KIND = "security_alert"


class Recorded(Enum):
    RAISED = "raised"
    COUNTED = "counted"
    ALREADY_SEEN = "already_seen"


@transaction.atomic
def alert_record_finding(*, event: AuditEvent, finding: Finding) -> Recorded:
    """Raise an alert for ``finding``, or count it into the open one like it.

    "Like it" means the same rule, user, agency and case, last seen within
    ``MASIP_ALERT_DEDUP_HOURS``. An event already behind an alert for this rule
    is skipped, so a replay never counts twice.
    """
    if event.actor_id is None or event.agency_id is None:
        raise ValueError("An alert is about a member of staff acting for an agency.")
    user_id, agency_id = event.actor_id, event.agency_id
    # One writer per user at a time, so two findings cannot both raise.
    list(User.objects.select_for_update().filter(pk=user_id).values("pk"))
    if AlertTrigger.objects.filter(rule=finding.rule, event=event).exists():
        return Recorded.ALREADY_SEEN
    alert = _open_alert_like(event, finding, user_id=user_id, agency_id=agency_id)
    if alert is None:
        alert = _raise(event, finding, user_id=user_id, agency_id=agency_id)
        outcome = Recorded.RAISED
    else:
        Alert.objects.filter(pk=alert.pk).update(
            occurrences=F("occurrences") + 1,
            first_seen_at=Least("first_seen_at", event.occurred_at),
            last_seen_at=Greatest("last_seen_at", event.occurred_at),
        )
        outcome = Recorded.COUNTED
    AlertTrigger.objects.create(alert=alert, rule=finding.rule, event=event, fired=True)
    AlertTrigger.objects.bulk_create(
        [
            AlertTrigger(alert=alert, rule=finding.rule, event_id=pk)
            for pk in finding.evidence
        ],
        ignore_conflicts=True,
    )
    return outcome


def _open_alert_like(
    event: AuditEvent, finding: Finding, *, user_id: int, agency_id: int
) -> Alert | None:
    window = dt.timedelta(hours=settings.MASIP_ALERT_DEDUP_HOURS)
    return (
        Alert.objects.filter(
            rule=finding.rule,
            subject_id=user_id,
            agency_id=agency_id,
            case_reference=finding.case_reference,
            last_seen_at__gte=event.occurred_at - window,
        )
        .exclude(status=AlertStatus.CLOSED)
        .order_by("-last_seen_at")
        .first()
    )


def _raise(
    event: AuditEvent, finding: Finding, *, user_id: int, agency_id: int
) -> Alert:
    alert = Alert.objects.create(
        rule=finding.rule,
        agency_id=agency_id,
        subject_id=user_id,
        case_reference=finding.case_reference,
        summary=finding.summary,
        first_seen_at=event.occurred_at,
        last_seen_at=event.occurred_at,
    )
    subject = User.objects.get(pk=user_id)
    message = (
        f"Security alert about {subject.full_name}: {alert.get_rule_display()}. "
        "Review it under Security alerts."
    )
    Notification.objects.bulk_create(
        Notification(recipient=manager, kind=NOTIFICATION_KIND, message=message)
        for manager in selectors.alert_managers(
            agency_id=alert.agency_id, subject_id=alert.subject_id
        )
    )
    # No case reference on the event: the case's own access log would show it
    # to the case's managers, one of whom may be the subject.
    audit.record(
        EventType.ALERT_RAISED,
        actor=audit.SYSTEM,
        target_type="alert",
        target_id=alert.pk,
    )
    return alert


def _require_manager(actor: Actor, alert: Alert) -> None:
    """The acting membership handles alerts for the alert's agency, not about self."""
    membership = actor.membership
    if Permission.ALERT_MANAGE not in membership.role_def.permissions:
        raise PermissionDenied
    if membership.agency_id != alert.agency_id or actor.user.pk == alert.subject_id:
        raise PermissionDenied


def _locked(alert: Alert) -> Alert:
    return Alert.objects.select_for_update().get(pk=alert.pk)


def alert_current_values(alert: Alert) -> dict[str, Any]:
    return {"outcome": alert.outcome, "notes": alert.notes}


@transaction.atomic
def alert_acknowledge(*, actor: Actor, alert: Alert, version: int) -> Alert:
    """Mark an open alert as being looked at."""
    _require_manager(actor, alert)
    locked = _locked(alert)
    ensure_current(locked, version=version, current_values=alert_current_values)
    if locked.status != AlertStatus.OPEN:
        raise DomainError(
            f"This alert is already {locked.get_status_display().lower()}."
        )
    locked.status = AlertStatus.ACKNOWLEDGED
    locked.acknowledged_by = actor.user
    locked.acknowledged_at = timezone.now()
    changed = ["status", "acknowledged_by", "acknowledged_at"]
    save_new_version(locked, update_fields=changed)
    _audit(EventType.ALERT_ACKNOWLEDGED, actor, locked, changed)
    return locked


@transaction.atomic
def alert_close(
    *, actor: Actor, alert: Alert, version: int, outcome: str, notes: str
) -> Alert:
    """Close an alert with its outcome; notes are needed unless there is no concern."""
    _require_manager(actor, alert)
    if outcome not in AlertOutcome.values:
        raise DomainError("Select the outcome.")
    notes = notes.strip()
    if outcome != AlertOutcome.NO_CONCERN and not notes:
        raise DomainError("Enter notes on what was found and done.")
    locked = _locked(alert)
    ensure_current(locked, version=version, current_values=alert_current_values)
    if locked.is_closed:
        raise DomainError("This alert is already closed.")
    locked.status = AlertStatus.CLOSED
    locked.outcome = outcome
    locked.notes = notes
    locked.closed_by = actor.user
    locked.closed_at = timezone.now()
    changed = ["status", "outcome", "notes", "closed_by", "closed_at"]
    save_new_version(locked, update_fields=changed)
    _audit(EventType.ALERT_CLOSED, actor, locked, changed)
    return locked


def _audit(
    event_type: EventType, actor: Actor, alert: Alert, changed: list[str]
) -> None:
    audit.record(
        event_type,
        actor=actor.audit,
        target_type="alert",
        target_id=alert.pk,
        changed_fields=changed,
    )
