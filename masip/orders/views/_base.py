"""What the order pages share: the sealed state of exclusion zones, the order
and breach URLs, and the form page (GET shows the form; POST validates it,
calls the service and redirects)."""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from collections.abc import Callable
from functools import cached_property
from typing import Any, ClassVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from masip.access import reveal
from masip.access.permissions import Permission
from masip.access.views import CaseView
from masip.core.conflicts import conflict_rows, resubmittable_form
from masip.core.errors import DomainError, StaleEditError
from masip.core.forms import GovukForm, show_refusal
from masip.orders import selectors
from masip.orders.models import Breach, Order


class OrdersView(CaseView):
    tab = "orders"

    @cached_property
    def sealed(self) -> reveal.SealedState:
        """Whether exclusion zones are withheld, masked or shown to this user."""
        return reveal.victim_contact(self.access, self.case)

    def page(self, template: str, **extra: Any) -> HttpResponse:
        return render(
            self.request, template, self.case_context(sealed=self.sealed, **extra)
        )

    def order_url(self, order: Order) -> str:
        return reverse(
            "orders:detail",
            kwargs={"reference": self.case.reference, "public_id": order.public_id},
        )

    def breach_url(self, breach: Breach) -> str:
        return reverse(
            "orders:breach-detail",
            kwargs={"reference": self.case.reference, "public_id": breach.public_id},
        )


class FormPageView(OrdersView, metaclass=ABCMeta):
    """GET shows the form; a valid POST calls ``perform`` and redirects to the
    page it names with the ``done`` message.

    A ``DomainError`` from the service is shown on the field it names (or the
    form), keeping the input; a ``StaleEditError`` shows the form again on the
    current version with the other person's saved values beside it.
    """

    template: ClassVar[str]
    form_class: ClassVar[type[GovukForm]]
    done: ClassVar[str]

    def load(self) -> None:
        """Find the records the URL names (``self.kwargs``) within the case."""

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return self.form_class(data, **self.form_kwargs())

    @abstractmethod
    def perform(self, form: Any) -> str:
        """Call the service with the form's values; the URL to go to next."""

    def render_form(self, form: GovukForm, **extra: Any) -> HttpResponse:
        return self.page(self.template, form=form, **extra)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load()
        return self.render_form(self.make_form())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load()
        return self.submit(request.POST)

    def submit(self, data: QueryDict) -> HttpResponse:
        form = self.make_form(data)
        if not form.is_valid():
            return self.render_form(form)
        try:
            next_url = self.perform(form)
        except StaleEditError as error:
            again = resubmittable_form(self.make_form, data, error)
            return self.render_form(again, conflict=conflict_rows(again, error.current))
        except DomainError as error:
            show_refusal(form, error)
            return self.render_form(form)
        messages.success(self.request, self.done)
        return redirect(next_url)


class OrderFormView(FormPageView):
    """A page with one form about the order (``orders/order_form.html``) that
    goes back to the order. ``versioned`` forms carry the version of the order
    they were opened at; by default ``service`` is called with the order and
    the form's values (its fields are named as the service's arguments)."""

    required_permission = Permission.ORDER_RECORD
    template = "orders/order_form.html"
    versioned: ClassVar[bool] = False
    title = ""
    intro = ""
    button = "Save"

    service: ClassVar[Callable[..., object]]

    order: Order

    def load(self) -> None:
        self.order = selectors.order_get_in_case(
            case=self.case, public_id=self.kwargs["public_id"]
        )

    def form_kwargs(self) -> dict[str, Any]:
        return {"initial": {"version": self.order.version}} if self.versioned else {}

    def render_form(self, form: GovukForm, **extra: Any) -> HttpResponse:
        return self.page(
            self.template,
            order=self.order,
            form=form,
            title=self.title,
            intro=self.intro,
            button=self.button,
            **extra,
        )

    def perform(self, form: Any) -> str:
        self.service(actor=self.actor(), order=self.order, **form.cleaned_data)
        return self.order_url(self.order)
