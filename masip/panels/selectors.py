"""Reading panels and their meetings.

Access decisions stay in ``masip.access.policy`` (``visible_panels``,
``meeting_for``, ``case_for``); these functions take what it has already
checked (a panel, a meeting, the ``Access`` object) and load what the pages
show in a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.access.roles import RoleName
from masip.accounts.models import Agency, Membership, Site, User
from masip.cases.models import Case, CaseStatus
from masip.panels.models import (
    Action,
    AgendaItem,
    Attendance,
    InformationShare,
    Meeting,
    Panel,
)

# Who hears of a meeting: the member agencies' caseworkers and their managers.
MEETING_NOTICE_ROLES = (RoleName.TEAM_MANAGER, RoleName.CASE_WORKER)


# Panels -----------------------------------------------------------------------


@dataclass(frozen=True)
class PanelRow:
    panel: Panel
    upcoming: list[Meeting]
    past: list[Meeting]
    manages: bool


def panel_rows(access: Access, *, today: dt.date | None = None) -> list[PanelRow]:
    """The panels the user reaches, each with its upcoming and past meetings."""
    today = today or timezone.localdate()
    managed = set(
        access.visible_panels(Permission.PANEL_MANAGE).values_list("pk", flat=True)
    )
    panels = (
        access.visible_panels(Permission.PANEL_VIEW)
        .select_related("site", "chair")
        .prefetch_related(
            Prefetch("member_agencies", queryset=Agency.objects.order_by("name")),
            Prefetch("meetings", queryset=Meeting.objects.order_by("held_on", "id")),
        )
        .order_by("name")
    )
    rows = []
    for panel in panels:
        meetings = list(panel.meetings.all())
        upcoming = [
            m
            for m in meetings
            if m.status == Meeting.Status.PLANNED and m.held_on >= today
        ]
        coming = {m.pk for m in upcoming}
        past = [m for m in reversed(meetings) if m.pk not in coming]
        rows.append(PanelRow(panel, upcoming, past, panel.pk in managed))
    return rows


def managed_site(access: Access) -> Site | None:
    """The site whose panel the user runs (the first, should there be two)."""
    for membership in access.memberships_with(Permission.PANEL_MANAGE):
        if membership.agency.site is not None:
            return membership.agency.site
    return None


def panel_of_site(site: Site) -> Panel | None:
    return (
        Panel.objects.filter(site=site)
        .select_related("site", "chair")
        .prefetch_related("member_agencies")
        .first()
    )


def candidate_agencies(site: Site) -> QuerySet[Agency]:
    """The agencies that may sit on a site's panel: its own and national ones."""
    return (
        Agency.objects.filter(Q(site=site) | Q(site__isnull=True), is_active=True)
        .select_related("site")
        .order_by("name")
    )


def active_members(agencies: Iterable[Agency] | QuerySet[Agency]) -> QuerySet[User]:
    """Active users with an active membership in any of ``agencies``."""
    ids = [a.pk for a in agencies]
    members = Membership.objects.filter(
        is_active=True, agency_id__in=ids
    ).select_related("agency")
    return (
        User.objects.filter(
            is_active=True, memberships__is_active=True, memberships__agency_id__in=ids
        )
        .distinct()
        .prefetch_related(
            Prefetch("memberships", queryset=members, to_attr="panel_memberships")
        )
        .order_by("full_name", "pk")
    )


def meeting_notice_recipients(panel: Panel) -> QuerySet[User]:
    """The member agencies' team managers and case workers (active only)."""
    return User.objects.filter(
        is_active=True,
        memberships__is_active=True,
        memberships__agency__in=panel.member_agencies.all(),
        memberships__role__in=MEETING_NOTICE_ROLES,
    ).distinct()


# Meetings ---------------------------------------------------------------------


def previous_held_meeting(meeting: Meeting) -> Meeting | None:
    """The panel's last held meeting before this one."""
    return (
        Meeting.objects.filter(
            panel_id=meeting.panel_id,
            status=Meeting.Status.HELD,
            held_on__lte=meeting.held_on,
        )
        .exclude(pk=meeting.pk)
        .order_by("-held_on", "-id")
        .first()
    )


def agenda_items(meeting: Meeting) -> list[AgendaItem]:
    """The meeting's agenda in order, each with its case and lead agency."""
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("case", "case__lead_agency")
        .order_by("position", "id")
    )


def unsettled_items(meeting: Meeting) -> list[AgendaItem]:
    """Items neither discussed nor marked as not discussed."""
    return [item for item in agenda_items(meeting) if not item.settled]


def attendance_by_agency(meeting: Meeting) -> dict[int, Attendance]:
    return {
        row.agency_id: row
        for row in Attendance.objects.filter(meeting=meeting).select_related("agency")
    }


def member_agencies(panel: Panel) -> list[Agency]:
    return list(panel.member_agencies.order_by("name"))


def reached_case_ids(access: Access, case_ids: Iterable[int]) -> set[int]:
    """Which of these cases the user reaches (one query)."""
    ids = list(case_ids)
    if not ids:
        return set()
    return set(access.visible_cases().filter(pk__in=ids).values_list("pk", flat=True))


def item_in_meeting(meeting: Meeting, public_id: uuid.UUID | str) -> AgendaItem:
    """One agenda item of the meeting (looked up within it), else ``Http404``."""
    item = (
        AgendaItem.objects.filter(meeting=meeting, public_id=public_id)
        .select_related("case", "case__lead_agency", "recorded_by")
        .first()
    )
    if item is None:
        raise Http404("No agenda item found.")
    item.meeting = meeting
    return item


def item_shares(item: AgendaItem) -> list[InformationShare]:
    return list(
        InformationShare.objects.filter(item=item)
        .select_related("from_agency", "recorded_by")
        .prefetch_related(
            Prefetch("to_agencies", queryset=Agency.objects.order_by("name"))
        )
        .order_by("recorded_at", "id")
    )


def item_actions(item: AgendaItem) -> list[Action]:
    return list(
        Action.objects.filter(item=item)
        .select_related("owner_agency", "owner")
        .order_by("due_on", "id")
    )


def cases_for_agenda(access: Access, panel: Panel) -> QuerySet[Case]:
    """Open cases led in the panel's site that the coordinator reaches."""
    return (
        access.visible_cases_granting(Permission.PANEL_MANAGE)
        .filter(lead_agency__site_id=panel.site_id)
        .exclude(status=CaseStatus.CLOSED)
    )
