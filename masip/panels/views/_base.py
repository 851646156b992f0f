"""What the panel pages share: the meeting and item URLs, the coordinator
and reader actors, the audited read, and whether a meeting's records are
open."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from masip.access.actors import Actor, client_ip
from masip.access.permissions import Permission
from masip.access.views import GlobalView
from masip.accounts.models import Membership
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.core.templatetags.govuk import govuk_date
from masip.panels.models import AgendaItem, Meeting, Panel


def meeting_url(meeting: Meeting, name: str = "meeting-detail") -> str:
    return reverse(f"panels:{name}", kwargs={"public_id": meeting.public_id})


def item_url(meeting: Meeting, item: AgendaItem) -> str:
    return reverse(
        "panels:item-detail",
        kwargs={"public_id": meeting.public_id, "item_id": item.public_id},
    )


class PanelView(GlobalView):
    """Helpers shared by the panel pages."""

    def page(self, template: str, *, status: int = 200, **context: Any) -> HttpResponse:
        return render(self.request, template, context, status=status)

    def meeting(self, public_id: uuid.UUID) -> Meeting:
        meeting: Meeting = self.access.meeting_for(
            public_id, need=self.required_permission
        )
        return meeting

    def manages(self, panel: Panel) -> bool:
        return self._site_membership(panel.site_id) is not None

    def _site_membership(self, site_id: int) -> Membership | None:
        for membership in self.access.memberships_with(Permission.PANEL_MANAGE):
            if membership.agency.site_id == site_id:
                return membership
        return None

    def site_actor(self, site_id: int, *, purpose: str = "") -> Actor:
        """The user acting as the coordinator of this site."""
        membership = self._site_membership(site_id)
        if membership is None:
            raise PermissionDenied
        return Actor(
            user=self.request.user,
            membership=membership,
            ip_address=client_ip(self.request),
            purpose=purpose,
        )

    def meeting_actor(self, meeting: Meeting) -> Actor:
        """The coordinator, for the purpose of this meeting."""
        return self.site_actor(
            meeting.panel.site_id,
            purpose=f"Panel meeting on {govuk_date(meeting.held_on)}",
        )

    def reader(self, meeting: Meeting) -> Actor:
        """Who reads the meeting: the coordinator, or a member agency's staff."""
        if self.manages(meeting.panel):
            return self.meeting_actor(meeting)
        members = set(meeting.panel.member_agencies.values_list("pk", flat=True))
        readers = self.access.memberships_with(Permission.PANEL_VIEW)
        membership = next((m for m in readers if m.agency_id in members), readers[0])
        return Actor(
            user=self.request.user,
            membership=membership,
            ip_address=client_ip(self.request),
            purpose=f"Panel meeting on {govuk_date(meeting.held_on)}",
        )

    def record(
        self,
        actor: Actor,
        *,
        target_type: str,
        target_id: object,
        case_reference: str = "",
    ) -> None:
        audit.record(
            EventType.MEETING_VIEWED,
            actor=actor.audit,
            target_type=target_type,
            target_id=target_id,
            case_reference=case_reference,
        )


def is_editable(meeting: Meeting) -> bool:
    """Whether the meeting's records may change: minutes not issued, and not
    cancelled."""
    return (
        meeting.minutes_issued_at is None and meeting.status != Meeting.Status.CANCELLED
    )


def is_recordable(meeting: Meeting) -> bool:
    """Whether the discussion of its cases can be recorded now."""
    return is_editable(meeting) and meeting.held_on <= timezone.localdate()
