"""Custody pages: recording a period in custody, one period with its history,
and the forms that change it and record the release."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict

from masip.access.permissions import Permission
from masip.audit.events import EventType
from masip.core.forms import GovukForm
from masip.interventions import reminders, selectors, services
from masip.interventions.forms import (
    CustodyRecordForm,
    CustodyUpdateForm,
    ReleaseForm,
)
from masip.interventions.models import Custody
from masip.interventions.views._base import FormView


class CustodyRecordView(FormView):
    required_permission = Permission.INTERVENTION_RECORD
    title = "Record a period in custody"
    button = "Record custody"
    done = "Custody recorded."
    service = services.custody_record

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return CustodyRecordForm(
            data, subjects=selectors.case_perpetrators(case=self.case)
        )

    def extra(self) -> dict[str, Any]:
        return {
            "no_subject": not selectors.case_perpetrators(case=self.case).exists(),
            "alert_days": reminders.alert_days(),
        }

    def saved_url(self, saved: Custody) -> str:
        return self.custody_url(saved)


class _OneCustody(FormView):
    custody: Custody

    def load(self, public_id: uuid.UUID | None) -> None:
        assert public_id is not None
        self.custody = selectors.custody_get_in_case(
            case=self.case, public_id=public_id
        )

    def about(self) -> dict[str, Any]:
        return {"custody": self.custody}

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
    service = services.custody_update

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return CustodyUpdateForm(
            data, initial=CustodyUpdateForm.initial_from(self.custody)
        )


class ReleaseRecordView(_OneCustody):
    required_permission = Permission.INTERVENTION_RECORD
    title = "Record the release"
    button = "Record the release"
    done = "Release recorded."
    service = services.custody_release

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return ReleaseForm(data, initial={"version": self.custody.version})
