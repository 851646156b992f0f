"""Reads: the alerts a manager may see, and the events behind one alert.

A manager sees the alerts of the agencies where they hold ``ALERT_MANAGE``,
never an alert about themselves (a colleague reviews those).
"""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.access.roles import ROLES
from masip.accounts.models import Membership, User
from masip.alerts.models import Alert, AlertStatus
from masip.audit.models import AuditEvent

MANAGER_ROLES = tuple(
    role.name for role in ROLES.values() if Permission.ALERT_MANAGE in role.permissions
)


@dataclass(frozen=True)
class AlertFilters:
    status: str = ""
    rule: str = ""


def _visible(access: Access) -> QuerySet[Alert]:
    agencies = [m.agency_id for m in access.memberships_with(Permission.ALERT_MANAGE)]
    if not agencies:
        return Alert.objects.none()
    return Alert.objects.filter(agency_id__in=agencies).exclude(
        subject_id=access.user_id
    )


def alert_list_for(*, access: Access, filters: AlertFilters) -> QuerySet[Alert]:
    """Open alerts first, then acknowledged, then closed; newest first in each."""
    alerts = _visible(access).select_related("subject", "agency")
    if filters.status:
        alerts = alerts.filter(status=filters.status)
    if filters.rule:
        alerts = alerts.filter(rule=filters.rule)
    rank = Case(
        When(status=AlertStatus.OPEN, then=Value(0)),
        When(status=AlertStatus.ACKNOWLEDGED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return alerts.annotate(status_rank=rank).order_by(
        "status_rank", "-last_seen_at", "-id"
    )


def alert_get_for(*, access: Access, pk: int) -> Alert:
    """One alert the manager may see, else ``Http404`` (missing or not theirs)."""
    alert = (
        _visible(access)
        .select_related("subject", "agency", "acknowledged_by", "closed_by")
        .filter(pk=pk)
        .first()
    )
    if alert is None:
        raise Http404("No alert found.")
    return alert


def alert_membership(*, access: Access, alert: Alert) -> Membership:
    """The manager's membership in the alert's agency (they act in its name)."""
    for membership in access.memberships_with(Permission.ALERT_MANAGE):
        if membership.agency_id == alert.agency_id:
            return membership
    raise Http404("No alert found.")


def alert_events(alert: Alert) -> QuerySet[AuditEvent]:
    """The audit events behind the alert, in the order they happened."""
    return AuditEvent.objects.filter(pk__in=alert.triggers.values("event_id")).order_by(
        "seq"
    )


def alert_fired_event_ids(alert: Alert) -> set[int]:
    return set(alert.triggers.filter(fired=True).values_list("event_id", flat=True))


def alert_managers(*, agency_id: int, subject_id: int) -> QuerySet[User]:
    """Active users who handle the agency's alerts, other than the subject."""
    memberships = Membership.objects.filter(
        agency_id=agency_id, role__in=MANAGER_ROLES, is_active=True
    )
    return User.objects.filter(
        is_active=True, pk__in=memberships.values("user_id")
    ).exclude(pk=subject_id)
