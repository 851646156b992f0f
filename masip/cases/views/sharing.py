"""Sharing a case with another agency, and stopping the share."""

from typing import Any

from masip.access.permissions import Permission as P
from masip.cases import selectors, services
from masip.cases.forms import ShareForm
from masip.cases.views._base import CaseButtonView, CaseFormView


class CaseShareView(CaseFormView):
    required_permission = P.CASE_SHARE
    template_name = "cases/case_share.html"
    form_class = ShareForm
    return_to = "case-share"

    def form_kwargs(self) -> dict[str, Any]:
        return {
            "agencies": selectors.shareable_agencies(self.case),
            "compartments": self.case_access.compartments,
        }

    def extra_context(self) -> dict[str, Any]:
        return {"shares": list(selectors.active_shares(self.case))}

    def perform(self, form: ShareForm) -> str:
        share = services.case_share(
            actor=self.actor(), case=self.case, **form.cleaned_data
        )
        return f"Case shared with {share.agency.name}."


class ShareRevokeView(CaseButtonView):
    required_permission = P.CASE_SHARE
    return_to = "case-share"

    def perform(self, pk: int) -> str:
        share = selectors.share_get(self.case, pk)
        services.share_revoke(actor=self.actor(), share=share)
        return f"Stopped sharing with {share.agency.name}."
