"""One case on the agenda: its discussion page, and the forms on it that
record the discussion, that it was not discussed, information shared and
actions agreed."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.access.policy import CaseBlocked
from masip.access.views import record_blocked_attempt
from masip.core.errors import DomainError
from masip.panels import selectors, services
from masip.panels.forms import (
    ActionForm,
    DiscussionForm,
    InformationShareForm,
    NotDiscussedForm,
    put_errors,
)
from masip.panels.models import AgendaItem, Meeting
from masip.panels.services import PanelInputError
from masip.panels.views._base import PanelView, is_editable, is_recordable, item_url


class _ItemPage(PanelView):
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
            "editable": manages and is_editable(meeting),
            "recordable": manages and is_recordable(meeting),
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
        return redirect(item_url(meeting, item))

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
            return HttpResponseRedirect(item_url(meeting, item))
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
                return HttpResponseRedirect(item_url(meeting, item))
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
