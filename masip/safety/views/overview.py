"""The safety overview of a case, and the log of what each victim was told."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from masip.access.permissions import Permission
from masip.audit.events import EventType
from masip.core.pagination import page_links, paginate
from masip.safety import selectors
from masip.safety.views._base import SafetyView


class SafetyOverviewView(SafetyView):
    """Each victim's plan (review date, agreed), latest updates and the
    contacts scheduled with them."""

    required_permission = Permission.SAFETY_PLAN_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        return self.page(
            "safety/overview.html",
            overview=selectors.safety_overview(case=self.case, today=today),
            may_log=selectors.writing_membership(
                self.case_access, Permission.VICTIM_CONTACT_LOG
            )
            is not None,
        )


class VictimUpdateLogView(SafetyView):
    """What each victim was told, by whom and when, newest first: one log for
    every agency (the contact compartment is not needed to read it)."""

    required_permission = Permission.VICTIM_CONTACT_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        page = paginate(
            selectors.victim_updates(case=self.case),
            params=request.GET,
            per_page=settings.MASIP_PAGE_SIZE,
        )
        self.record_view(EventType.VICTIM_UPDATES_VIEWED)
        return self.page(
            "safety/updates.html",
            updates=list(page.object_list),
            page=page,
            page_links=page_links(page, request.GET),
        )
