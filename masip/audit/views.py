"""The audit trail, for auditors: every event, filtered and paginated."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from masip.access.permissions import Permission
from masip.access.views import GlobalView
from masip.audit import selectors
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.audit.forms import EventFilterForm
from masip.audit.presenters import present
from masip.core.pagination import page_links, paginate


class EventListView(GlobalView):
    required_permission = Permission.AUDIT_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        form = EventFilterForm(request.GET)  # no filters is valid too
        valid = form.is_valid()
        filters = form.filters() if valid else selectors.EventFilters()
        # With a mistake in the filters, show the mistake and no events rather
        # than a list that looks filtered but is not.
        events = selectors.audit_event_list(access=self.access, filters=filters)
        if not valid:
            events = events.none()
        page = paginate(events, params=request.GET, per_page=settings.MASIP_PAGE_SIZE)
        rows = [(event, present(event)) for event in page.object_list]
        audit.record(
            EventType.AUDIT_LOG_VIEWED,
            actor=self.actor().audit,
            target_type="audit_trail",
            case_reference=filters.case_reference,
        )
        return render(
            request,
            "audit/event_list.html",
            {
                "form": form,
                "valid": valid,
                "filtered": any(v for k, v in request.GET.items() if k != "page"),
                "page": page,
                "rows": rows,
                "page_links": page_links(page, request.GET),
            },
        )
