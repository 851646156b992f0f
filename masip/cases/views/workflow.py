"""Moving a case on: status, risk level and the workers allocated to it."""

from typing import Any

from masip.access.permissions import Permission as P
from masip.cases import selectors, services
from masip.cases.forms import AllocationForm, CaseRiskForm, CaseStatusForm
from masip.cases.models import RiskLevel
from masip.cases.views._base import CaseButtonView, CaseFormView


class CaseStatusView(CaseFormView):
    required_permission = P.CASE_CHANGE_STATUS
    template_name = "cases/case_status.html"
    form_class = CaseStatusForm

    def form_kwargs(self) -> dict[str, Any]:
        return {"current": self.case.status}

    def perform(self, form: CaseStatusForm) -> str:
        case = services.case_change_status(
            actor=self.actor(),
            case=self.case,
            to_status=form.cleaned_data["to_status"],
            reason=form.cleaned_data["reason"],
        )
        return f"The case is now {case.get_status_display().lower()}."


class CaseRiskView(CaseFormView):
    required_permission = P.CASE_CHANGE_RISK
    template_name = "cases/case_risk.html"
    form_class = CaseRiskForm

    def form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"current": self.case.risk_level}
        # From an assessment's page: "make this the case's level" proposes the
        # level and says where it came from; the user still confirms it.
        level, source = self.request.GET.get("level"), self.request.GET.get("from")
        if level in RiskLevel.values and level != self.case.risk_level:
            reason = (
                f"The {source} gives {RiskLevel(level).label.lower()}."
                if source
                else ""
            )
            kwargs["initial"] = {"risk_level": level, "reason": reason[:200]}
        return kwargs

    def perform(self, form: CaseRiskForm) -> str:
        case = services.case_change_risk(
            actor=self.actor(),
            case=self.case,
            to_level=form.cleaned_data["risk_level"],
            reason=form.cleaned_data["reason"],
        )
        return f"Risk level changed to {case.get_risk_level_display().lower()}."


class CaseAllocateView(CaseFormView):
    required_permission = P.CASE_ALLOCATE
    template_name = "cases/case_allocate.html"
    form_class = AllocationForm
    return_to = "case-allocate"

    def form_kwargs(self) -> dict[str, Any]:
        return {"workers": selectors.allocatable_workers(self.case)}

    def extra_context(self) -> dict[str, Any]:
        return {"allocations": list(selectors.open_allocations(self.case))}

    def perform(self, form: AllocationForm) -> str:
        worker = form.cleaned_data["worker"]
        services.case_allocate(actor=self.actor(), case=self.case, worker=worker)
        return f"{worker.full_name} allocated."


class AllocationEndView(CaseButtonView):
    required_permission = P.CASE_ALLOCATE
    return_to = "case-allocate"

    def perform(self, pk: int) -> str:
        allocation = selectors.allocation_get(self.case, pk)
        services.allocation_end(actor=self.actor(), allocation=allocation)
        return f"{allocation.user.full_name} removed."
