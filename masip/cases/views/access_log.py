"""The case's access log: who opened or changed it, from the audit trail."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from masip.access.permissions import Permission as P
from masip.access.views import CaseView
from masip.audit.events import EventType
from masip.audit.presenters import present
from masip.cases import selectors
from masip.cases.keyset import keyset_page


class AccessLogView(CaseView):
    required_permission = P.CASE_ACCESS_LOG_VIEW
    tab = "access-log"

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.record_view(EventType.CASE_ACCESS_LOG_VIEWED)
        events = selectors.access_log_for(self.case)
        page = keyset_page(
            events,
            keys=selectors.ACCESS_LOG_KEYS,
            params=request.GET,
            per_page=settings.MASIP_PAGE_SIZE,
        )
        context = self.case_context(page=page, rows=[present(e) for e in page])
        return render(request, "cases/access_log.html", context)
