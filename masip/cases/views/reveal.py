"""Revealing a case's victim location and contact details, and ending a reveal.

The details are masked by default (``masip.access.reveal``). Only users whose
role and agency are granted the victim-contact compartment on the case may
reveal them (403 for the rest); they give a reason and, when their second
factor is stale, a fresh code from their authenticator app.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import time_format

from masip.access import reveal
from masip.access.permissions import Permission as P
from masip.access.views import CaseView
from masip.accounts import stepup
from masip.cases.forms import RevealForm
from masip.cases.views._base import case_url


class _RevealBase(CaseView):
    def _next(self) -> str:
        return stepup.safe_next(self.request, case_url(self.case.reference))

    def _refuse_unless_granted(self) -> reveal.SealedState:
        state = reveal.victim_contact(self.access, self.case)
        if state.withheld:
            raise PermissionDenied
        return state


class RevealView(_RevealBase):
    """The reason (and the code, when stale) before the details are shown."""

    required_permission = P.CASE_VIEW

    def _render(self, form: RevealForm, state: reveal.SealedState) -> HttpResponse:
        context = self.case_context(
            form=form,
            next=self._next(),
            state=state,
            minutes=reveal.reveal_minutes(),
        )
        return render(self.request, "cases/reveal.html", context)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        state = self._refuse_unless_granted()
        return self._render(RevealForm(request=request), state)

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        state = self._refuse_unless_granted()
        form = RevealForm(request.POST, request=request)
        actor = self.actor()
        if not (
            form.is_valid()
            and stepup.confirm(
                form,
                action="sealed.reveal",
                actor=actor,
                case_reference=self.case.reference,
            )
        ):
            return self._render(form, state)
        shown = reveal.reveal_start(
            actor=actor,
            access=self.access,
            case=self.case,
            reason=form.cleaned_data["reason"],
            detail=form.cleaned_data["detail"],
        )
        until = time_format(timezone.localtime(shown.expires_at), "H:i")
        messages.success(
            request,
            f"Victim location and contact details are shown until {until}.",
        )
        return redirect(self._next())


class RevealEndView(_RevealBase):
    """The "End reveal" button: hide the details again now."""

    required_permission = P.CASE_VIEW
    http_method_names = ["post"]

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self._refuse_unless_granted()
        reveal.reveal_end(actor=self.actor(), case=self.case)
        messages.success(request, "Victim location and contact details are hidden.")
        return redirect(self._next())
