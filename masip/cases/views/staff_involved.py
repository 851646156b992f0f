"""Marking a case as involving an agency's own staff, and clearing the mark."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from masip.access.actors import Actor, actor_from_request
from masip.access.permissions import Permission as P
from masip.access.policy import Access
from masip.accounts.models import Membership
from masip.cases import staff_involved_selectors as selectors
from masip.cases.services import staff_involved as services
from masip.cases.staff_involved_forms import (
    StaffInvolvedClearForm,
    StaffInvolvedMarkForm,
)
from masip.cases.views._base import CaseFormView


class _StaffInvolvedFormView(CaseFormView):
    required_permission = P.CASE_STAFF_INVOLVED_MARK
    tab = "staff-involved"
    return_to = "case-staff-involved"

    @property
    def marker(self) -> Membership:
        """The lead-agency or professional-standards membership, else 403."""
        membership = self.case_access.staff_involved_marker()
        if membership is None:
            raise PermissionDenied
        return membership

    def marking_actor(self) -> Actor:
        return actor_from_request(
            self.request, self.marker, case_reference=self.case.reference
        )

    def success_url(self) -> str:
        # Marking one's own agency (or clearing it, for professional
        # standards) closes the case to the user: go to the list instead.
        still_in_reach = (
            Access(self.request.user).visible_cases().filter(pk=self.case.pk).exists()
        )
        if still_in_reach:
            return super().success_url()
        return reverse("cases:case-list")

    def extra_context(self) -> dict[str, Any]:
        return {"marks": list(selectors.staff_involvement_list(self.case))}


class StaffInvolvedView(_StaffInvolvedFormView):
    template_name = "cases/staff_involved.html"
    form_class = StaffInvolvedMarkForm

    def form_kwargs(self) -> dict[str, Any]:
        return {"agencies": selectors.staff_involvement_markable_agencies(self.case)}

    def extra_context(self) -> dict[str, Any]:
        clearable = selectors.staff_involvement_clearable(
            self.case, self.marking_actor()
        )
        return {**super().extra_context(), "can_clear": clearable.exists()}

    def perform(self, form: StaffInvolvedMarkForm) -> str:
        mark = services.case_staff_involved_mark(
            actor=self.marking_actor(), case=self.case, **form.cleaned_data
        )
        return (
            f"Case marked as involving {mark.agency.name} staff. Only their "
            "professional standards staff can open it now."
        )


class StaffInvolvedClearView(_StaffInvolvedFormView):
    template_name = "cases/staff_involved_clear.html"
    form_class = StaffInvolvedClearForm

    def form_kwargs(self) -> dict[str, Any]:
        return {
            "marks": selectors.staff_involvement_clearable(
                self.case, self.marking_actor()
            )
        }

    def perform(self, form: StaffInvolvedClearForm) -> str:
        mark = services.case_staff_involved_clear(
            actor=self.marking_actor(),
            mark=form.cleaned_data["mark"],
            reason=form.cleaned_data["reason"],
        )
        return f"Mark cleared: {mark.agency.name} staff can open the case again."
