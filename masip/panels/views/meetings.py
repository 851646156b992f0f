"""A meeting: scheduling, its page, changing it, and the confirmed steps
(cancel, mark as held, issue the minutes)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.core.conflicts import conflict_rows, resubmittable_form
from masip.core.errors import DomainError, StaleEditError
from masip.core.templatetags.govuk import govuk_date
from masip.panels import selectors, services
from masip.panels.forms import ConfirmForm, MeetingEditForm, MeetingForm, put_errors
from masip.panels.models import Meeting, Panel
from masip.panels.services import PanelInputError
from masip.panels.views._base import PanelView, is_editable, meeting_url


class MeetingCreateView(PanelView):
    required_permission = Permission.PANEL_MANAGE
    template = "panels/meeting_form.html"

    def panel(self) -> Panel | None:
        site = selectors.managed_site(self.access)
        if site is None:
            raise PermissionDenied
        return selectors.panel_of_site(site)

    def get(self, request: HttpRequest) -> HttpResponse:
        panel = self.panel()
        if panel is None:
            messages.info(
                request, "Set up the site's panel before scheduling a meeting."
            )
            return redirect("panels:panel-edit")
        form = MeetingForm(initial={"kind": Meeting.Kind.SCHEDULED})
        return self.page(self.template, form=form, panel=panel, meeting=None)

    def post(self, request: HttpRequest) -> HttpResponse:
        panel = self.panel()
        if panel is None:
            return redirect("panels:panel-edit")
        form = MeetingForm(request.POST)
        if form.is_valid():
            try:
                meeting = services.meeting_schedule(
                    actor=self.site_actor(panel.site_id),
                    panel=panel,
                    **form.cleaned_data,
                )
            except PanelInputError as exc:
                put_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"Meeting scheduled for {govuk_date(meeting.held_on)}. The "
                    "member agencies have been told.",
                )
                return redirect(meeting_url(meeting))
        return self.page(self.template, form=form, panel=panel, meeting=None)


class MeetingDetailView(PanelView):
    """A meeting: when and where, attendance and the agenda. Cases the reader
    does not reach show only their reference and lead agency."""

    required_permission = Permission.PANEL_VIEW

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        meeting = self.meeting(public_id)
        items = selectors.agenda_items(meeting)
        reached = selectors.reached_case_ids(self.access, [i.case_id for i in items])
        attendance = selectors.attendance_by_agency(meeting)
        members = selectors.member_agencies(meeting.panel)
        self.record(
            self.reader(meeting), target_type="meeting", target_id=meeting.public_id
        )
        return self.page(
            "panels/meeting_detail.html",
            meeting=meeting,
            panel=meeting.panel,
            items=[(item, item.case_id in reached) for item in items],
            attendance=[(agency, attendance.get(agency.pk)) for agency in members],
            manages=self.manages(meeting.panel),
            editable=is_editable(meeting),
            unsettled=sum(1 for item in items if not item.settled),
        )


class MeetingEditView(PanelView):
    required_permission = Permission.PANEL_MANAGE
    template = "panels/meeting_form.html"

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        meeting = self.meeting(public_id)
        initial = {
            **services.meeting_current_values(meeting),
            "version": meeting.version,
        }
        return self.page(
            self.template,
            form=MeetingEditForm(initial=initial),
            panel=meeting.panel,
            meeting=meeting,
        )

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        meeting = self.meeting(public_id)
        form = MeetingEditForm(request.POST)
        context: dict[str, Any] = {"panel": meeting.panel, "meeting": meeting}
        if form.is_valid():
            values = dict(form.cleaned_data)
            version = values.pop("version")
            try:
                services.meeting_update(
                    actor=self.meeting_actor(meeting),
                    meeting=meeting,
                    version=version,
                    **values,
                )
            except StaleEditError as exc:
                form = resubmittable_form(MeetingEditForm, request.POST, exc)
                context["conflict"] = conflict_rows(form, exc.current)
            except PanelInputError as exc:
                put_errors(form, exc)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Meeting saved.")
                return redirect(meeting_url(meeting))
        return self.page(self.template, form=form, **context)


class _ConfirmView(PanelView):
    """A page asking to confirm a change to the meeting, then making it."""

    required_permission = Permission.PANEL_MANAGE
    heading = ""
    intro = ""
    button = ""
    done = ""

    def act(self, actor: Actor, meeting: Meeting, version: int) -> Meeting:
        raise NotImplementedError

    def render_page(self, meeting: Meeting, form: ConfirmForm) -> HttpResponse:
        return self.page(
            "panels/meeting_confirm.html",
            meeting=meeting,
            form=form,
            heading=self.heading,
            intro=self.intro,
            button=self.button,
            unsettled=selectors.unsettled_items(meeting),
        )

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        meeting = self.meeting(public_id)
        return self.render_page(
            meeting, ConfirmForm(initial={"version": meeting.version})
        )

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        meeting = self.meeting(public_id)
        form = ConfirmForm(request.POST)
        if form.is_valid():
            try:
                self.act(
                    self.meeting_actor(meeting), meeting, form.cleaned_data["version"]
                )
            except StaleEditError as exc:
                form = resubmittable_form(ConfirmForm, request.POST, exc)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, self.done)
                return redirect(meeting_url(meeting))
        return self.render_page(meeting, form)


class MeetingCancelView(_ConfirmView):
    heading = "Cancel the meeting"
    intro = "The member agencies' staff will be told the meeting is cancelled."
    button = "Cancel the meeting"
    done = "Meeting cancelled. The member agencies have been told."

    def act(self, actor: Actor, meeting: Meeting, version: int) -> Meeting:
        return services.meeting_cancel(actor=actor, meeting=meeting, version=version)


class MeetingHeldView(_ConfirmView):
    heading = "Mark the meeting as held"
    intro = (
        "Mark the meeting as held once it has taken place. You can go on "
        "recording attendance and the discussion of each case until you issue "
        "the minutes."
    )
    button = "Mark as held"
    done = "Meeting marked as held."

    def act(self, actor: Actor, meeting: Meeting, version: int) -> Meeting:
        return services.meeting_mark_held(actor=actor, meeting=meeting, version=version)


class MinutesIssueView(_ConfirmView):
    heading = "Issue the minutes"
    intro = (
        "Once the minutes are issued, the meeting's agenda, attendance and "
        "records of each case can no longer be changed."
    )
    button = "Issue the minutes"
    done = "Minutes issued."

    def act(self, actor: Actor, meeting: Meeting, version: int) -> Meeting:
        return services.minutes_issue(actor=actor, meeting=meeting, version=version)
