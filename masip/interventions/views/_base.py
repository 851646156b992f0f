"""What the interventions pages share: the tab, links, and the form page
(GET shows it, POST saves through the service or shows it again)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from masip.access.views import CaseView
from masip.core.conflicts import conflict_rows, resubmittable_form
from masip.core.errors import DomainError, StaleEditError
from masip.core.forms import GovukForm, show_refusal
from masip.interventions.models import Custody, Intervention


class InterventionsView(CaseView):
    """A page of the interventions tab: the case's page, and its links."""

    tab = "interventions"

    def page(self, template: str, **extra: Any) -> HttpResponse:
        return render(self.request, template, self.case_context(**extra))

    def list_url(self) -> str:
        return reverse("interventions:list", kwargs={"reference": self.case.reference})

    def detail_url(self, intervention: Intervention) -> str:
        return reverse(
            "interventions:detail",
            kwargs={
                "reference": self.case.reference,
                "public_id": intervention.public_id,
            },
        )

    def custody_url(self, custody: Custody) -> str:
        return reverse(
            "interventions:custody-detail",
            kwargs={"reference": self.case.reference, "public_id": custody.public_id},
        )


class FormView(InterventionsView):
    """A form page: GET shows it, POST saves through ``service`` and redirects,
    or shows the form again with the refusal, or with the other person's
    saved values beside the user's input (a lost update).

    The form's fields are named as the service's arguments: ``save`` calls it
    with the actor, the record it is about (``about``) and the form's values.
    """

    template = "interventions/form_page.html"
    title = ""
    button = "Save"
    done = "Saved."
    service: ClassVar[Callable[..., Any]]

    def load(self, public_id: uuid.UUID | None) -> None:
        """Find the record the page is about (404 if not on the case)."""

    def closed(self) -> str:
        """Why the record no longer takes this form ('' if it does)."""
        return ""

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        raise NotImplementedError

    def about(self) -> dict[str, Any]:
        """The service's argument naming what it changes: the case here."""
        return {"case": self.case}

    def save(self, form: GovukForm) -> str:
        """Save the valid form; the address to go to."""
        saved = type(self).service(
            actor=self.actor(), **self.about(), **form.cleaned_data
        )
        return self.saved_url(saved)

    def saved_url(self, saved: Any) -> str:
        """Where to go once ``saved`` (what the service returned) is saved."""
        return self.back_url()

    def back_url(self) -> str:
        return self.list_url()

    def extra(self) -> dict[str, Any]:
        return {}

    def show(self, form: GovukForm, **more: Any) -> HttpResponse:
        return self.page(
            self.template,
            form=form,
            title=self.title,
            button=self.button,
            cancel_href=self.back_url(),
            **self.extra(),
            **more,
        )

    def opened(self, public_id: uuid.UUID | None) -> HttpResponse | None:
        """Load the record; back to it, saying why, if it takes no more."""
        self.load(public_id)
        if reason := self.closed():
            messages.info(self.request, reason)
            return redirect(self.back_url())
        return None

    def get(
        self, request: HttpRequest, public_id: uuid.UUID | None = None
    ) -> HttpResponse:
        if (back := self.opened(public_id)) is not None:
            return back
        return self.show(self.make_form())

    def post(
        self, request: HttpRequest, public_id: uuid.UUID | None = None
    ) -> HttpResponse:
        if (back := self.opened(public_id)) is not None:
            return back
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                target = self.save(form)
            except StaleEditError as error:
                again = resubmittable_form(self.make_form, request.POST, error)
                shown = conflict_rows(self.make_form(), error.current)
                return self.show(again, conflict=shown)
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, self.done)
                return redirect(target)
        return self.show(form)
