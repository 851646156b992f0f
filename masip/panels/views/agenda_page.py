"""Building a meeting's agenda."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.access.policy import CaseBlocked
from masip.access.views import record_blocked_attempt
from masip.cases.models import Case
from masip.core.errors import DomainError
from masip.panels import agenda, selectors, services
from masip.panels.forms import AddCaseForm, put_errors
from masip.panels.models import AgendaItem, Meeting
from masip.panels.services import PanelInputError
from masip.panels.views._base import PanelView, is_editable, meeting_url


class AgendaView(PanelView):
    """Build the agenda: add suggested cases (one or all), add any case by
    reference, remove, and move cases up or down. Buttons post back here."""

    required_permission = Permission.PANEL_MANAGE

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        meeting = self.meeting(public_id)
        self.record(
            self.meeting_actor(meeting),
            target_type="agenda",
            target_id=meeting.public_id,
        )
        return self.render_page(meeting, AddCaseForm())

    def suggestions(self, meeting: Meeting) -> list[agenda.Suggestion]:
        if not is_editable(meeting):
            return []
        cases = selectors.cases_for_agenda(self.access, meeting.panel)
        return agenda.suggestions(meeting=meeting, cases=cases, on=timezone.localdate())

    def render_page(
        self, meeting: Meeting, form: AddCaseForm, *, error: str = ""
    ) -> HttpResponse:
        return self.page(
            "panels/agenda.html",
            meeting=meeting,
            items=selectors.agenda_items(meeting),
            suggestions=self.suggestions(meeting),
            form=form,
            error=error,
            editable=is_editable(meeting),
        )

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        meeting = self.meeting(public_id)
        actor = self.meeting_actor(meeting)
        form = AddCaseForm()
        data = request.POST
        try:
            if "add" in data:
                done = self.add_one(actor, meeting, data["add"])
            elif "add_all" in data:
                done = self.add_all(actor, meeting)
            elif "add_case" in data:
                form = AddCaseForm(data)
                done = self.add_case(actor, meeting, form)
            elif "remove" in data:
                item = self.item(meeting, data["remove"])
                services.agenda_remove(actor=actor, meeting=meeting, item=item)
                done = f"{item.case.reference} removed from the agenda."
            elif "up" in data or "down" in data:
                up = "up" in data
                item = self.item(meeting, data["up" if up else "down"])
                services.agenda_move(actor=actor, meeting=meeting, item=item, up=up)
                done = f"{item.case.reference} moved {'up' if up else 'down'}."
            else:
                return self.render_page(
                    meeting, form, error="Choose what to change on the agenda."
                )
        except PanelInputError as exc:
            if form.is_bound:
                put_errors(form, exc)
                return self.render_page(meeting, form)
            return self.render_page(meeting, form, error=str(exc))
        except DomainError as exc:
            return self.render_page(meeting, form, error=str(exc))
        if not done:
            return self.render_page(meeting, form)
        messages.success(request, done)
        return redirect(meeting_url(meeting, "agenda"))

    def item(self, meeting: Meeting, public_id: str) -> AgendaItem:
        try:
            return selectors.item_in_meeting(meeting, public_id)
        except Http404:
            raise DomainError("That case is no longer on the agenda.") from None

    def add_one(self, actor: Actor, meeting: Meeting, reference: str) -> str:
        found = agenda.find(self.suggestions(meeting), reference)
        if found is None:
            raise DomainError(f"{reference} is no longer suggested for this meeting.")
        services.agenda_add(
            actor=actor,
            meeting=meeting,
            case=found.case,
            reason=found.reason,
            reason_detail=found.detail,
        )
        return f"{found.case.reference} added to the agenda."

    def add_all(self, actor: Actor, meeting: Meeting) -> str:
        suggested = self.suggestions(meeting)
        if not suggested:
            raise DomainError("There are no suggested cases to add.")
        services.agenda_add_all(actor=actor, meeting=meeting, suggestions=suggested)
        count = len(suggested)
        return f"{count} case{'s' if count != 1 else ''} added to the agenda."

    def add_case(self, actor: Actor, meeting: Meeting, form: AddCaseForm) -> str:
        if not form.is_valid():
            return ""
        reference = form.cleaned_data["reference"]
        case = self.reachable_case(reference)
        if case is None or case.lead_agency.site_id != meeting.panel.site_id:
            form.add_error(
                "reference", "Enter the reference of an open case led in this site."
            )
            return ""
        services.agenda_add(
            actor=actor,
            meeting=meeting,
            case=case,
            reason=AgendaItem.Reason.ADDED,
            reason_detail=form.cleaned_data["reason_detail"],
        )
        return f"{case.reference} added to the agenda."

    def reachable_case(self, reference: str) -> Case | None:
        """The case if the coordinator reaches it (missing and out of reach
        alike answer None)."""
        try:
            return self.access.case_for(reference, need=Permission.PANEL_MANAGE)
        except CaseBlocked as blocked:
            record_blocked_attempt(self.request, blocked)
            return None
        except (Http404, PermissionDenied):
            return None
