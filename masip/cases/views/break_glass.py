"""Purpose of access and break-the-glass: reaching a case outside the usual way."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from masip.access.actors import PURPOSE_SESSION_PREFIX
from masip.access.permissions import Permission as P
from masip.access.policy import CaseBlocked
from masip.access.views import CaseView, GlobalView, record_blocked_attempt
from masip.accounts import stepup
from masip.cases import selectors, services
from masip.cases.forms import BreakGlassForm, PurposeForm
from masip.cases.views._base import case_url


class CasePurposeView(CaseView):
    required_permission = P.CASE_VIEW
    needs_purpose = False

    def _next(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next", "")
        safe = url_has_allowed_host_and_scheme(
            target,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        )
        return target if safe else case_url(self.case.reference)

    def _render(self, form: PurposeForm) -> HttpResponse:
        context = self.case_context(form=form, next=self._next())
        return render(self.request, "cases/case_purpose.html", context)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self._render(PurposeForm())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = PurposeForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        purpose = form.cleaned_data["purpose"]
        request.session[PURPOSE_SESSION_PREFIX + self.case.reference] = purpose
        services.case_purpose_give(actor=self.actor(), case=self.case, purpose=purpose)
        return redirect(self._next())


class BreakGlassView(GlobalView):
    required_permission = P.CASE_BREAK_GLASS

    def _render(self, form: BreakGlassForm) -> HttpResponse:
        hours = settings.MASIP_BREAK_GLASS_HOURS
        context = {"form": form, "hours": hours}
        return render(self.request, "cases/break_glass.html", context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(BreakGlassForm(request=request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = BreakGlassForm(request.POST, request=request)
        actor = self.actor()
        if not (
            form.is_valid()
            and stepup.confirm(form, action="case.break_glass", actor=actor)
        ):
            return self._render(form)
        reference, reason = form.cleaned_data["reference"], form.cleaned_data["reason"]
        case = selectors.case_get_for_break_glass(reference)
        block = self.access.block_on(case) if case is not None else None
        if case is not None and block is not None:
            # A case closed to the user (staff-involved, or a declared
            # conflict) answers as if missing; the attempt is recorded.
            record_blocked_attempt(
                self.request,
                CaseBlocked(block, case.reference, self.actor().membership),
            )
            case = None
        if case is None:
            services.case_break_glass_not_found(
                actor=actor, reference=reference, reason=reason
            )
            form.add_error("reference", "No case has that reference.")
            return self._render(form)
        if not self.access.case_access(case).reaches:
            services.case_break_glass(actor=actor, case=case, reason=reason)
            messages.success(request, f"Emergency access to {case.reference} granted.")
        return redirect(case_url(case.reference))
