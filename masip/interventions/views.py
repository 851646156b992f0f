"""Intervention and custody pages of a case: the list, recording, one
intervention (sessions, history) with its update, end and session forms, and
one custody period with its update and release forms.

Thin: the case comes from the access module (CaseView), reads from
``selectors``, writes through ``services``. A treatment's health details are
left out of pages and forms for readers who do not see health information,
and its end and session forms answer them 403.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from masip.access.permissions import Permission
from masip.access.views import CaseView
from masip.audit.events import EventType
from masip.core.conflicts import conflict_rows, resubmittable_form
from masip.core.errors import DomainError, StaleEditError
from masip.core.forms import GovukForm
from masip.interventions import reminders, selectors, services
from masip.interventions.forms import (
    CustodyRecordForm,
    CustodyUpdateForm,
    InterventionEndForm,
    InterventionRecordForm,
    InterventionUpdateForm,
    ReleaseForm,
    SessionForm,
)
from masip.interventions.models import Custody, Intervention
from masip.interventions.services._common import sees_health


def _refused(form: GovukForm, error: DomainError) -> None:
    """Show a service's refusal on the field it names, else on the form."""
    name = getattr(error, "field", "")
    form.add_error(name if name in form.fields else None, str(error))


class _InterventionsView(CaseView):
    tab = "interventions"

    def page(self, template: str, **extra: Any) -> HttpResponse:
        return render(self.request, template, self.case_context(**extra))

    def list_url(self) -> str:
        return reverse("interventions:list", kwargs={"reference": self.case.reference})

    def detail_url(self, intervention: Intervention) -> str:
        return reverse(
            "interventions:detail",
            kwargs={
                "reference": self.case.reference,
                "public_id": intervention.public_id,
            },
        )

    def custody_url(self, custody: Custody) -> str:
        return reverse(
            "interventions:custody-detail",
            kwargs={"reference": self.case.reference, "public_id": custody.public_id},
        )


class InterventionListView(_InterventionsView):
    """The case's interventions and custody periods, and the next release."""

    required_permission = Permission.INTERVENTION_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = selectors.intervention_rows(
            selectors.case_interventions(case=self.case), self.case_access
        )
        custody = list(selectors.case_custody(case=self.case))
        return self.page(
            "interventions/list.html",
            rows=rows,
            any_withheld=any(r.withheld for r in rows),
            custody=custody,
            next_release=selectors.next_release(custody, today=timezone.localdate()),
        )


# Forms on their own pages ------------------------------------------------------


class _FormView(_InterventionsView):
    """A form page: GET shows it, POST saves through ``save`` and redirects,
    or shows the form again with the refusal, or with the other person's
    saved values beside the user's input (a lost update)."""

    template = "interventions/form_page.html"
    title = ""
    button = "Save"
    done = "Saved."

    def load(self, public_id: uuid.UUID | None) -> None:
        """Find the record the page is about (404 if not on the case)."""

    def closed(self) -> str:
        """Why the record no longer takes this form ('' if it does)."""
        return ""

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        raise NotImplementedError

    def save(self, form: Any) -> str:
        """Save the valid form; the address to go to."""
        raise NotImplementedError

    def back_url(self) -> str:
        return self.list_url()

    def extra(self) -> dict[str, Any]:
        return {}

    def show(self, form: GovukForm, **more: Any) -> HttpResponse:
        return self.page(
            self.template,
            form=form,
            title=self.title,
            button=self.button,
            cancel_href=self.back_url(),
            **self.extra(),
            **more,
        )

    def get(
        self, request: HttpRequest, public_id: uuid.UUID | None = None
    ) -> HttpResponse:
        self.load(public_id)
        if reason := self.closed():
            messages.info(request, reason)
            return redirect(self.back_url())
        return self.show(self.make_form())

    def post(
        self, request: HttpRequest, public_id: uuid.UUID | None = None
    ) -> HttpResponse:
        self.load(public_id)
        if reason := self.closed():
            messages.info(request, reason)
            return redirect(self.back_url())
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                target = self.save(form)
            except StaleEditError as error:
                again = resubmittable_form(self.make_form, request.POST, error)
                shown = conflict_rows(self.make_form(), error.current)
                return self.show(again, conflict=shown)
            except DomainError as error:
                _refused(form, error)
            else:
                messages.success(request, self.done)
                return redirect(target)
        return self.show(form)


class InterventionRecordView(_FormView):
    required_permission = Permission.INTERVENTION_RECORD
    title = "Record an intervention"
    button = "Record the intervention"
    done = "Intervention recorded."

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        reach_sees = sees_health_here(self)
        return InterventionRecordForm(
            data,
            subjects=selectors.case_perpetrators(case=self.case),
            agencies=selectors.provider_agencies(case=self.case),
            sees_health=reach_sees,
            initial={"status": Intervention.Status.PLANNED},
        )

    def extra(self) -> dict[str, Any]:
        return {"no_subject": not selectors.case_perpetrators(case=self.case).exists()}

    def save(self, form: Any) -> str:
        data = form.cleaned_data
        intervention = services.intervention_record(
            actor=self.actor(),
            case=self.case,
            subject=data["subject"],
            kind=data["kind"],
            provider_agency=data["provider_agency"],
            practitioner=data["practitioner"],
            status=data["status"],
            started_on=data["started_on"],
            planned_end_on=data["planned_end_on"],
        )
        return self.detail_url(intervention)


def sees_health_here(view: CaseView) -> bool:
    """Whether the membership the user records in sees health information."""
    membership = view.case_access.acting_membership(Permission.INTERVENTION_RECORD)
    return any(
        sees_health(reach)
        for reach in view.case_access.reaches
        if reach.membership.pk == membership.pk
    )


# One intervention ----------------------------------------------------------------


class _OneIntervention(_FormView):
    intervention: Intervention
    withheld: bool

    def load(self, public_id: uuid.UUID | None) -> None:
        assert public_id is not None
        self.intervention = selectors.intervention_get_in_case(
            case=self.case, public_id=public_id
        )
        self.withheld = selectors.health_withheld(self.intervention, self.case_access)

    def back_url(self) -> str:
        return self.detail_url(self.intervention)

    def closed(self) -> str:
        if not self.intervention.is_open:
            return "This intervention has ended."
        return ""

    def extra(self) -> dict[str, Any]:
        return {
            "intervention": self.intervention,
            "row": selectors.intervention_row(self.intervention, self.case_access),
        }


class InterventionDetailView(_OneIntervention):
    """One intervention: its details, sessions and history."""

    required_permission = Permission.INTERVENTION_VIEW
    http_method_names = ["get", "head", "options"]

    def get(
        self, request: HttpRequest, public_id: uuid.UUID | None = None
    ) -> HttpResponse:
        self.load(public_id)
        intervention = self.intervention
        self.record_view(
            EventType.INTERVENTION_VIEWED,
            target_type=selectors.INTERVENTION_TARGET,
            target_id=intervention.public_id,
        )
        may_record = self.case_access.can(Permission.INTERVENTION_RECORD)
        return self.page(
            "interventions/detail.html",
            **self.extra(),
            sessions=[]
            if self.withheld
            else selectors.intervention_sessions(intervention),
            history=selectors.intervention_history(
                case=self.case, intervention=intervention, withheld=self.withheld
            ),
            may_change=may_record and intervention.is_open,
            may_add_session=may_record and not self.withheld,
            may_end=may_record and intervention.is_open and not self.withheld,
        )


class InterventionUpdateView(_OneIntervention):
    required_permission = Permission.INTERVENTION_RECORD
    title = "Update the intervention"
    button = "Save changes"
    done = "Intervention updated."

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return InterventionUpdateForm(
            data,
            agencies=selectors.provider_agencies(case=self.case),
            health=not self.withheld,
            initial=InterventionUpdateForm.initial_from(self.intervention),
        )

    def save(self, form: Any) -> str:
        data = form.cleaned_data
        services.intervention_update(
            actor=self.actor(),
            intervention=self.intervention,
            version=data["version"],
            provider_agency=data["provider_agency"],
            status=data["status"],
            started_on=data["started_on"],
            planned_end_on=data["planned_end_on"],
            practitioner=data.get("practitioner"),
            engagement=data.get("engagement"),
        )
        return self.back_url()


class _HealthForm(_OneIntervention):
    """A form that writes a treatment's health details: 403 to readers who
    do not see health information."""

    def load(self, public_id: uuid.UUID | None) -> None:
        super().load(public_id)
        if self.withheld:
            raise PermissionDenied


class InterventionEndView(_HealthForm):
    required_permission = Permission.INTERVENTION_RECORD
    title = "End the intervention"
    button = "End the intervention"
    done = "Intervention ended."

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return InterventionEndForm(
            data,
            initial={
                "version": self.intervention.version,
                "ended_on": timezone.localdate(),
            },
        )

    def save(self, form: Any) -> str:
        data = form.cleaned_data
        services.intervention_end(
            actor=self.actor(),
            intervention=self.intervention,
            version=data["version"],
            ended_on=data["ended_on"],
            outcome=data["outcome"],
            outcome_note=data["outcome_note"],
        )
        return self.back_url()


class SessionRecordView(_HealthForm):
    required_permission = Permission.INTERVENTION_RECORD
    title = "Record a session"
    button = "Record the session"
    done = "Session recorded."

    def closed(self) -> str:
        return ""  # a session held before the end may still be recorded

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return SessionForm(data, initial={"on": timezone.localdate()})

    def save(self, form: Any) -> str:
        data = form.cleaned_data
        services.session_record(
            actor=self.actor(),
            intervention=self.intervention,
            on=data["on"],
            attendance=data["attendance"],
            note=data["note"],
        )
        return self.back_url()


# Custody ---------------------------------------------------------------------------


class CustodyRecordView(_FormView):
    required_permission = Permission.INTERVENTION_RECORD
    title = "Record a period in custody"
    button = "Record custody"
    done = "Custody recorded."

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return CustodyRecordForm(
            data, subjects=selectors.case_perpetrators(case=self.case)
        )

    def extra(self) -> dict[str, Any]:
        return {
            "no_subject": not selectors.case_perpetrators(case=self.case).exists(),
            "alert_days": reminders.alert_days(),
        }

    def save(self, form: Any) -> str:
        data = form.cleaned_data
        custody = services.custody_record(
            actor=self.actor(),
            case=self.case,
            subject=data["subject"],
            kind=data["kind"],
            establishment=data["establishment"],
            started_on=data["started_on"],
            expected_release_on=data["expected_release_on"],
        )
        return self.custody_url(custody)


class _OneCustody(_FormView):
    custody: Custody

    def load(self, public_id: uuid.UUID | None) -> None:
        assert public_id is not None
        self.custody = selectors.custody_get_in_case(
            case=self.case, public_id=public_id
        )

    def back_url(self) -> str:
        return self.custody_url(self.custody)

    def closed(self) -> str:
        if not self.custody.in_custody:
            return "The release from this custody is recorded."
        return ""

    def extra(self) -> dict[str, Any]:
        return {"custody": self.custody, "alert_days": reminders.alert_days()}


class CustodyDetailView(_OneCustody):
    required_permission = Permission.INTERVENTION_VIEW
    http_method_names = ["get", "head", "options"]

    def get(
        self, request: HttpRequest, public_id: uuid.UUID | None = None
    ) -> HttpResponse:
        self.load(public_id)
        self.record_view(
            EventType.INTERVENTION_VIEWED,
            target_type=selectors.CUSTODY_TARGET,
            target_id=self.custody.public_id,
        )
        custody = self.custody
        return self.page(
            "interventions/custody_detail.html",
            **self.extra(),
            alerted=custody.release_alerted_for is not None
            and custody.release_alerted_for == custody.expected_release_on,
            history=selectors.custody_history(case=self.case, custody=custody),
            may_change=self.case_access.can(Permission.INTERVENTION_RECORD)
            and custody.in_custody,
        )


class CustodyUpdateView(_OneCustody):
    required_permission = Permission.INTERVENTION_RECORD
    title = "Update the period in custody"
    button = "Save changes"
    done = "Custody updated."

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return CustodyUpdateForm(
            data, initial=CustodyUpdateForm.initial_from(self.custody)
        )

    def save(self, form: Any) -> str:
        data = form.cleaned_data
        services.custody_update(
            actor=self.actor(),
            custody=self.custody,
            version=data["version"],
            kind=data["kind"],
            establishment=data["establishment"],
            started_on=data["started_on"],
            expected_release_on=data["expected_release_on"],
        )
        return self.back_url()


class ReleaseRecordView(_OneCustody):
    required_permission = Permission.INTERVENTION_RECORD
    title = "Record the release"
    button = "Record the release"
    done = "Release recorded."

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return ReleaseForm(data, initial={"version": self.custody.version})

    def save(self, form: Any) -> str:
        data = form.cleaned_data
        services.custody_release(
            actor=self.actor(),
            custody=self.custody,
            version=data["version"],
            released_on=data["released_on"],
            release_kind=data["release_kind"],
        )
        return self.back_url()
