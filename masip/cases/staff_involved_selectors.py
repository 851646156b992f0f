"""Reads for the staff-involved page of a case (already resolved by the policy)."""

from django.db.models import QuerySet

from masip.access.actors import Actor
from masip.access.roles import RoleName
from masip.accounts.models import Agency
from masip.cases.models import Case, CaseStaffInvolvement


def staff_involvement_list(case: Case) -> QuerySet[CaseStaffInvolvement]:
    """The marks in force on the case, by agency name."""
    return (
        CaseStaffInvolvement.objects.active()
        .filter(case=case)
        .select_related("agency", "marked_by")
        .order_by("agency__name")
    )


def staff_involvement_clearable(
    case: Case, actor: Actor
) -> QuerySet[CaseStaffInvolvement]:
    """Marks the actor may clear: any, or their own agency's for professional
    standards."""
    marks = staff_involvement_list(case)
    if actor.membership.role == RoleName.PROFESSIONAL_STANDARDS:
        return marks.filter(agency_id=actor.membership.agency_id)
    return marks


def staff_involvement_markable_agencies(case: Case) -> QuerySet[Agency]:
    """Active agencies not already marked on the case."""
    marked = CaseStaffInvolvement.objects.active().filter(case=case)
    return (
        Agency.objects.filter(is_active=True)
        .exclude(pk__in=marked.values("agency_id"))
        .order_by("name")
    )
