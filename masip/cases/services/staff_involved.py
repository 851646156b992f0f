"""Marking a case as involving an agency's own staff, and clearing the mark.

Who may: a team manager reaching the case through its lead agency, or the
professional-standards role of an agency already marked on it (which may add
another agency and clear only its own agency's mark). The policy works out the
membership (``CaseAccess.staff_involved_marker``); the services check it again.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.access.roles import RoleName
from masip.accounts.models import Agency, Membership, Notification, User
from masip.audit.events import EventType
from masip.cases.models import Case, CaseStaffInvolvement
from masip.cases.services._common import (
    end_once,
    lock_case,
    notify,
    record_event,
    require,
)
from masip.core.errors import DomainError


def professional_standards_users(agency: Agency) -> list[User]:
    """Active professional-standards staff of the agency."""
    memberships = Membership.objects.filter(
        agency=agency,
        role=RoleName.PROFESSIONAL_STANDARDS,
        is_active=True,
        user__is_active=True,
    ).select_related("user")
    return [m.user for m in memberships]


def may_clear(actor: Actor, mark: CaseStaffInvolvement) -> bool:
    """A lead-agency manager clears any mark; professional standards only their
    own agency's."""
    if actor.membership.role == RoleName.PROFESSIONAL_STANDARDS:
        return mark.agency_id == actor.membership.agency_id
    return True


@transaction.atomic
def case_staff_involved_mark(
    *, actor: Actor, case: Case, agency: Agency, reason: str
) -> CaseStaffInvolvement:
    """Close the case to ``agency``'s staff (bar professional standards)."""
    require(actor, Permission.CASE_STAFF_INVOLVED_MARK)
    lock_case(case)
    if CaseStaffInvolvement.objects.active().filter(case=case, agency=agency).exists():
        raise DomainError(f"The case is already marked as involving {agency.name}.")
    mark = CaseStaffInvolvement.objects.create(
        case=case, agency=agency, reason=reason, marked_by=actor.user
    )
    notify(
        professional_standards_users(agency),
        kind=Notification.Kind.STAFF_INVOLVED,
        case=case,
        message=(
            f"Case {case.reference}, led by {case.lead_agency.name}, has been "
            f"marked as involving a member of {agency.name}'s staff. Only "
            "professional standards in your agency can open it."
        ),
    )
    record_event(
        EventType.CASE_STAFF_INVOLVED_SET,
        actor=actor,
        case=case,
        target_type="staff_involvement",
        target_id=mark.pk,
        changed_fields=["agency", "reason"],
    )
    return mark


@transaction.atomic
def case_staff_involved_clear(
    *, actor: Actor, mark: CaseStaffInvolvement, reason: str
) -> CaseStaffInvolvement:
    """Reopen the case to the marked agency's staff, keeping the record."""
    require(actor, Permission.CASE_STAFF_INVOLVED_MARK)
    if not may_clear(actor, mark):
        raise PermissionDenied
    mark = end_once(
        mark,
        stamp="cleared_at",
        refused="That mark has already been cleared.",
        cleared_by=actor.user,
        clear_reason=reason,
    )
    record_event(
        EventType.CASE_STAFF_INVOLVED_CLEARED,
        actor=actor,
        case=mark.case,
        target_type="staff_involvement",
        target_id=mark.pk,
        changed_fields=["cleared_at", "clear_reason"],
    )
    return mark
