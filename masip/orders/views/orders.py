"""The case's orders, recording one, and one order's page."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from masip.access.permissions import Permission
from masip.audit.events import EventType
from masip.orders import selectors, services
from masip.orders.forms import OrderRecordForm
from masip.orders.views._base import FormPageView, OrdersView
from masip.panels import action_selectors


class OrderListView(OrdersView):
    """The case's orders: status, expiry, next notification deadline, reviews."""

    required_permission = Permission.ORDER_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        return self.page(
            "orders/list.html",
            rows=selectors.case_orders(case=self.case, today=today),
            today=today,
        )


class OrderRecordView(FormPageView):
    """Record an order with its first conditions."""

    required_permission = Permission.ORDER_RECORD
    template = "orders/record.html"
    form_class = OrderRecordForm
    done = "Order recorded."

    def form_kwargs(self) -> dict[str, Any]:
        agencies = action_selectors.owner_agencies(case=self.case)
        return {
            "subjects": selectors.perpetrators(case=self.case),
            "protectable": selectors.people_to_protect(case=self.case),
            "agencies": agencies,
            "people": action_selectors.agency_people(a.pk for a in agencies),
            "initial": {"owner_agency": self.case.lead_agency_id},
        }

    def perform(self, form: Any) -> str:
        order = services.order_record(
            actor=self.actor(), case=self.case, **form.order_values()
        )
        return self.order_url(order)


class OrderDetailView(OrdersView):
    """One order: its conditions, history, notification requirements,
    possible and confirmed breaches."""

    required_permission = Permission.ORDER_VIEW

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        order = selectors.order_get_in_case(case=self.case, public_id=public_id)
        self.record_view(
            EventType.ORDER_VIEWED, target_type="order", target_id=order.public_id
        )
        today = timezone.localdate()
        detail = selectors.order_detail(order=order, today=today)
        return self.page(
            "orders/detail.html",
            order=detail.order,
            detail=detail,
            today=today,
            any_zone=any(c.zone_description for c in detail.conditions),
        )
