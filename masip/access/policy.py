"""The access policy: which cases a user reaches, and what they may do there.

This module is the only door. ``Access`` is built once per request (see
``middleware.py``) and answers, for its user:

* ``visible_cases()``: every case the user may open (lists, search);
* ``case_for(reference, need=...)``: one case, or ``Http404`` when it is
  missing *or* out of reach, so the two cannot be told apart; then
  ``PermissionDenied`` if the case is in reach but the verb is not granted;
* ``case_access(case)``: the verbs and compartments the user holds there.

Rules that keep it honest (docs/access-control.md has the table):

1. Reach and verb come from the same membership: a manager in agency A who is
   a worker in agency B has only worker verbs on B's cases.
2. List and detail share one predicate: ``_membership_q`` builds the reach of
   one membership; ``visible_cases`` ORs them and ``case_access`` asks the
   database which of them match the case, in one query.
3. Children (people, incidents, notes) are reached only through their case.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from masip.access.permissions import Compartment, Permission, Scope
from masip.access.roles import AGENCY_COMPARTMENTS, AgencyKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from masip.accounts.models import Membership, User
    from masip.cases.models import Case, CaseShare


@dataclass(frozen=True)
class Reach:
    """One membership's way into one case."""

    membership: "Membership"
    via: str  # "lead", "share", "site", "all", "own", "break_glass"
    compartments: frozenset[Compartment]


@dataclass(frozen=True)
class CaseAccess:
    """What the user may do on one case, and which compartments they see."""

    case: "Case"
    reaches: tuple[Reach, ...]

    @cached_property
    def permissions(self) -> frozenset[Permission]:
        perms: set[Permission] = set()
        for reach in self.reaches:
            perms |= reach.membership.role_def.permissions
        return frozenset(perms)

    @cached_property
    def compartments(self) -> frozenset[Compartment]:
        result: set[Compartment] = set()
        for reach in self.reaches:
            result |= reach.compartments
        return frozenset(result)

    @property
    def requires_purpose(self) -> bool:
        # A purpose is needed only when every way in demands one.
        return all(r.membership.role_def.requires_purpose for r in self.reaches)

    @property
    def via_break_glass(self) -> bool:
        return all(r.via == "break_glass" for r in self.reaches)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def sees(self, compartment: Compartment) -> bool:
        return compartment in self.compartments

    def acting_membership(self, permission: Permission) -> "Membership":
        """The membership in whose name the user does ``permission`` here."""
        for reach in self.reaches:
            if permission in reach.membership.role_def.permissions:
                return reach.membership
        raise PermissionDenied

    @cached_property
    def flags(self) -> dict[str, bool]:
        """Flags for templates: ``can.case_edit`` and ``can.sees_health`` style."""
        flags = {p.value: p in self.permissions for p in Permission}
        flags.update({f"sees_{c.value}": c in self.compartments for c in Compartment})
        return flags


class Access:
    """The access decisions for one user, computed once per request."""

    def __init__(self, user: "User | AnonymousUser") -> None:
        # Anonymous too: the templates of public pages read ``access`` (it
        # has no memberships, so it reaches nothing).
        self.user = user

    @property
    def user_id(self) -> int:
        """The user's id, asked for only once memberships show who they are."""
        assert self.user.is_authenticated
        return self.user.pk

    @cached_property
    def memberships(self) -> list["Membership"]:
        if not self.user.is_authenticated or not self.user.is_active:
            return []
        from masip.accounts.models import Membership

        return list(
            Membership.objects.filter(
                user=self.user, is_active=True, agency__is_active=True
            ).select_related("agency", "agency__site", "team")
        )

    # Verbs that do not depend on a case -------------------------------------

    def has(self, permission: Permission) -> bool:
        return any(permission in m.role_def.permissions for m in self.memberships)

    def memberships_with(self, permission: Permission) -> list["Membership"]:
        return [m for m in self.memberships if permission in m.role_def.permissions]

    def require(self, permission: Permission) -> "Membership":
        """The first membership granting ``permission``, else ``PermissionDenied``."""
        for membership in self.memberships_with(permission):
            return membership
        raise PermissionDenied

    # Reach --------------------------------------------------------------------

    def _membership_q(self, membership: "Membership") -> Q:
        """The cases one membership reaches by its role's scope."""
        from masip.cases.models import CaseShare

        scope = membership.role_def.scope
        if scope == Scope.ALL:
            # Every case.
            return Q(pk__isnull=False)
        if scope == Scope.AGENCY:
            # Led by the agency, or shared with it and not expired or revoked.
            shared = CaseShare.objects.active().filter(agency_id=membership.agency_id)
            return Q(lead_agency_id=membership.agency_id) | Q(
                pk__in=shared.values("case_id")
            )
        if scope == Scope.SITE and membership.agency.site_id is not None:
            # Led by any agency of the same site.
            return Q(lead_agency__site_id=membership.agency.site_id)
        if scope == Scope.OWN_REFERRALS:
            # Referred by this user.
            return Q(created_by_id=membership.user_id)
        # Scope.NONE, or SITE for a national agency: nothing.
        return Q(pk__isnull=True)

    def _break_glass_q(self) -> Q:
        from masip.cases.models import BreakGlassGrant

        # Only grants made in the name of an agency the user still works for.
        grants = BreakGlassGrant.objects.filter(
            user_id=self.user_id,
            expires_at__gt=timezone.now(),
            agency_id__in=[m.agency_id for m in self.memberships],
        )
        return Q(pk__in=grants.values("case_id"))

    def visible_cases(self) -> QuerySet["Case"]:
        from masip.cases.models import Case

        if not self.memberships:
            return Case.objects.none()
        reach = self._break_glass_q()
        for membership in self.memberships:
            reach |= self._membership_q(membership)
        return Case.objects.filter(reach)

    def visible_cases_granting(self, permission: Permission) -> QuerySet["Case"]:
        """Visible cases reached through a membership that grants ``permission``.

        For bulk verbs such as exports (rule 1): a manager in agency A who is a
        worker in agency B exports A's cases, not B's. Break-the-glass grants
        open one case in an emergency and do not count.
        """
        reach = Q(pk__isnull=True)
        for membership in self.memberships_with(permission):
            reach |= self._membership_q(membership)
        return self.visible_cases().filter(reach)

    def case_for(self, reference: str, *, need: Permission) -> "Case":
        """The case with this reference if in reach, else ``Http404``."""
        case = (
            self.visible_cases()
            .filter(reference=reference)
            .select_related("lead_agency", "lead_agency__site")
            .first()
        )
        if case is None:
            raise Http404("No case found.")
        if not self.case_access(case).can(need):
            raise PermissionDenied
        return case

    def case_access(self, case: "Case") -> CaseAccess:
        cache: dict[int, CaseAccess] = self.__dict__.setdefault("_case_cache", {})
        if case.pk not in cache:
            cache[case.pk] = CaseAccess(case=case, reaches=tuple(self._reaches(case)))
        return cache[case.pk]

    def _reaches(self, case: "Case") -> list[Reach]:
        from masip.cases.models import BreakGlassGrant, Case, CaseShare

        if not self.memberships:
            return []
        flags = {
            f"m{i}": ExpressionWrapper(
                self._membership_q(m), output_field=BooleanField()
            )
            for i, m in enumerate(self.memberships)
        }
        matched = Case.objects.filter(pk=case.pk).values(**flags).first() or {}
        reaches: list[Reach] = []
        shares = {
            s.agency_id: s
            for s in CaseShare.objects.active().filter(
                case_id=case.pk, agency_id__in=[m.agency_id for m in self.memberships]
            )
        }
        for i, membership in enumerate(self.memberships):
            if matched.get(f"m{i}"):
                reaches.append(self._reach(membership, case, shares))
        if reaches:
            return reaches
        # Only outside every other reach does a break-the-glass grant count.
        grant = (
            BreakGlassGrant.objects.filter(
                case_id=case.pk, user_id=self.user_id, expires_at__gt=timezone.now()
            )
            .order_by("-expires_at")
            .first()
        )
        if grant is not None:
            for membership in self.memberships:
                if membership.agency_id == grant.agency_id:
                    reaches.append(
                        Reach(membership, "break_glass", _allowed(membership))
                    )
        return reaches

    @staticmethod
    def _reach(
        membership: "Membership", case: "Case", shares: dict[int, "CaseShare"]
    ) -> Reach:
        allowed = _allowed(membership)
        scope = membership.role_def.scope
        if scope == Scope.AGENCY and case.lead_agency_id == membership.agency_id:
            return Reach(membership, "lead", allowed)
        if scope == Scope.AGENCY:
            share = shares[membership.agency_id]
            return Reach(membership, "share", allowed & share.compartment_set)
        return Reach(membership, scope.value, allowed)

    # Pages ----------------------------------------------------------------

    @cached_property
    def navigation(self) -> list[dict[str, str]]:
        from django.urls import reverse

        items = []
        if self.has(Permission.CASE_VIEW):
            items.append({"label": "My cases", "href": reverse("cases:my-cases")})
            items.append({"label": "All cases", "href": reverse("cases:case-list")})
        if self.has(Permission.CASE_CREATE):
            items.append({"label": "New case", "href": reverse("cases:case-create")})
        if self.has(Permission.CASE_BREAK_GLASS):
            items.append(
                {"label": "Emergency access", "href": reverse("cases:break-glass")}
            )
        if self.has(Permission.REPORT_VIEW_AGGREGATE):
            items.append({"label": "Reports", "href": reverse("reporting:overview")})
        if self.has(Permission.AUDIT_VIEW):
            items.append({"label": "Audit trail", "href": reverse("audit:event-list")})
        if self.has(Permission.MEMBERSHIP_MANAGE):
            items.append({"label": "Staff", "href": reverse("accounts:staff-list")})
        items.append(
            {"label": "Notifications", "href": reverse("accounts:notifications")}
        )
        return items


def _allowed(membership: "Membership") -> frozenset[Compartment]:
    """Compartments a membership may ever see: its role's, limited by agency kind."""
    kind = AgencyKind(membership.agency.kind)
    return membership.role_def.compartments & AGENCY_COMPARTMENTS[kind]
