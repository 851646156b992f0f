"""The interventions list, recording one, one intervention (its sessions and
history) and the forms that change it, end it or add a session.

A treatment's health details are left out of pages and forms for readers who
do not see health information, and its end and session forms answer them 403.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone

from masip.access.permissions import Permission
from masip.audit.events import EventType
from masip.core.forms import GovukForm
from masip.interventions import selectors, services
from masip.interventions.forms import (
    InterventionEndForm,
    InterventionRecordForm,
    InterventionUpdateForm,
    SessionForm,
)
from masip.interventions.models import Intervention
from masip.interventions.services._common import sees_health
from masip.interventions.views._base import FormView, InterventionsView


class InterventionListView(InterventionsView):
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


class InterventionRecordView(FormView):
    required_permission = Permission.INTERVENTION_RECORD
    title = "Record an intervention"
    button = "Record the intervention"
    done = "Intervention recorded."
    service = services.intervention_record

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return InterventionRecordForm(
            data,
            subjects=selectors.case_perpetrators(case=self.case),
            agencies=selectors.provider_agencies(case=self.case),
            sees_health=self.sees_health_here(),
            initial={"status": Intervention.Status.PLANNED},
        )

    def extra(self) -> dict[str, Any]:
        return {"no_subject": not selectors.case_perpetrators(case=self.case).exists()}

    def sees_health_here(self) -> bool:
        """Whether the membership the user records in sees health information."""
        acting = self.case_access.acting_membership(Permission.INTERVENTION_RECORD)
        return any(
            sees_health(reach)
            for reach in self.case_access.reaches
            if reach.membership.pk == acting.pk
        )

    def saved_url(self, saved: Intervention) -> str:
        return self.detail_url(saved)


# One intervention ----------------------------------------------------------------


class _OneIntervention(FormView):
    intervention: Intervention
    withheld: bool

    def load(self, public_id: uuid.UUID | None) -> None:
        assert public_id is not None
        self.intervention = selectors.intervention_get_in_case(
            case=self.case, public_id=public_id
        )
        self.withheld = selectors.health_withheld(self.intervention, self.case_access)

    def about(self) -> dict[str, Any]:
        return {"intervention": self.intervention}

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
    # Without health information the form has no practitioner or engagement,
    # and the service leaves them as they are.
    service = services.intervention_update

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return InterventionUpdateForm(
            data,
            agencies=selectors.provider_agencies(case=self.case),
            health=not self.withheld,
            initial=InterventionUpdateForm.initial_from(self.intervention),
        )


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
    service = services.intervention_end

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return InterventionEndForm(
            data,
            initial={
                "version": self.intervention.version,
                "ended_on": timezone.localdate(),
            },
        )


class SessionRecordView(_HealthForm):
    required_permission = Permission.INTERVENTION_RECORD
    title = "Record a session"
    button = "Record the session"
    done = "Session recorded."
    service = services.session_record

    def closed(self) -> str:
        return ""  # a session held before the end may still be recorded

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return SessionForm(data, initial={"on": timezone.localdate()})
