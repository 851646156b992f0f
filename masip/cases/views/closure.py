"""Closing a case: the checklist and request, the manager's decision, the
closure and its outcome follow-ups, and reopening a closed case."""

import uuid
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from masip.access.actors import Actor, actor_from_request
from masip.access.permissions import Compartment
from masip.access.permissions import Permission as P
from masip.access.policy import CaseAccess
from masip.access.views import CaseView
from masip.accounts.models import Membership
from masip.cases import closure_selectors as selectors
from masip.cases import services
from masip.cases.closure_forms import (
    APPROVE,
    ClosureDecisionForm,
    ClosureRequestForm,
    FollowUpForm,
    ReopenForm,
)
from masip.cases.closure_rules import Checklist, Item
from masip.cases.models import Case, ClosureRequest, OutcomeFollowUp
from masip.cases.views._base import CaseFormView, case_url
from masip.core.errors import DomainError
from masip.core.forms import GovukForm
from masip.core.templatetags.govuk import govuk_day


def lead_membership(case_access: CaseAccess, permission: P) -> Membership | None:
    """The membership in which the user does ``permission`` for the case's
    lead agency (a share or break-the-glass reach does not count)."""
    for reach in case_access.reaches:
        if reach.via == "lead" and permission in reach.membership.role_def.permissions:
            return reach.membership
    return None


def _existing_page(path: str) -> str:
    """``path`` if MASIP serves a page there, else an empty string."""
    try:
        resolve(path)
    except Resolver404:
        return ""
    return path


def checklist_links(case: Case) -> dict[str, dict[str, str]]:
    """Where to go to meet each checklist item, and the link's words."""
    links = {
        # The case's actions, mounted at /cases/<reference>/actions/.
        Item.ACTIONS: (
            _existing_page(case_url(case.reference) + "actions/"),
            "Go to the case's actions",
        ),
        Item.RISK_REVIEW: (
            reverse("risk:picture", kwargs={"reference": case.reference}),
            "Go to the risk picture to complete an assessment",
        ),
        Item.VICTIM_INFORMED: ("#id_victim_informed", "Confirm it in the form"),
    }
    return {
        key.value: {"href": href, "text": text}
        for key, (href, text) in links.items()
        if href
    }


def closure_url(closure: ClosureRequest, name: str = "closure-detail") -> str:
    return reverse(
        f"cases:{name}",
        kwargs={"reference": closure.case.reference, "public_id": closure.public_id},
    )


class CaseCloseView(CaseFormView):
    """The checklist, each item met or not with how to meet it, then the
    request (reason, note, and the victim told: how and when)."""

    required_permission = P.CASE_CLOSE_REQUEST
    template_name = "cases/closure_request.html"
    form_class = ClosureRequestForm

    created: ClosureRequest

    def render_form(self, form: GovukForm, **extra: Any) -> HttpResponse:
        assert isinstance(form, ClosureRequestForm)
        checklist = services.closure_checklist_for(
            self.case, victim_informed=form.victim_declared
        )
        context = self.case_context(
            form=form,
            checklist=checklist,
            links=checklist_links(self.case),
            pending=selectors.pending_closure(self.case),
            **extra,
        )
        return render(self.request, self.template_name, context)

    def perform(self, form: ClosureRequestForm) -> str:
        data = form.cleaned_data
        self.created = services.closure_request(
            actor=self.actor(),
            case=self.case,
            reason=data["reason"],
            note=data["note"],
            victim_informed=data["victim_informed"],
            victim_informed_how=data["victim_informed_how"],
            victim_informed_on=data["victim_informed_on"],
        )
        return (
            "Request sent. A team manager of "
            f"{self.case.lead_agency.name} will decide whether the case closes."
        )

    def success_url(self) -> str:
        return closure_url(self.created)


class ClosureOverviewView(CaseView):
    """The case's closure (reason, who approved it, when), its outcome
    follow-ups, and every request made to close it."""

    required_permission = P.CASE_VIEW

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        requests = list(selectors.closure_requests(self.case))
        context = self.case_context(
            closed_by=selectors.latest_approved_closure(self.case),
            pending=next((r for r in requests if r.is_pending), None),
            requests=requests,
            follow_ups=list(selectors.follow_ups(self.case)),
        )
        return render(request, "cases/closure_overview.html", context)


class ClosureDetailView(CaseView):
    """One request: what was asked and the checklist as it stood, then the
    decision form for a lead-agency manager, or Withdraw for the requester."""

    required_permission = P.CASE_CLOSE_REQUEST

    @cached_property
    def closure(self) -> ClosureRequest:
        public_id: uuid.UUID = self.kwargs["public_id"]
        return selectors.closure_request_get(self.case, public_id)

    @cached_property
    def decider(self) -> Membership | None:
        return lead_membership(self.case_access, P.CASE_CLOSE)

    def checklist_now(self) -> Checklist | None:
        if not self.closure.is_pending:
            return None
        return services.closure_checklist_for(
            self.case, victim_informed=self.closure.victim_informed
        )

    def page(
        self, form: ClosureDecisionForm | None = None, *, status: int = 200
    ) -> HttpResponse:
        closure = self.closure
        mine = closure.requested_by_id == self.request.user.pk
        can_decide = closure.is_pending and self.decider is not None and not mine
        context = self.case_context(
            closure=closure,
            checklist=self.checklist_now(),
            links=checklist_links(self.case),
            can_decide=can_decide,
            own_request=mine,
            can_withdraw=closure.is_pending and mine,
            decision_form=form or (ClosureDecisionForm() if can_decide else None),
            sees_victim_contact=self.case_access.sees(Compartment.VICTIM_CONTACT),
        )
        return render(self.request, "cases/closure_detail.html", context, status=status)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self.page()


class ClosureDecideView(ClosureDetailView):
    """Approve or refuse (a team manager acting for the lead agency, who did
    not make the request)."""

    required_permission = P.CASE_CLOSE

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return redirect(closure_url(self.closure))

    def decider_actor(self) -> Actor:
        if self.decider is None:
            raise PermissionDenied
        return actor_from_request(
            self.request, self.decider, case_reference=self.case.reference
        )

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        actor = self.decider_actor()
        form = ClosureDecisionForm(request.POST)
        if not form.is_valid():
            return self.page(form)
        try:
            if form.cleaned_data["decision"] == APPROVE:
                message = self.approve(actor, form)
            else:
                services.closure_refuse(
                    actor=actor, closure=self.closure, reason=form.cleaned_data["note"]
                )
                message = "Request refused. The case stays open."
        except DomainError as error:
            form.add_error(None, str(error))
            del self.closure  # show the request as it stands now
            return self.page(form)
        messages.success(request, message)
        return redirect(closure_url(self.closure))

    def approve(self, actor: Actor, form: ClosureDecisionForm) -> str:
        services.closure_approve(
            actor=actor, closure=self.closure, note=form.cleaned_data["note"]
        )
        due = [f.due_on for f in selectors.follow_ups(self.case).filter(status="due")]
        dates = ", ".join(govuk_day(d) for d in due)
        return f"Case closed. Outcome follow-ups are due on {dates}."


class ClosureWithdrawView(ClosureDetailView):
    """The requester takes back a request still waiting (a button)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        try:
            services.closure_withdraw(actor=self.actor(), closure=self.closure)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Request withdrawn. The case stays open.")
        return redirect(closure_url(self.closure))


class CaseReopenView(CaseFormView):
    """Reopen a closed case as active, with the reason; pending follow-ups
    are cancelled."""

    required_permission = P.CASE_CHANGE_STATUS
    template_name = "cases/closure_reopen.html"
    form_class = ReopenForm

    def extra_context(self) -> dict[str, Any]:
        due = selectors.follow_ups(self.case).filter(status=OutcomeFollowUp.Status.DUE)
        return {"due_follow_ups": list(due)}

    def perform(self, form: ReopenForm) -> str:
        services.case_reopen(
            actor=self.actor(), case=self.case, reason=form.cleaned_data["reason"]
        )
        return "Case reopened. It is now active."


class FollowUpRecordView(CaseFormView):
    """Record what was found at a 6, 12 or 24-month follow-up."""

    required_permission = P.CASE_EDIT
    template_name = "cases/closure_follow_up.html"
    form_class = FollowUpForm
    return_to = "case-closure"

    @cached_property
    def follow_up(self) -> OutcomeFollowUp:
        public_id: uuid.UUID = self.kwargs["public_id"]
        return selectors.follow_up_get(self.case, public_id)

    def extra_context(self) -> dict[str, Any]:
        follow_up = self.follow_up
        ready = follow_up.is_due and follow_up.due_on <= timezone.localdate()
        return {"follow_up": follow_up, "ready": ready}

    def perform(self, form: FollowUpForm) -> str:
        follow_up = services.follow_up_record(
            actor=self.actor(), follow_up=self.follow_up, **form.cleaned_data
        )
        return f"{follow_up.months}-month follow-up recorded."
