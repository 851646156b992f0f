"""Pages for the course of conduct: the timeline and single incidents."""

import uuid
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from masip.access import reveal
from masip.access.permissions import Permission
from masip.access.views import CaseView
from masip.audit.events import EventType
from masip.cases.keyset import keyset_page
from masip.core.conflicts import conflict_rows, resubmittable_form
from masip.core.errors import StaleEditError
from masip.incidents import selectors, services
from masip.incidents.forms import IncidentEditForm, IncidentFilterForm, IncidentForm
from masip.incidents.models import Incident
from masip.interventions.selectors import intervention_timeline_context
from masip.orders.selectors import (
    incident_review_context,
    open_review_count,
    order_timeline_context,
)
from masip.panels.action_selectors import action_timeline_context
from masip.risk.views import recognition_context

TIMELINE_PAGE_SIZE = 50


@dataclass(frozen=True)
class IncidentRow:
    """An incident with what the page needs worked out beforehand."""

    incident: Incident
    when: str
    location_withheld: bool
    # Withheld only until the user reveals victim details (they may).
    location_masked: bool


def _row(incident: Incident, *, sealed: reveal.SealedState) -> IncidentRow:
    hidden = incident.location_is_restricted and not sealed.shown
    return IncidentRow(
        incident=incident,
        when=selectors.incident_when(incident),
        location_withheld=hidden,
        location_masked=hidden and sealed.masked,
    )


class _IncidentView(CaseView):
    tab = "incidents"

    @cached_property
    def sealed(self) -> reveal.SealedState:
        """Whether restricted locations are withheld, masked or shown to this user."""
        return reveal.victim_contact(self.access, self.case)

    @property
    def sees_location(self) -> bool:
        """Restricted locations are shown: granted and revealed."""
        return self.sealed.shown

    @property
    def may_restrict(self) -> bool:
        """Whether the user may mark a location restricted (revealed or not)."""
        return self.sealed.granted

    def page(self, template: str, **extra: Any) -> HttpResponse:
        return render(
            self.request,
            template,
            self.case_context(
                sealed=self.sealed, **recognition_context(self.case), **extra
            ),
        )

    def timeline_url(self) -> str:
        return reverse(
            "incidents:incident-list", kwargs={"reference": self.case.reference}
        )


class IncidentListView(_IncidentView):
    required_permission = Permission.INCIDENT_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        filters = IncidentFilterForm(request.GET)
        chosen = filters.cleaned_data if filters.is_valid() else {}
        incidents = selectors.incident_list(
            case=self.case,
            behaviour=chosen.get("behaviour", ""),
            channel=chosen.get("channel", ""),
        )
        page = keyset_page(
            incidents,
            keys=selectors.TIMELINE_KEYS,
            params=request.GET,
            per_page=TIMELINE_PAGE_SIZE,
        )
        rows = [_row(i, sealed=self.sealed) for i in page]
        filtered = bool(chosen.get("behaviour") or chosen.get("channel"))
        return self.page(
            "incidents/incident_list.html",
            filters=filters,
            filtered=filtered,
            matching=incidents.count() if filtered else None,
            pattern=selectors.incident_pattern(case=self.case),
            page=page,
            rows=rows,
            any_masked=any(row.location_masked for row in rows),
            **action_timeline_context(self.case, self.case_access),
            **order_timeline_context(self.case, self.case_access),
            **intervention_timeline_context(self.case, self.case_access),
        )


class IncidentRecordView(_IncidentView):
    required_permission = Permission.INCIDENT_RECORD

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page("incidents/incident_record.html", form=self._form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request.POST)
        if not form.is_valid():
            return self.page("incidents/incident_record.html", form=form)
        incident = services.incident_record(
            actor=self.actor(), case=self.case, **form.service_values()
        )
        messages.success(request, "Incident recorded.")
        if open_review_count(case=self.case, incident=incident):
            # It may breach an order: the incident page asks for a decision.
            return redirect(
                "incidents:incident-detail",
                reference=self.case.reference,
                public_id=incident.public_id,
            )
        return redirect(self.timeline_url())

    def _form(self, data: Any = None) -> IncidentForm:
        return IncidentForm(data, may_restrict=self.may_restrict)


class IncidentDetailView(_IncidentView):
    required_permission = Permission.INCIDENT_VIEW

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        incident = selectors.incident_get_in_case(case=self.case, public_id=public_id)
        self.record_view(
            EventType.INCIDENT_VIEWED,
            target_type="incident",
            target_id=incident.public_id,
        )
        return self.page(
            "incidents/incident_detail.html",
            incident=incident,
            row=_row(incident, sealed=self.sealed),
            **incident_review_context(self.case, self.case_access, incident),
        )


class IncidentEditView(_IncidentView):
    required_permission = Permission.INCIDENT_EDIT
    template = "incidents/incident_edit.html"

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        incident = selectors.incident_get_in_case(case=self.case, public_id=public_id)
        initial = IncidentEditForm.initial_from(
            services.incident_current_values(incident)
        )
        form = self._form(incident, initial={**initial, "version": incident.version})
        return self.page(self.template, form=form, incident=incident)

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        incident = selectors.incident_get_in_case(case=self.case, public_id=public_id)
        form = self._form(incident, data=request.POST)
        if not form.is_valid():
            return self.page(self.template, form=form, incident=incident)
        try:
            services.incident_update(
                actor=self.actor(),
                case=self.case,
                incident=incident,
                version=form.cleaned_data["version"],
                **form.service_values(),
            )
        except StaleEditError as exc:
            return self._conflict(incident, exc)
        messages.success(request, "Incident saved.")
        return redirect(
            "incidents:incident-detail",
            reference=self.case.reference,
            public_id=incident.public_id,
        )

    def _form(self, incident: Incident, **kwargs: Any) -> IncidentEditForm:
        # A location the user may not see is left out of the form altogether.
        show = self.sees_location or not incident.location_is_restricted
        return IncidentEditForm(
            may_restrict=self.may_restrict, show_location=show, **kwargs
        )

    def _conflict(self, incident: Incident, exc: StaleEditError) -> HttpResponse:
        form = resubmittable_form(
            lambda data: self._form(incident, data=data), self.request.POST, exc
        )
        theirs = IncidentEditForm.initial_from(exc.current)
        return self.page(
            self.template,
            form=form,
            incident=incident,
            conflict=conflict_rows(form, theirs),
        )
