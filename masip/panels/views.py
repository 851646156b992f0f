"""Pages of the panels: the panel, its meetings, the agenda, attendance and,
for each case listed, what the panel discussed, shared and agreed.

Thin: meetings come through ``access.meeting_for`` (404 when missing or out
of reach), every case through ``access.case_for``; the writing is done by
``masip.panels.services`` (and actions by ``action_services``).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from masip.access.actors import Actor, client_ip
from masip.access.permissions import Permission
from masip.access.policy import CaseBlocked
from masip.access.views import GlobalView, record_blocked_attempt
from masip.accounts.models import Membership, Site
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.models import Case
from masip.core.conflicts import conflict_rows, resubmittable_form
from masip.core.errors import DomainError, StaleEditError
from masip.core.templatetags.govuk import govuk_date
from masip.panels import agenda, selectors, services
from masip.panels.forms import (
    ActionForm,
    AddCaseForm,
    AttendanceForm,
    ConfirmForm,
    DiscussionForm,
    InformationShareForm,
    MeetingEditForm,
    MeetingForm,
    NotDiscussedForm,
    PanelForm,
    put_errors,
)
from masip.panels.models import AgendaItem, Meeting, Panel
from masip.panels.services import PanelInputError


def _meeting_url(meeting: Meeting, name: str = "meeting-detail") -> str:
    return reverse(f"panels:{name}", kwargs={"public_id": meeting.public_id})


def _item_url(meeting: Meeting, item: AgendaItem) -> str:
    return reverse(
        "panels:item-detail",
        kwargs={"public_id": meeting.public_id, "item_id": item.public_id},
    )


class _PanelView(GlobalView):
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


def _editable(meeting: Meeting) -> bool:
    return (
        meeting.minutes_issued_at is None and meeting.status != Meeting.Status.CANCELLED
    )


def _recordable(meeting: Meeting) -> bool:
    """Whether the discussion of its cases can be recorded now."""
    return _editable(meeting) and meeting.held_on <= timezone.localdate()


# The panel -----------------------------------------------------------------------


class PanelListView(_PanelView):
    """The panels the user reaches, with their upcoming and past meetings."""

    required_permission = Permission.PANEL_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        site = selectors.managed_site(self.access)
        rows = selectors.panel_rows(self.access)
        return self.page(
            "panels/panel_list.html",
            rows=rows,
            managed_site=site,
            needs_setting_up=site is not None
            and not any(r.panel.site_id == site.pk for r in rows),
        )


class PanelEditView(_PanelView):
    """Set up the site's panel, or change its members and chair."""

    required_permission = Permission.PANEL_MANAGE
    template = "panels/panel_form.html"

    def site(self) -> Site:
        site = selectors.managed_site(self.access)
        if site is None:
            raise PermissionDenied
        return site

    def form(self, site: Site, panel: Panel | None, **kwargs: Any) -> PanelForm:
        agencies = selectors.candidate_agencies(site)
        if panel is not None and "data" not in kwargs:
            kwargs["initial"] = {
                "name": panel.name,
                "member_agencies": list(panel.member_agencies.all()),
                "chair": panel.chair,
            }
        elif "data" not in kwargs:
            kwargs["initial"] = {"name": f"{site.name} stalking panel"}
        return PanelForm(
            agencies=agencies, people=selectors.active_members(agencies), **kwargs
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        site = self.site()
        panel = selectors.panel_of_site(site)
        return self.page(
            self.template, form=self.form(site, panel), panel=panel, site=site
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        site = self.site()
        panel = selectors.panel_of_site(site)
        form = self.form(site, panel, data=request.POST)
        if form.is_valid():
            try:
                services.panel_save(
                    actor=self.site_actor(site.pk),
                    site=site,
                    name=form.cleaned_data["name"],
                    member_agencies=list(form.cleaned_data["member_agencies"]),
                    chair=form.cleaned_data["chair"],
                )
            except PanelInputError as exc:
                put_errors(form, exc)
            else:
                messages.success(request, "Panel saved.")
                return redirect("panels:panel-list")
        return self.page(self.template, form=form, panel=panel, site=site)


# Meetings ------------------------------------------------------------------------


class MeetingCreateView(_PanelView):
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
                return redirect(_meeting_url(meeting))
        return self.page(self.template, form=form, panel=panel, meeting=None)


class MeetingDetailView(_PanelView):
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
            editable=_editable(meeting),
            unsettled=sum(1 for item in items if not item.settled),
        )


class MeetingEditView(_PanelView):
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
                return redirect(_meeting_url(meeting))
        return self.page(self.template, form=form, **context)


class _ConfirmView(_PanelView):
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
            unsettled=services.unsettled_items(meeting),
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
                return redirect(_meeting_url(meeting))
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


# The agenda ----------------------------------------------------------------------


class AgendaView(_PanelView):
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
        if not _editable(meeting):
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
            editable=_editable(meeting),
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
        return redirect(_meeting_url(meeting, "agenda"))

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


# Attendance ----------------------------------------------------------------------


class AttendanceView(_PanelView):
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
            editable=_editable(meeting),
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
                return redirect(_meeting_url(meeting))
        return self.page(
            self.template, meeting=meeting, form=form, editable=_editable(meeting)
        )


# One case on the agenda ----------------------------------------------------------


class _ItemPage(_PanelView):
    """The discussion page of one agenda item, with its forms."""

    def item_page(
        self, meeting: Meeting, item: AgendaItem, *, manages: bool, **forms: Any
    ) -> HttpResponse:
        shared = manages or item.case_id in selectors.reached_case_ids(
            self.access, [item.case_id]
        )
        context: dict[str, Any] = {
            "meeting": meeting,
            "item": item,
            "case": item.case,
            "shared": shared,
            "manages": manages,
            "editable": manages and _editable(meeting),
            "recordable": manages and _recordable(meeting),
        }
        if shared:
            context["shares"] = selectors.item_shares(item)
            context["actions"] = selectors.item_actions(item)
        if context["recordable"]:
            agencies = meeting.panel.member_agencies.order_by("name")
            people = selectors.active_members(agencies)
            context["discussion_form"] = forms.get("discussion_form") or DiscussionForm(
                initial=_discussion_initial(item)
            )
            context["not_discussed_form"] = forms.get(
                "not_discussed_form"
            ) or NotDiscussedForm(initial={"reason": item.not_discussed_reason})
            context["share_form"] = forms.get("share_form") or InformationShareForm(
                agencies=agencies
            )
            context["action_form"] = forms.get("action_form") or ActionForm(
                agencies=agencies, people=people
            )
        return self.page("panels/item_detail.html", **context)


def _discussion_initial(item: AgendaItem) -> dict[str, Any]:
    return {
        "summary": item.summary,
        "victim_voice": item.victim_voice,
        "decisions": item.decisions,
        "agreed_risk_level": item.agreed_risk_level or None,
    }


class ItemDetailView(_ItemPage):
    """One case's discussion. Readers who do not reach the case see only its
    reference and lead agency."""

    required_permission = Permission.PANEL_VIEW

    def get(
        self, request: HttpRequest, public_id: uuid.UUID, item_id: uuid.UUID
    ) -> HttpResponse:
        meeting = self.meeting(public_id)
        item = selectors.item_in_meeting(meeting, item_id)
        manages = self._coordinates(meeting, item)
        self.record(
            self.reader(meeting),
            target_type="agenda_item",
            target_id=item.public_id,
            case_reference=item.case.reference,
        )
        return self.item_page(meeting, item, manages=manages)

    def _coordinates(self, meeting: Meeting, item: AgendaItem) -> bool:
        """Whether the reader runs the panel and reaches the case for it."""
        if not self.manages(meeting.panel):
            return False
        try:
            self.access.case_for(item.case.reference, need=Permission.PANEL_MANAGE)
        except (Http404, PermissionDenied):
            return False
        return True


class _ItemWriteView(_ItemPage):
    """A form on the discussion page: GET goes to the page, POST writes."""

    required_permission = Permission.PANEL_MANAGE
    form_name = ""

    def get(
        self, request: HttpRequest, public_id: uuid.UUID, item_id: uuid.UUID
    ) -> HttpResponse:
        meeting = self.meeting(public_id)
        item = selectors.item_in_meeting(meeting, item_id)
        return redirect(_item_url(meeting, item))

    def post(
        self, request: HttpRequest, public_id: uuid.UUID, item_id: uuid.UUID
    ) -> HttpResponse:
        meeting = self.meeting(public_id)
        item = selectors.item_in_meeting(meeting, item_id)
        try:
            case = self.access.case_for(
                item.case.reference, need=Permission.PANEL_MANAGE
            )
        except CaseBlocked as blocked:
            record_blocked_attempt(self.request, blocked)
            raise Http404("No agenda item found.") from None
        item.case = case
        try:
            services.ensure_records_open(meeting)
        except DomainError as exc:
            # The forms are not on the page once the records are closed.
            messages.error(request, str(exc))
            return HttpResponseRedirect(_item_url(meeting, item))
        form = self.make_form(meeting, item)
        if form.is_valid():
            try:
                done = self.write(self.meeting_actor(meeting), meeting, item, form)
            except PanelInputError as exc:
                put_errors(form, exc)
            except DomainError as exc:
                field = getattr(exc, "field", "")
                form.add_error(field if field in form.fields else None, str(exc))
            else:
                messages.success(request, done)
                return HttpResponseRedirect(_item_url(meeting, item))
        return self.item_page(meeting, item, manages=True, **{self.form_name: form})

    def make_form(self, meeting: Meeting, item: AgendaItem) -> Any:
        raise NotImplementedError

    def write(self, actor: Actor, meeting: Meeting, item: AgendaItem, form: Any) -> str:
        raise NotImplementedError


class DiscussionView(_ItemWriteView):
    form_name = "discussion_form"

    def make_form(self, meeting: Meeting, item: AgendaItem) -> DiscussionForm:
        return DiscussionForm(self.request.POST)

    def write(
        self, actor: Actor, meeting: Meeting, item: AgendaItem, form: DiscussionForm
    ) -> str:
        before = item.case.risk_level
        services.discussion_record(
            actor=actor, meeting=meeting, item=item, **form.cleaned_data
        )
        agreed = form.cleaned_data["agreed_risk_level"]
        if agreed != before:
            return (
                f"Discussion recorded. The risk level of {item.case.reference} "
                "is now the level the panel agreed."
            )
        return "Discussion recorded."


class NotDiscussedView(_ItemWriteView):
    form_name = "not_discussed_form"

    def make_form(self, meeting: Meeting, item: AgendaItem) -> NotDiscussedForm:
        return NotDiscussedForm(self.request.POST)

    def write(
        self, actor: Actor, meeting: Meeting, item: AgendaItem, form: NotDiscussedForm
    ) -> str:
        services.item_mark_not_discussed(
            actor=actor, meeting=meeting, item=item, reason=form.cleaned_data["reason"]
        )
        return "Marked as not discussed."


class InformationShareView(_ItemWriteView):
    form_name = "share_form"

    def make_form(self, meeting: Meeting, item: AgendaItem) -> InformationShareForm:
        return InformationShareForm(
            self.request.POST, agencies=meeting.panel.member_agencies.order_by("name")
        )

    def write(
        self,
        actor: Actor,
        meeting: Meeting,
        item: AgendaItem,
        form: InformationShareForm,
    ) -> str:
        data = form.cleaned_data
        services.information_share_record(
            actor=actor,
            meeting=meeting,
            item=item,
            from_agency=data["from_agency"],
            to_agencies=list(data["to_agencies"]),
            categories=list(data["categories"]),
            lawful_basis=data["lawful_basis"],
            condition=data.get("condition", ""),
            consent=data["consent"],
            consent_reason=data.get("consent_reason", ""),
            necessity=data["necessity"],
        )
        return "Information sharing recorded."


class ActionCreateView(_ItemWriteView):
    form_name = "action_form"

    def make_form(self, meeting: Meeting, item: AgendaItem) -> ActionForm:
        agencies = meeting.panel.member_agencies.order_by("name")
        return ActionForm(
            self.request.POST,
            agencies=agencies,
            people=selectors.active_members(agencies),
        )

    def write(
        self, actor: Actor, meeting: Meeting, item: AgendaItem, form: ActionForm
    ) -> str:
        from masip.panels.action_services import action_create

        data = form.cleaned_data
        item.meeting = meeting
        action_create(
            actor=actor,
            case=item.case,
            item=item,
            owner_agency=data["owner_agency"],
            owner=data.get("owner"),
            description=data["description"],
            due_on=data["due_on"],
        )
        return f"Action added for {data['owner_agency'].name}."
