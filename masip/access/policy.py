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
4. Blocks beat every way in. A case marked as involving the staff of an
   agency the user works for (unless they are that agency's professional
   standards), or with a participant matching one of the user's declared
   conflicts of interest, is outside ``visible_cases`` and has no reaches,
   break-the-glass included. ``case_for`` then raises ``CaseBlocked`` (a
   404 like any other) so the attempt can be audited.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, NoReturn

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Concat
from django.http import Http404
from django.utils import timezone

from masip.access.permissions import Compartment, Permission, Scope
from masip.access.roles import AGENCY_COMPARTMENTS, AgencyKind, RoleName

if TYPE_CHECKING:
    from uuid import UUID

    from django.contrib.auth.models import AnonymousUser

    from masip.accounts.models import Membership, User
    from masip.cases.models import Case, CaseShare


class Block(StrEnum):
    """Why a case that exists is closed to a user whatever their reach."""

    STAFF_INVOLVED = "staff_involved"
    CONFLICT = "conflict"


class CaseBlocked(Http404):
    """A 404 for a case that exists but is blocked for this user.

    Callers answer it exactly like a missing case, after auditing the attempt
    in the name of ``membership`` (for a staff-involved block, the membership
    in the involved agency).
    """

    def __init__(self, block: Block, reference: str, membership: "Membership"):
        super().__init__("No case found.")
        self.block = block
        self.reference = reference
        self.membership = membership


# The way in of a role that reaches a case only while it is marked.
VIA_STAFF_INVOLVED = Scope.STAFF_INVOLVED.value


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

    def staff_involved_marker(self) -> "Membership | None":
        """The membership in whose name the user may mark or clear staff
        involvement: a lead-agency reach, or a professional-standards one."""
        for reach in self.reaches:
            role = reach.membership.role_def
            if Permission.CASE_STAFF_INVOLVED_MARK not in role.permissions:
                continue
            if reach.via in ("lead", VIA_STAFF_INVOLVED):
                return reach.membership
        return None

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
    def staff_memberships(self) -> list["Membership"]:
        """Every active membership: the agencies the user is staff of."""
        if not self.user.is_authenticated or not self.user.is_active:
            return []
        from masip.accounts.models import ConflictDeclaration, Membership

        # Whether the user declared a conflict comes with the memberships, so
        # every request reads both in one query (``_declares_conflicts``).
        declared = ConflictDeclaration.objects.active().filter(
            user_id=OuterRef("user_id")
        )
        return list(
            Membership.objects.filter(
                user=self.user, is_active=True, agency__is_active=True
            )
            .select_related("agency", "agency__site", "team")
            .annotate(masip_declares_conflicts=Exists(declared))
        )

    @cached_property
    def memberships(self) -> list["Membership"]:
        """The memberships that grant anything: a role held in a kind of
        agency it does not fit grants nothing (but still makes the user staff)."""
        return [m for m in self.staff_memberships if _role_fits_agency(m)]

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
        if scope == Scope.STAFF_INVOLVED:
            # Marked as involving this agency's own staff.
            return Q(pk__in=_marked_cases([membership.agency_id]))
        # Scope.NONE, or SITE for a national agency: nothing.
        return Q(pk__isnull=True)

    @cached_property
    def _break_glass_case_ids(self) -> list[int]:
        """Cases the user's break-the-glass grants in force open: few or none.

        Read once per request (the grant page redirects after granting) and
        written into the reach as literal ids. As a subquery inside the reach's
        ``OR`` it kept PostgreSQL from using any index for the other branches:
        a helpline adviser's filtered count read all 500,000 cases (3 s).
        """
        from masip.cases.models import BreakGlassGrant

        # Only grants made in the name of an agency the user still works for.
        grants = BreakGlassGrant.objects.filter(
            user_id=self.user_id,
            expires_at__gt=timezone.now(),
            agency_id__in=[m.agency_id for m in self.memberships],
        )
        return sorted(set(grants.values_list("case_id", flat=True)))

    def _break_glass_q(self) -> Q:
        return Q(pk__in=self._break_glass_case_ids)

    # Blocks -------------------------------------------------------------------

    @cached_property
    def _exposed_staff(self) -> list["Membership"]:
        """Memberships whose agency's staff-involved cases are closed to the user:
        all but a professional-standards role that fits its agency."""
        return [
            m
            for m in self.staff_memberships
            if not (m.role == RoleName.PROFESSIONAL_STANDARDS and _role_fits_agency(m))
        ]

    @property
    def _declares_conflicts(self) -> bool:
        """Whether the user has any active declared conflict of interest (read
        with ``staff_memberships``; without a membership nothing is reached)."""
        return any(
            getattr(m, "masip_declares_conflicts", False)
            for m in self.staff_memberships
        )

    def _staff_involved_q(self, memberships: list["Membership"]) -> Q:
        """Cases marked as involving the staff of these memberships' agencies."""
        return Q(pk__in=_marked_cases([m.agency_id for m in memberships]))

    def _conflict_q(self) -> Q:
        """Cases with a participant matching a conflict the user declared.

        Names match case-insensitively, on the person's name or an alias. A
        declared date of birth narrows the match only where the record holds
        an exact date of birth: an unknown or approximate one matches on name
        alone, so doubt closes the case rather than opening it.
        """
        from masip.accounts.models import ConflictDeclaration
        from masip.cases.models import CaseParticipant
        from masip.people.models import DatePrecision, PersonAlias

        declared = ConflictDeclaration.objects.active().filter(user_id=self.user_id)
        same_name = declared.filter(
            given_name__iexact=OuterRef("person__given_name"),
            family_name__iexact=OuterRef("person__family_name"),
        )
        same_born = same_name.filter(
            Q(date_of_birth__isnull=True)
            | Q(date_of_birth=OuterRef("person__date_of_birth"))
        )
        birth_unsure = ~Q(person__birth_date_precision=DatePrecision.EXACT) | Q(
            person__date_of_birth__isnull=True
        )
        alias_named = PersonAlias.objects.filter(
            person_id=OuterRef("person_id"),
        ).filter(
            Exists(
                declared.annotate(
                    declared_name=Concat("given_name", Value(" "), "family_name")
                ).filter(declared_name__iexact=OuterRef("name"))
            )
        )
        matching = CaseParticipant.objects.filter(
            Exists(same_born) | (Exists(same_name) & birth_unsure) | Exists(alias_named)
        )
        return Q(pk__in=matching.values("case_id"))

    def _block_flags(self) -> dict[str, Any]:
        """One boolean column per way a case can be blocked for the user."""
        flags: dict[str, Any] = {}
        if self._declares_conflicts:
            flags["conflict"] = ExpressionWrapper(self._conflict_q(), BooleanField())
        for i, membership in enumerate(self._exposed_staff):
            flags[f"staff{i}"] = ExpressionWrapper(
                self._staff_involved_q([membership]), BooleanField()
            )
        return flags

    def _block_in(self, row: Mapping[str, Any]) -> tuple[Block, "Membership"] | None:
        """The block a row of ``_block_flags`` shows, with the membership it
        names, or ``None``."""
        for i, membership in enumerate(self._exposed_staff):
            if row.get(f"staff{i}"):
                return Block.STAFF_INVOLVED, membership
        if row.get("conflict"):
            return Block.CONFLICT, self.staff_memberships[0]
        return None

    def block_on(self, case: "Case") -> Block | None:
        """Why ``case`` is closed to the user whatever their reach, if it is."""
        from masip.cases.models import Case

        if not self.memberships:
            return None
        # Row-level security hides a blocked case; the probe shows this one.
        from masip.isolation.context import block_probe

        with block_probe(case.reference):
            row = Case.objects.filter(pk=case.pk).values(**self._block_flags()).first()
        found = self._block_in(row or {})
        return found[0] if found else None

    # Reach, less the blocks ------------------------------------------------

    def visible_cases(self) -> QuerySet["Case"]:
        from masip.cases.models import Case

        if not self.memberships:
            return Case.objects.none()
        reach = self._break_glass_q()
        for membership in self.memberships:
            reach |= self._membership_q(membership)
        blocked = Q(pk__isnull=True)
        if self._declares_conflicts:
            blocked |= self._conflict_q()
        if self._exposed_staff:
            blocked |= self._staff_involved_q(self._exposed_staff)
        return Case.objects.filter(reach & ~blocked)

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
        """The case with this reference if in reach, else ``Http404``
        (``CaseBlocked`` when the case exists but is blocked for the user)."""
        # The reach of each membership comes back with the case, in one query.
        flags = self._membership_flags()
        case = (
            self.visible_cases()
            .filter(reference=reference)
            .select_related("lead_agency", "lead_agency__site")
            .annotate(**{f"masip_reach_{name}": flag for name, flag in flags.items()})
            .first()
        )
        if case is None:
            self._not_found(reference)
        matched = {name: getattr(case, f"masip_reach_{name}") for name in flags}
        cache: dict[int, CaseAccess] = self.__dict__.setdefault("_case_cache", {})
        cache[case.pk] = CaseAccess(
            case=case, reaches=tuple(self._reaches_matching(case, matched))
        )
        if not cache[case.pk].can(need):
            raise PermissionDenied
        return case

    def _not_found(self, reference: str) -> NoReturn:
        from masip.cases.models import Case

        if self.memberships:
            # Row-level security hides a blocked case; the probe shows this one.
            from masip.isolation.context import block_probe

            with block_probe(reference):
                row = (
                    Case.objects.filter(reference=reference)
                    .values(**self._block_flags())
                    .first()
                )
            found = self._block_in(row or {})
            if found is not None:
                raise CaseBlocked(found[0], reference, found[1])
        raise Http404("No case found.")

    def case_access(self, case: "Case") -> CaseAccess:
        cache: dict[int, CaseAccess] = self.__dict__.setdefault("_case_cache", {})
        if case.pk not in cache:
            cache[case.pk] = CaseAccess(case=case, reaches=tuple(self._reaches(case)))
        return cache[case.pk]

    def _reaches(self, case: "Case") -> list[Reach]:
        from masip.cases.models import Case

        if not self.memberships:
            return []
        flags = self._membership_flags() | self._block_flags()
        matched = Case.objects.filter(pk=case.pk).values(**flags).first() or {}
        if self._block_in(matched) is not None:
            # Blocked: no way in, not even a break-the-glass grant.
            return []
        return self._reaches_matching(case, matched)

    def _membership_flags(self) -> dict[str, Any]:
        """One boolean column per membership: does its scope reach the case?"""
        return {
            f"m{i}": ExpressionWrapper(
                self._membership_q(m), output_field=BooleanField()
            )
            for i, m in enumerate(self.memberships)
        }

    def _reaches_matching(
        self, case: "Case", matched: Mapping[str, Any]
    ) -> list[Reach]:
        """The reaches of an unblocked case, given its ``_membership_flags``."""
        from masip.cases.models import BreakGlassGrant, CaseShare

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

    # Referrals --------------------------------------------------------------
    # A referral waiting for triage belongs to no case, so row-level security
    # cannot guard it; these are its only doors (masip/referrals/models.py).

    def _referral_q(self, need: Permission) -> Q:
        """The referrals reached for ``need``: ``REFERRAL_MAKE`` those the user
        made; ``REFERRAL_TRIAGE`` those sent to the site of each membership
        holding it."""
        reach = Q(pk__isnull=True)
        memberships = self.memberships_with(need)
        if need == Permission.REFERRAL_MAKE and memberships:
            reach |= Q(referred_by_id=self.user_id)
        elif need == Permission.REFERRAL_TRIAGE:
            sites = {m.agency.site_id for m in memberships} - {None}
            if sites:
                reach |= Q(site_id__in=sorted(s for s in sites if s is not None))
        return reach

    def visible_referrals(self) -> QuerySet[Any]:
        """The referrals the user made, and those to the sites they triage."""
        from masip.referrals.models import Referral

        reach = self._referral_q(Permission.REFERRAL_MAKE) | self._referral_q(
            Permission.REFERRAL_TRIAGE
        )
        return Referral.objects.filter(reach)

    def referral_for(self, public_id: "UUID | str", *, need: Permission) -> Any:
        """The referral if reached for ``need``, else ``Http404`` (missing and
        out of reach answer alike); ``PermissionDenied`` without the verb."""
        from django.core.exceptions import ValidationError

        from masip.referrals.models import Referral

        if need not in (Permission.REFERRAL_MAKE, Permission.REFERRAL_TRIAGE):
            raise ValueError(f"{need} is not a referral verb.")
        if not self.has(need):
            raise PermissionDenied
        try:
            referral = (
                Referral.objects.filter(self._referral_q(need), public_id=public_id)
                .select_related("site", "referring_agency", "referred_by", "triaged_by")
                .first()
            )
        except ValidationError:
            referral = None
        if referral is None:
            raise Http404("No referral found.")
        return referral

    def referral_membership(self, referral: Any, need: Permission) -> "Membership":
        """The membership in whose name the user acts on ``referral``: for
        triage, the one in the referral's site; for the referrer, the one in
        the referring agency if still held."""
        memberships = self.memberships_with(need)
        for membership in memberships:
            if need == Permission.REFERRAL_TRIAGE:
                if membership.agency.site_id == referral.site_id:
                    return membership
            elif membership.agency_id == referral.referring_agency_id:
                return membership
        if need == Permission.REFERRAL_MAKE and memberships:
            return memberships[0]
        raise PermissionDenied

    def match_hidden_cases(self) -> QuerySet[Any]:
        """Ids of cases identity matching must not even hint at: those marked
        as involving the staff of an agency the user works for (the block
        beats every way in; the database's matching function leaves out the
        same cases through ``masip.staff_agencies``)."""
        return _marked_cases([m.agency_id for m in self._exposed_staff])

    # Panels -----------------------------------------------------------------

    def visible_panels(self, need: Permission = Permission.PANEL_VIEW) -> QuerySet[Any]:
        """The panels the user reaches for ``need``.

        ``PANEL_MANAGE``: the panel of the site of each membership granting it
        (the site's coordinator). Any other panel verb: panels on which an
        agency the user holds it in sits, and the coordinator's own site's.
        """
        from masip.panels.models import Panel

        reach = Q(pk__isnull=True)
        for membership in self.memberships_with(need):
            site_id = membership.agency.site_id
            if Permission.PANEL_MANAGE in membership.role_def.permissions:
                if site_id is not None:
                    reach |= Q(site_id=site_id)
            else:
                # Only a panel verb other than PANEL_MANAGE gets here.
                reach |= Q(member_agencies=membership.agency_id)
        return Panel.objects.filter(reach).distinct()

    def meeting_for(self, public_id: "uuid.UUID | str", *, need: Permission) -> Any:
        """A meeting of a panel the user reaches for ``need``, else ``Http404``
        (missing and out of reach answer alike)."""
        from django.core.exceptions import ValidationError

        from masip.panels.models import Meeting

        panels = self.visible_panels(need)
        try:
            meeting = (
                Meeting.objects.filter(public_id=public_id, panel__in=panels)
                .select_related("panel", "panel__site")
                .first()
            )
        except ValidationError:
            meeting = None
        if meeting is None:
            raise Http404("No meeting found.")
        return meeting

    # The helpline --------------------------------------------------------
    # Helpline contacts belong to no case: these are their only doors. A
    # contact is reached through a membership of its helpline agency that
    # grants HELPLINE_CONTACT_LOG; agencies never reach one (a handed-over
    # contact reaches them as its referral).

    def visible_helpline_contacts(self) -> QuerySet[Any]:
        """The contacts of the helpline agencies where the user logs contacts."""
        from masip.helpline.models import Contact

        agencies = sorted(
            {
                m.agency_id
                for m in self.memberships_with(Permission.HELPLINE_CONTACT_LOG)
            }
        )
        return Contact.objects.filter(agency_id__in=agencies)

    def helpline_contact_for(
        self, public_id: "uuid.UUID | str", *, need: Permission
    ) -> Any:
        """The contact if in reach, else ``Http404`` (missing and out of reach
        answer alike); ``PermissionDenied`` when the membership that reaches
        it does not grant ``need`` (rule 1)."""
        from django.core.exceptions import ValidationError

        if not self.has(Permission.HELPLINE_CONTACT_LOG):
            raise PermissionDenied
        try:
            contact = (
                self.visible_helpline_contacts()
                .filter(public_id=public_id)
                .select_related("agency", "adviser", "safeguarding_decided_by")
                .first()
            )
        except ValidationError:
            contact = None
        if contact is None:
            raise Http404("No contact found.")
        if need not in self.helpline_membership(contact).role_def.permissions:
            raise PermissionDenied
        return contact

    def helpline_membership(self, contact: Any) -> "Membership":
        """The membership in whose name the user acts on a helpline contact:
        the one in its helpline agency that logs contacts."""
        for membership in self.memberships_with(Permission.HELPLINE_CONTACT_LOG):
            if membership.agency_id == contact.agency_id:
                return membership
        raise PermissionDenied

    def helpline_supervises(self, contact: Any) -> bool:
        """Whether the user manages the helpline the contact belongs to (may
        reopen anyone's contact and discard a colleague's abandoned draft)."""
        return any(
            m.role == RoleName.HELPLINE_MANAGER and m.agency_id == contact.agency_id
            for m in self.memberships_with(Permission.HELPLINE_CONTACT_LOG)
        )

    def helpline_may_edit(self, contact: Any) -> bool:
        """A draft is its adviser's own: only they fill it in. A finished
        contact reopened to correct it (it has an end) may also be corrected
        by a manager of its helpline."""
        if contact.status != "draft":
            return False
        if contact.adviser_id == self.user_id:
            return True
        return contact.ended_at is not None and self.helpline_supervises(contact)

    # Pages ----------------------------------------------------------------

    @cached_property
    def navigation(self) -> list[dict[str, str]]:
        from django.urls import reverse

        items = [
            {"label": label, "href": reverse(url_name)}
            for permission, label, url_name in NAVIGATION
            if permission is None or self.has(permission)
        ]
        if self.staff_memberships:
            items.append(
                {"label": "Conflicts of interest", "href": reverse("conflicts:list")}
            )
        return items


# The site's main navigation: (the verb that shows it, label, URL name), in
# order; ``None`` for links every signed-in user has.
NAVIGATION: tuple[tuple[Permission | None, str, str], ...] = (
    (Permission.CASE_VIEW, "My cases", "cases:my-cases"),
    (Permission.CASE_VIEW, "All cases", "cases:case-list"),
    (Permission.CASE_CREATE, "New case", "cases:case-create"),
    (Permission.CASE_BREAK_GLASS, "Emergency access", "cases:break-glass"),
    (Permission.REPORT_VIEW_AGGREGATE, "Reports", "reporting:overview"),
    (Permission.AUDIT_VIEW, "Audit trail", "audit:event-list"),
    (Permission.MEMBERSHIP_MANAGE, "Staff", "accounts:staff-list"),
    (Permission.REFERRAL_TRIAGE, "Triage", "referrals:triage"),
    (Permission.REFERRAL_MAKE, "Referrals", "referrals:mine"),
    (Permission.HELPLINE_CONTACT_LOG, "Helpline", "helpline:home"),
    (
        Permission.HELPLINE_STATS_VIEW,
        "Helpline statistics",
        "helpline-stats:statistics",
    ),
    (Permission.PANEL_VIEW, "Panels", "panels:panel-list"),
    (Permission.ACTION_VIEW, "Actions", "actions:mine"),
    (Permission.ORDER_VIEW, "Orders and safety", "protection:dashboard"),
    (Permission.RISK_ASSESS, "Risk reviews due", "risk-global:overdue"),
    (Permission.RETENTION_REVIEW, "Retention", "retention:queue"),
    (None, "Notifications", "accounts:notifications"),
)


def _role_fits_agency(membership: "Membership") -> bool:
    """A role limited to some kinds of agency grants nothing in the others."""
    kinds = membership.role_def.agency_kinds
    return not kinds or AgencyKind(membership.agency.kind) in kinds


def _marked_cases(agency_ids: list[int]) -> "QuerySet[Any]":
    """Ids of cases marked (and not cleared) as involving these agencies' staff."""
    from masip.cases.models import CaseStaffInvolvement

    marks = CaseStaffInvolvement.objects.active().filter(agency_id__in=agency_ids)
    return marks.values("case_id")


def _allowed(membership: "Membership") -> frozenset[Compartment]:
    """Compartments a membership may ever see: its role's, limited by agency kind."""
    kind = AgencyKind(membership.agency.kind)
    return membership.role_def.compartments & AGENCY_COMPARTMENTS[kind]
