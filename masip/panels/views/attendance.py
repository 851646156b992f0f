"""Recording which member agencies attended a meeting."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from masip.access.permissions import Permission
from masip.core.errors import DomainError
from masip.panels import selectors, services
from masip.panels.forms import AttendanceForm, put_errors
from masip.panels.models import Meeting
from masip.panels.services import PanelInputError
from masip.panels.views._base import PanelView, is_editable, meeting_url


class AttendanceView(PanelView):
    required_permission = Permission.PANEL_MANAGE
    template = "panels/attendance.html"

    def form(self, meeting: Meeting, **kwargs: Any) -> AttendanceForm:
        return AttendanceForm(
            agencies=selectors.member_agencies(meeting.panel),
            current=selectors.attendance_by_agency(meeting),
            **kwargs,
        )

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        meeting = self.meeting(public_id)
        return self.page(
            self.template,
            meeting=meeting,
            form=self.form(meeting),
            editable=is_editable(meeting),
        )

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        meeting = self.meeting(public_id)
        form = self.form(meeting, data=request.POST)
        if form.is_valid():
            try:
                services.attendance_record(
                    actor=self.meeting_actor(meeting),
                    meeting=meeting,
                    entries=form.entries(),
                )
            except PanelInputError as exc:
                put_errors(form, exc)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Attendance saved.")
                return redirect(meeting_url(meeting))
        return self.page(
            self.template, meeting=meeting, form=form, editable=is_editable(meeting)
        )
