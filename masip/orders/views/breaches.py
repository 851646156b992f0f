"""Breaches: recording one on the order directly (no incident), and one
breach's page with the form to update the police response and outcome."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict

from masip.access.permissions import Permission
from masip.audit.events import EventType
from masip.core.forms import GovukForm
from masip.orders import selectors, services
from masip.orders.forms import BreachRecordForm, BreachUpdateForm
from masip.orders.models import Breach
from masip.orders.views._base import FormPageView, OrderFormView, OrdersView


class BreachRecordView(OrderFormView):
    """Record a breach on the order directly (no incident)."""

    form_class = BreachRecordForm
    title = "Record a breach"
    intro = (
        "For a breach with no incident, such as a missed assessment. Incidents "
        "of contact are recorded as incidents: MASIP then suggests the breach."
    )
    button = "Record the breach"
    done = "Breach recorded."

    def form_kwargs(self) -> dict[str, Any]:
        return {"conditions": list(self.order.conditions.all())}

    def perform(self, form: Any) -> str:
        breach = services.breach_record(
            actor=self.actor(),
            order=self.order,
            conditions=form.cleaned_data["conditions"],
            occurred_at=form.occurred_at(),
            description=form.cleaned_data["description"],
            **form.response_values(),
        )
        return self.breach_url(breach)


class _BreachPage(OrdersView):
    """One breach; its form (to update it) for those who may record."""

    template = "orders/breach_detail.html"

    breach: Breach

    def load(self) -> None:
        self.breach = selectors.breach_get_in_case(
            case=self.case, public_id=self.kwargs["public_id"]
        )

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        if data is not None:
            return BreachUpdateForm(data)
        return BreachUpdateForm(
            initial={
                **services.breach_current_values(self.breach),
                "version": self.breach.version,
            }
        )

    def render_page(self, **extra: Any) -> HttpResponse:
        extra.setdefault(
            "form",
            self.make_form() if self.case_access.can(Permission.ORDER_RECORD) else None,
        )
        return self.page(self.template, breach=self.breach, **extra)


class BreachDetailView(_BreachPage):
    required_permission = Permission.ORDER_VIEW

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load()
        self.record_view(
            EventType.ORDER_VIEWED,
            target_type="breach",
            target_id=self.breach.public_id,
        )
        return self.render_page()


class BreachUpdateView(_BreachPage, FormPageView):
    required_permission = Permission.ORDER_RECORD
    done = "Breach updated."

    def render_form(self, form: GovukForm, **extra: Any) -> HttpResponse:
        return self.render_page(form=form, **extra)

    def perform(self, form: Any) -> str:
        services.breach_update(
            actor=self.actor(), breach=self.breach, **form.cleaned_data
        )
        return self.breach_url(self.breach)
