"""Opening a case, its summary page, and changing its details."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from masip.access.actors import actor_from_request
from masip.access.permissions import Permission as P
from masip.access.views import CaseView, GlobalView
from masip.audit.events import EventType
from masip.cases import selectors, services
from masip.cases.forms import CaseCreateForm, CaseEditForm
from masip.cases.views._base import CaseFormView, case_url
from masip.core.conflicts import conflict_rows, resubmittable_form
from masip.core.errors import DomainError, StaleEditError
from masip.core.forms import GovukForm
from masip.risk.views import recognition_context


class CaseCreateView(GlobalView):
    required_permission = P.CASE_CREATE

    def get_form(self, data: QueryDict | None = None) -> CaseCreateForm:
        agencies = selectors.case_create_agencies(self.access)
        return CaseCreateForm(data, agencies=agencies)

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "cases/case_create.html", {"form": self.get_form()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.get_form(request.POST)
        if not form.is_valid():
            return render(request, "cases/case_create.html", {"form": form})
        data = form.cleaned_data
        membership = selectors.case_create_membership(self.access, data["lead_agency"])
        case = services.case_create(
            actor=actor_from_request(self.request, membership), **data
        )
        messages.success(request, f"Case {case.reference} created.")
        return redirect(case_url(case.reference))


class CaseDetailView(CaseView):
    required_permission = P.CASE_VIEW

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.record_view(EventType.CASE_VIEWED)
        summary = selectors.case_summary(self.case)
        return render(
            request, "cases/case_detail.html", self.case_context(summary=summary)
        )


class CaseEditView(CaseFormView):
    required_permission = P.CASE_EDIT
    template_name = "cases/case_edit.html"
    form_class = CaseEditForm

    def get_form(self, data: QueryDict | None = None) -> GovukForm:
        initial = {
            **services.case_current_values(self.case),
            "version": self.case.version,
        }
        return CaseEditForm(data, initial=initial)

    def extra_context(self) -> dict[str, Any]:
        return recognition_context(self.case)

    def perform(self, form: CaseEditForm) -> str:
        services.case_update(actor=self.actor(), case=self.case, **form.cleaned_data)
        return "Case details saved."

    def form_refused(self, form: GovukForm, error: DomainError) -> HttpResponse:
        if not isinstance(error, StaleEditError):
            return super().form_refused(form, error)
        fresh = resubmittable_form(CaseEditForm, self.request.POST, error)
        return self.render_form(fresh, conflict=conflict_rows(fresh, error.current))
