"""Aggregate reports for analysts: counts only, small numbers suppressed."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from masip.access.permissions import Permission
from masip.access.views import GlobalView
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.reporting import selectors


class OverviewView(GlobalView):
    required_permission = Permission.REPORT_VIEW_AGGREGATE

    def get(self, request: HttpRequest) -> HttpResponse:
        overview = selectors.report_overview(access=self.access)
        audit.record(
            EventType.REPORT_VIEWED,
            actor=self.actor().audit,
            target_type="report",
            target_id="overview",
        )
        return render(
            request,
            "reporting/overview.html",
            {
                "overview": overview,
                "threshold": selectors.THRESHOLD,
                "small": selectors.SMALL,
                "withheld": selectors.WITHHELD,
            },
        )
