"""The demo's orders: SPOs, a restraining order and bail on demo cases, one
expiring within the dashboard's window, one overdue notification, one breach
and one possible breach waiting for review. Loading twice adds nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from masip.demo.builder import load_demo
from masip.demo.orders import ensure_orders
from masip.orders.models import (
    Breach,
    BreachReview,
    NotificationRequirement,
    Order,
    OrderKind,
)


@pytest.mark.django_db
def test_demo_orders_cover_every_dashboard_section_and_load_once():
    anchor = timezone.localdate()
    result = load_demo(anchor=anchor)

    ensure_orders(result.structure, anchor=anchor)
    counts = (
        Order.objects.count(),
        Breach.objects.count(),
        BreachReview.objects.count(),
    )
    ensure_orders(result.structure, anchor=anchor)

    assert counts == (
        Order.objects.count(),
        Breach.objects.count(),
        BreachReview.objects.count(),
    )
    kinds = set(Order.objects.values_list("kind", flat=True))
    assert {
        OrderKind.SPO_FULL,
        OrderKind.SPO_INTERIM,
        OrderKind.RESTRAINING_CONVICTION,
        OrderKind.BAIL_POLICE,
    } <= kinds
    window = anchor + dt.timedelta(days=60)
    assert Order.objects.filter(expires_on__gte=anchor, expires_on__lte=window).exists()
    assert NotificationRequirement.objects.overdue(anchor).exists()
    assert Breach.objects.filter(incident__isnull=False).exists()
    assert BreachReview.objects.filter(status=BreachReview.Status.OPEN).exists()
