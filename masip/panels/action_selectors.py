"""Reading actions: a case's own (the case already resolved by the access
module), a user's and their agency's, and the overdue lists.

Dates are compared with an explicit ``today`` so the lists can be checked
against a frozen clock. A description or completion note (sealed) is shown
only on a case the reader reaches; the lists mark each row ``readable``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404

from masip.access.permissions import Permission
from masip.access.policy import Access, CaseAccess
from masip.access.roles import RoleName
from masip.accounts.models import Agency, Membership, Site, User
from masip.cases.models import Case, CaseShare
from masip.panels.models import Action, Panel

ROW_RELATED = ("case", "owner_agency", "owner", "completed_by", "created_by")


# One case ------------------------------------------------------------------


def case_actions(*, case: Case) -> list[Action]:
    """The case's actions: outstanding first (soonest due first), then the
    completed and cancelled ones (latest first)."""
    actions = list(
        Action.objects.filter(case=case)
        .select_related(*ROW_RELATED)
        .order_by("due_on", "id")
    )
    open_ = [a for a in actions if a.is_outstanding]
    closed = [a for a in actions if not a.is_outstanding]
    closed.sort(key=lambda a: (a.updated_at, a.pk), reverse=True)
    return open_ + closed


def action_get_in_case(*, case: Case, public_id: uuid.UUID) -> Action:
    """The action if it belongs to ``case``; otherwise ``Http404``."""
    found = (
        Action.objects.filter(case=case, public_id=public_id)
        .select_related(*ROW_RELATED, "item", "item__meeting")
        .first()
    )
    if found is None:
        raise Http404("No action found.")
    return found


def updating_membership(case_access: CaseAccess, action: Action) -> Membership | None:
    """The user's membership in the owner agency that may change the action
    on this case (ACTION_UPDATE), if any."""
    for reach in case_access.reaches:
        membership = reach.membership
        if (
            membership.agency_id == action.owner_agency_id
            and Permission.ACTION_UPDATE in membership.role_def.permissions
        ):
            return membership
    return None


def cancelling_membership(case_access: CaseAccess, action: Action) -> Membership | None:
    """The owner agency's membership, or else the coordinator's (PANEL_MANAGE)."""
    found = updating_membership(case_access, action)
    if found is not None:
        return found
    for reach in case_access.reaches:
        if Permission.PANEL_MANAGE in reach.membership.role_def.permissions:
            return reach.membership
    return None


def owner_agencies(*, case: Case) -> QuerySet[Agency]:
    """Agencies that may own an action on the case: the lead agency and the
    agencies it is shared with now."""
    shared = CaseShare.objects.active().filter(case=case).values("agency_id")
    return Agency.objects.filter(
        Q(pk=case.lead_agency_id) | Q(pk__in=shared), is_active=True
    ).order_by("name")


def agency_people(agency_ids: Iterable[int]) -> list[tuple[Agency, list[User]]]:
    """The active staff of each agency who may work on actions, by agency."""
    memberships = (
        Membership.objects.filter(
            agency_id__in=list(agency_ids),
            is_active=True,
            user__is_active=True,
            role__in=[RoleName.CASE_WORKER, RoleName.TEAM_MANAGER],
        )
        .select_related("agency", "user")
        .order_by("agency__name", "user__full_name", "user_id")
    )
    grouped: dict[int, tuple[Agency, list[User]]] = {}
    for membership in memberships:
        _, users = grouped.setdefault(membership.agency_id, (membership.agency, []))
        if membership.user not in users:
            users.append(membership.user)
    return list(grouped.values())


# Rows for lists ------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    action: Action
    overdue: bool
    days_overdue: int
    # The reader reaches the case: its description may be shown.
    readable: bool


def action_rows(
    actions: Iterable[Action], *, today: dt.date, readable: set[int] | None = None
) -> list[ActionRow]:
    """Rows with the overdue state worked out; ``readable`` holds the ids of
    the cases the reader reaches (``None``: all of them)."""
    rows = []
    for action in actions:
        overdue = action.is_overdue(today)
        rows.append(
            ActionRow(
                action=action,
                overdue=overdue,
                days_overdue=(today - action.due_on).days if overdue else 0,
                readable=readable is None or action.case_id in readable,
            )
        )
    return rows


def readable_cases(access: Access, actions: Sequence[Action]) -> set[int]:
    """The ids of the actions' cases that the reader reaches (one query)."""
    ids = {a.case_id for a in actions}
    if not ids:
        return set()
    return set(access.visible_cases().filter(pk__in=ids).values_list("pk", flat=True))


# Your actions --------------------------------------------------------------


def _action_agencies(access: Access) -> list[int]:
    return sorted(
        {m.agency_id for m in access.memberships_with(Permission.ACTION_VIEW)}
    )


def my_actions(access: Access) -> QuerySet[Action]:
    """The user's own outstanding actions, on cases they reach, soonest first
    (so the overdue come first)."""
    return (
        Action.objects.outstanding()
        .filter(owner_id=access.user_id, case__in=access.visible_cases())
        .select_related(*ROW_RELATED)
        .order_by("due_on", "id")
    )


def agency_actions(access: Access) -> QuerySet[Action]:
    """The outstanding actions of the user's agencies owned by someone else
    (or no one), on cases they reach, soonest first."""
    return (
        Action.objects.outstanding()
        .filter(
            owner_agency_id__in=_action_agencies(access),
            case__in=access.visible_cases(),
        )
        .exclude(owner_id=access.user_id)
        .select_related(*ROW_RELATED)
        .order_by("due_on", "id")
    )


# Overdue lists -------------------------------------------------------------


@dataclass
class OverdueScope:
    """Whose overdue actions the user oversees: the sites whose panel they
    coordinate or chair, and the agencies they manage a team in."""

    sites: list[Site] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.sites or self.agencies)

    def filter(self) -> Q:
        sites = [s.pk for s in self.sites]
        return (
            Q(case__lead_agency__site_id__in=sites)
            | Q(item__meeting__panel__site_id__in=sites)
            | Q(owner_agency_id__in=[a.pk for a in self.agencies])
        )

    @property
    def label(self) -> str:
        names = [f"the {s.name} panel" for s in self.sites]
        names += [a.name for a in self.agencies]
        if len(names) < 2:
            return "".join(names)
        return ", ".join(names[:-1]) + " and " + names[-1]


def overdue_scope(access: Access) -> OverdueScope:
    """The site of each membership granting PANEL_MANAGE (the coordinator),
    the sites of the panels the user chairs, and the agencies where they are
    a team manager."""
    sites: dict[int, Site] = {}
    for membership in access.memberships_with(Permission.PANEL_MANAGE):
        site = membership.agency.site
        if site is not None:
            sites[site.pk] = site
    if access.memberships:
        for panel in Panel.objects.filter(chair_id=access.user_id).select_related(
            "site"
        ):
            sites.setdefault(panel.site_id, panel.site)
    agencies = {
        m.agency_id: m.agency
        for m in access.memberships_with(Permission.ACTION_VIEW)
        if m.role == RoleName.TEAM_MANAGER
    }
    return OverdueScope(
        sites=sorted(sites.values(), key=lambda s: s.name),
        agencies=sorted(agencies.values(), key=lambda a: a.name),
    )


def overdue_actions(scope: OverdueScope, *, today: dt.date) -> QuerySet[Action]:
    """Overdue actions in the scope, most overdue first."""
    if not scope:
        return Action.objects.none()
    return (
        Action.objects.overdue(today)
        .filter(scope.filter())
        .select_related(*ROW_RELATED)
        .order_by("due_on", "id")
    )


@dataclass(frozen=True)
class AgencyCount:
    agency: str
    count: int
    oldest_due: dt.date


def overdue_counts(actions: QuerySet[Action]) -> list[AgencyCount]:
    """How many overdue actions each owner agency has (one query)."""
    rows = (
        actions.order_by()
        .values("owner_agency__name")
        .annotate(count=Count("id"), oldest=Min("due_on"))
        .order_by("owner_agency__name")
    )
    return [
        AgencyCount(
            agency=row["owner_agency__name"],
            count=row["count"],
            oldest_due=row["oldest"],
        )
        for row in rows
    ]


# The case timeline ---------------------------------------------------------


@dataclass(frozen=True)
class ActionEvent:
    """Something that happened to an action, for the case timeline."""

    at: dt.datetime
    title: str
    byline: str
    action: Action
    note: str = ""


def case_action_events(*, case: Case) -> list[ActionEvent]:
    """Actions agreed, completed and cancelled on the case, newest first."""
    events: list[ActionEvent] = []
    for action in (
        Action.objects.filter(case=case)
        .select_related("owner_agency", "created_by", "completed_by")
        .order_by("id")
    ):
        agency = action.owner_agency.name
        events.append(
            ActionEvent(
                at=action.created_at,
                title=f"Action agreed for {agency}",
                byline=f"by {action.created_by.full_name}",
                action=action,
            )
        )
        closer = action.completed_by.full_name if action.completed_by else ""
        if action.status == Action.Status.DONE and action.completed_at:
            events.append(
                ActionEvent(
                    at=action.completed_at,
                    title=f"Action completed by {agency}",
                    byline=f"by {closer}",
                    action=action,
                    note=action.completion_note,
                )
            )
        elif action.status == Action.Status.CANCELLED:
            events.append(
                ActionEvent(
                    at=action.updated_at,
                    title=f"Action for {agency} cancelled",
                    byline=f"by {closer}" if closer else "",
                    action=action,
                    note=action.completion_note,
                )
            )
    events.sort(key=lambda e: (e.at, e.action.pk), reverse=True)
    return events


def action_timeline_context(case: Case, case_access: CaseAccess) -> dict[str, Any]:
    """What the case timeline page needs to show the case's actions (nothing
    for readers without ACTION_VIEW)."""
    if not case_access.can(Permission.ACTION_VIEW):
        return {}
    return {"action_events": case_action_events(case=case)}
