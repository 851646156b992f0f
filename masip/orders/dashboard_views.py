"""The orders and safety dashboard (``/protection/``): orders expiring soon,
SPO notification deadlines, possible breaches waiting for review and recent
breaches over the cases the reader reaches with ORDER_VIEW, by the agency
responsible; and releases from custody coming up and safety plans due for
review, each over the cases the reader reaches with that app's own verb.

Each section is a selector over the same cases and a template include
(``orders/dashboard/_<section>.html``), so other apps add theirs the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from masip.access.permissions import Permission
from masip.access.views import GlobalView
from masip.accounts.models import Agency
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.interventions.selectors import releases_upcoming
from masip.orders import selectors
from masip.orders.forms import ALL_AGENCIES, DashboardFilterForm
from masip.safety.selectors import safety_plan_reviews_due

DEADLINE_WINDOW_DAYS = 7
RECENT_BREACH_DAYS = 28
PLAN_REVIEW_WINDOW_DAYS = 14


class ProtectionDashboardView(GlobalView):
    required_permission = Permission.ORDER_VIEW

    def own_agencies(self) -> list[Agency]:
        seen: dict[int, Agency] = {}
        for membership in self.access.memberships_with(self.required_permission):
            seen.setdefault(membership.agency_id, membership.agency)
        return list(seen.values())

    def get(self, request: HttpRequest) -> HttpResponse:
        cases = self.access.visible_cases_granting(self.required_permission)
        own = self.own_agencies()
        agencies = {a.pk: a for a in own}
        for owner in selectors.dashboard_agencies(cases):
            agencies.setdefault(owner.pk, owner)
        choices = sorted(agencies.values(), key=lambda a: a.name)
        form = DashboardFilterForm(
            request.GET or {"agency": str(own[0].pk) if own else ALL_AGENCIES},
            agencies=choices,
        )
        chosen = form.cleaned_data["agency"] if form.is_valid() else ALL_AGENCIES
        agency = agencies.get(int(chosen)) if chosen.isdigit() else None
        today = timezone.localdate()
        window = settings.MASIP_ORDER_EXPIRY_WINDOW_DAYS
        sections: dict[str, Any] = {
            "expiring": selectors.orders_expiring(
                cases, today=today, within_days=window, agency=agency
            ),
            "deadlines": selectors.notification_deadlines(
                cases, today=today, within_days=DEADLINE_WINDOW_DAYS, agency=agency
            ),
            "reviews": selectors.breach_reviews_open(cases, agency=agency),
            "breaches": selectors.breaches_recent(
                cases, today=today, within_days=RECENT_BREACH_DAYS, agency=agency
            ),
        }
        sections.update(self.other_sections(today=today, agency=agency))
        audit.record(
            EventType.PROTECTION_DASHBOARD_VIEWED,
            actor=self.actor().audit,
            target_type="protection_dashboard",
            target_id=str(agency.pk) if agency else ALL_AGENCIES,
        )
        return render(
            request,
            "orders/dashboard/dashboard.html",
            {
                "filter_form": form,
                "agency": agency,
                "today": today,
                "window": window,
                "deadline_window": DEADLINE_WINDOW_DAYS,
                "breach_window": RECENT_BREACH_DAYS,
                "release_window": settings.MASIP_RELEASE_ALERT_DAYS,
                "plan_window": PLAN_REVIEW_WINDOW_DAYS,
                **sections,
            },
        )

    def other_sections(
        self, *, today: dt.date, agency: Agency | None
    ) -> dict[str, Any]:
        """Releases and safety plan reviews, each over the cases the reader
        reaches with that app's verb (None: a section the reader may not see)."""
        releases = plans = None
        if self.access.has(Permission.INTERVENTION_VIEW):
            releases = releases_upcoming(
                self.access.visible_cases_granting(Permission.INTERVENTION_VIEW),
                today=today,
                within_days=settings.MASIP_RELEASE_ALERT_DAYS,
                agency=agency,
            )
        if self.access.has(Permission.SAFETY_PLAN_VIEW):
            plans = safety_plan_reviews_due(
                self.access.visible_cases_granting(Permission.SAFETY_PLAN_VIEW),
                today=today,
                within_days=PLAN_REVIEW_WINDOW_DAYS,
                agency=agency,
            )
        return {"releases": releases, "plan_reviews": plans}
