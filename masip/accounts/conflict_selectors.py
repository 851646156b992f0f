"""Reads of declared conflicts of interest: one's own, and one's staff's."""

from django.db.models import F, Q, QuerySet

from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.access.roles import RoleName
from masip.accounts.models import ConflictDeclaration, Membership, User

# Declarations in force (not withdrawn) first, on SQLite and PostgreSQL alike.
IN_FORCE_FIRST = F("withdrawn_at").desc(nulls_first=True)


def conflict_list_for_user(user: User) -> QuerySet[ConflictDeclaration]:
    """The user's own declarations, in force first, newest first."""
    return ConflictDeclaration.objects.filter(user=user).order_by(
        IN_FORCE_FIRST, "-declared_at", "-id"
    )


def conflict_get_own(user: User, pk: int) -> ConflictDeclaration | None:
    return ConflictDeclaration.objects.filter(user=user, pk=pk).first()


def _staff_q(manager: Membership) -> Q:
    """Memberships whose holders are this manager's staff: their team, for a
    team manager who leads one; otherwise the whole agency."""
    staff = Q(agency_id=manager.agency_id, is_active=True)
    if manager.role == RoleName.TEAM_MANAGER and manager.team_id is not None:
        staff &= Q(team_id=manager.team_id)
    return staff


def conflict_list_for_staff(access: Access) -> QuerySet[ConflictDeclaration]:
    """Declarations of the staff of every membership granting the verb."""
    managers = access.memberships_with(Permission.CONFLICT_VIEW_STAFF)
    if not managers:
        return ConflictDeclaration.objects.none()
    staff = Q()
    for manager in managers:
        staff |= _staff_q(manager)
    users = Membership.objects.filter(staff).values("user_id")
    return (
        ConflictDeclaration.objects.filter(user_id__in=users)
        .select_related("user")
        .order_by("user__full_name", IN_FORCE_FIRST, "-declared_at", "-id")
    )
