"""What the case pages share: case URLs, and the form and button patterns."""

from abc import ABCMeta, abstractmethod
from typing import Any, ClassVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from masip.access.views import CaseView
from masip.core.errors import DomainError
from masip.core.forms import GovukForm


def case_url(case_reference: str, name: str = "case-detail") -> str:
    """The URL of one of the case's pages (``cases:<name>``)."""
    return reverse(f"cases:{name}", kwargs={"reference": case_reference})


class CaseFormView(CaseView, metaclass=ABCMeta):
    """GET shows the form; a valid POST calls ``perform`` and redirects.

    A ``DomainError`` from the service is shown on the form, keeping the input.
    After a save the user goes to the ``return_to`` page of the case.
    """

    template_name: ClassVar[str]
    form_class: ClassVar[type[GovukForm]]
    return_to: ClassVar[str] = "case-detail"

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def get_form(self, data: QueryDict | None = None) -> GovukForm:
        return self.form_class(data, **self.form_kwargs())

    @abstractmethod
    def perform(self, form: Any) -> str:
        """Call the service; return the success message."""

    def success_url(self) -> str:
        return case_url(self.case.reference, self.return_to)

    def extra_context(self) -> dict[str, Any]:
        return {}

    def render_form(self, form: GovukForm, **extra: Any) -> HttpResponse:
        context = self.case_context(form=form, **self.extra_context(), **extra)
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.get_form())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        try:
            message = self.perform(form)
        except DomainError as error:
            return self.form_refused(form, error)
        messages.success(request, message)
        return redirect(self.success_url())

    def form_refused(self, form: GovukForm, error: DomainError) -> HttpResponse:
        form.add_error(None, str(error))
        return self.render_form(form)


class CaseButtonView(CaseView, metaclass=ABCMeta):
    """A button on a case page (POST only) that acts on one row of the case.

    ``perform`` calls the service and returns the success message; a
    ``DomainError`` becomes an error message instead. Either way the user goes
    back to the ``return_to`` page of the case.
    """

    http_method_names = ["post"]
    return_to: ClassVar[str]

    @abstractmethod
    def perform(self, pk: int) -> str:
        """Find the row (within the case) and call the service."""

    def post(self, request: HttpRequest, *, pk: int) -> HttpResponse:
        try:
            message = self.perform(pk)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, message)
        return redirect(case_url(self.case.reference, self.return_to))
