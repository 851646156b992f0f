"""Retention pages: the review queue, a case's review, disposals, the schedule."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from masip.access.permissions import Permission
from masip.access.views import CaseView, GlobalView
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.core.errors import DomainError, StaleEditError
from masip.core.pagination import page_links, paginate
from masip.retention import selectors, services
from masip.retention.forms import CONFIRM, DecisionForm, choices_for
from masip.retention.models import Decision

P = Permission


class QueueView(GlobalView):
    required_permission = P.RETENTION_REVIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        upcoming = request.GET.get("show") == "upcoming"
        cases = selectors.review_queue(self.access, upcoming=upcoming)
        page = paginate(cases, params=request.GET, per_page=settings.MASIP_PAGE_SIZE)
        audit.record(
            EventType.CASE_LIST_VIEWED,
            actor=self.actor().audit,
            target_type="retention_queue",
        )
        return render(
            request,
            "retention/queue.html",
            {
                "upcoming": upcoming,
                "upcoming_days": selectors.UPCOMING_DAYS,
                "page": page,
                "rows": selectors.queue_rows(list(page.object_list)),
                "page_links": page_links(page, request.GET),
            },
        )


class ReviewView(CaseView):
    """A closed case's retention review, for managers of its lead agency."""

    required_permission = P.RETENTION_REVIEW

    def _check_lead(self) -> None:
        membership = self.case_access.acting_membership(self.required_permission)
        if membership.agency_id != self.case.lead_agency_id:
            raise PermissionDenied

    def get(self, request: HttpRequest) -> HttpResponse:
        self._check_lead()
        return self._render(None)

    def post(self, request: HttpRequest) -> HttpResponse:
        self._check_lead()
        if not self.case.is_closed:
            return self._render(None)
        state = selectors.review_state(self.case)
        form = DecisionForm(request.POST, offered=self._offered(state))
        if not form.is_valid():
            return self._render(form, status=400)
        try:
            message = self._perform(form.cleaned_data)
        except StaleEditError:
            form.add_error(
                None,
                "Another manager recorded a decision on this case while you were "
                "deciding. Check the review history, then decide again.",
            )
            return self._render(form, status=409, fresh_version=True)
        except DomainError as error:
            form.add_error(None, str(error))
            return self._render(form, status=400)
        messages.success(request, message)
        if form.cleaned_data["decision"] == CONFIRM:
            return redirect("retention:queue")
        return redirect("retention:review", reference=self.case.reference)

    def _offered(self, state: selectors.ReviewState) -> list[str]:
        return choices_for(state, user_id=self.request.user.pk)

    def _perform(self, data: dict[str, Any]) -> str:
        decision = data["decision"]
        common = {
            "actor": self.actor(),
            "case": self.case,
            "version": data["version"],
            "reason": data["reason"],
        }
        reference = self.case.reference
        if decision == Decision.RETAIN:
            kept = services.retention_retain(
                **common, next_review_on=data.get("next_review_on")
            )
            return (
                f"Case {reference} kept. Next review: {kept.next_review_on:%-d %B %Y}."
            )
        if decision == CONFIRM:
            services.retention_dispose(**common)
            return (
                f"Case {reference} has been disposed of. The disposal record and "
                "the audit trail remain."
            )
        action = {
            Decision.LEGAL_HOLD: services.retention_hold,
            Decision.HOLD_LIFTED: services.retention_lift_hold,
            Decision.DISPOSAL_PROPOSED: services.retention_propose_disposal,
            Decision.DISPOSAL_WITHDRAWN: services.retention_withdraw_proposal,
        }[decision]
        action(**common)
        return f"Decision recorded for case {reference}."

    def _render(
        self,
        form: DecisionForm | None,
        *,
        status: int = 200,
        fresh_version: bool = False,
    ) -> HttpResponse:
        context: dict[str, Any] = {"decisions": selectors.decisions_for(self.case)}
        if self.case.is_closed:
            state = selectors.review_state(self.case)
            if form is None:
                form = DecisionForm(
                    offered=self._offered(state), initial={"version": state.version}
                )
            elif fresh_version:
                data = self.request.POST.copy()
                data["version"] = str(state.version)
                form.data = data
            context.update(state=state, form=form)
        return render(
            self.request,
            "retention/review.html",
            self.case_context(**context),
            status=status,
        )


class DisposalListView(GlobalView):
    required_permission = P.RETENTION_REVIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        records = selectors.disposals_for(self.access)
        page = paginate(records, params=request.GET, per_page=settings.MASIP_PAGE_SIZE)
        return render(
            request,
            "retention/disposals.html",
            {"page": page, "page_links": page_links(page, request.GET)},
        )


class ScheduleView(GlobalView):
    required_permission = P.RETENTION_REVIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "retention/schedule.html",
            {"schedules": selectors.schedules_for(self.access)},
        )
