"""The victim's safety plan: the current version, every version, and a new
version. Its content is shown only to those who see victim contact details,
once revealed; the review date and agreement to every reader."""

from __future__ import annotations

import uuid
from functools import cached_property

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from masip.access.permissions import Permission
from masip.accounts.models import Membership
from masip.audit.events import EventType
from masip.core.conflicts import conflict_rows
from masip.core.errors import DomainError, StaleEditError
from masip.safety import selectors, services
from masip.safety.forms import SafetyPlanForm
from masip.safety.models import SafetyPlan
from masip.safety.views._base import VictimView, refused


class _PlanPage(VictimView):
    """A page reading the victim's plan (every reader of plans may)."""

    required_permission = Permission.SAFETY_PLAN_VIEW

    def viewed_plan(self, public_id: uuid.UUID) -> SafetyPlan | None:
        """The victim's plan (None before the first version), its view audited."""
        victim = self.load_victim(public_id)
        plan = selectors.plan_for(case=self.case, victim=victim)
        self.record_view(
            EventType.SAFETY_PLAN_VIEWED,
            target_type="safety_plan" if plan else "person",
            target_id=plan.public_id if plan else victim.public_id,
        )
        return plan


class PlanView(_PlanPage):
    """The current version: its content for those who see victim contact
    details (once revealed); the review date and agreement for every reader."""

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        plan = self.viewed_plan(public_id)
        current = selectors.current_version(plan)
        today = timezone.localdate()
        return self.page(
            "safety/plan.html",
            victim=self.victim,
            plan=plan,
            current=current,
            review=selectors.ReviewState(current.review_on, today) if current else None,
            may_edit=selectors.writing_membership(
                self.case_access, Permission.SAFETY_PLAN_EDIT
            )
            is not None,
        )


class PlanHistoryView(_PlanPage):
    """Every version: who saved it and when; its content only once revealed."""

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        plan = self.viewed_plan(public_id)
        return self.page(
            "safety/plan_history.html",
            victim=self.victim,
            plan=plan,
            versions=selectors.plan_versions(plan) if plan else [],
        )


class PlanEditView(VictimView):
    """Write a new version, filled from the current one. Without the victim
    contact compartment the page says so; masked, the user reveals first."""

    required_permission = Permission.SAFETY_PLAN_EDIT
    template = "safety/plan_edit.html"

    @cached_property
    def membership(self) -> Membership | None:
        return selectors.writing_membership(
            self.case_access, Permission.SAFETY_PLAN_EDIT
        )

    def _blocked(self) -> HttpResponse | None:
        if self.membership is None:
            return self.page("safety/plan_no_reach.html", victim=self.victim)
        if self.sealed.masked:
            return redirect(self.reveal_url())
        return None

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        victim = self.load_victim(public_id)
        if (blocked := self._blocked()) is not None:
            return blocked
        current = selectors.current_version(
            selectors.plan_for(case=self.case, victim=victim)
        )
        number = current.number if current else 0
        initial = SafetyPlanForm.initial_from(
            services.plan_current_values(current), number
        )
        return self.page(
            self.template, victim=victim, form=SafetyPlanForm(initial=initial)
        )

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        victim = self.load_victim(public_id)
        if self.membership is not None and self.sealed.masked:
            messages.info(
                request,
                "Your reveal ended before you saved, so nothing was changed. Reveal "
                "the details again, then make your change.",
            )
        if (blocked := self._blocked()) is not None:
            return blocked
        assert self.membership is not None
        form = SafetyPlanForm(request.POST)
        if not form.is_valid():
            return self.page(self.template, victim=victim, form=form)
        data = dict(form.cleaned_data)
        try:
            services.safety_plan_save(
                actor=self.acting(self.membership),
                case=self.case,
                victim=victim,
                **data,
            )
        except StaleEditError as error:
            return self._conflict(error)
        except DomainError as error:
            refused(form, error)
            return self.page(self.template, victim=victim, form=form)
        messages.success(request, "Safety plan saved.")
        return redirect(
            reverse(
                "safety:plan",
                kwargs={
                    "reference": self.case.reference,
                    "public_id": victim.public_id,
                },
            )
        )

    def _conflict(self, error: StaleEditError) -> HttpResponse:
        data = self.request.POST.copy()
        data["version"] = str(error.current_version)
        form = SafetyPlanForm(data)
        form.is_valid()
        form.add_error(None, str(error))
        theirs = SafetyPlanForm.initial_from(error.current, error.current_version)
        return self.page(
            self.template,
            victim=self.victim,
            form=form,
            conflict=conflict_rows(form, theirs),
        )
