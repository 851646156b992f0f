"""Factories for orders, and the records the URL matrix needs.

``make_spo`` builds a served full SPO on a case through the service (so its
history and notification requirement are there, as in use).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone

from masip.incidents.tests.factories import IncidentFactory
from masip.orders import services
from masip.orders.models import (
    Breach,
    BreachReview,
    ConditionKind,
    NotificationRequirement,
    Order,
    OrderKind,
    PoliceResponse,
)
from masip.people.tests.factories import actor_for

NO_CONTACT = services.ConditionSpec(
    kind=ConditionKind.NO_CONTACT,
    wording="Must not contact Avery Testvictim directly or indirectly.",
    includes_indirect=True,
)
ZONE = services.ConditionSpec(
    kind=ConditionKind.EXCLUSION_ZONE,
    wording="Must not enter the area shown on the map.",
    zone_description="Sealed Street and the roads around the victim's home",
)
ASSESSMENT = services.ConditionSpec(
    kind=ConditionKind.ATTEND_ASSESSMENT,
    wording="Must attend a mental health assessment.",
)


def make_order(cast: Any, **overrides: Any) -> Order:
    """An order on the cast's case by the lead worker (Police A): by default
    a full SPO made 30 days ago, served 28 days ago, for two years, with a
    no-contact and an exclusion-zone condition."""
    today = overrides.pop("today", None) or timezone.localdate()
    made_on = overrides.pop("made_on", today - dt.timedelta(days=30))
    values: dict[str, Any] = {
        "kind": OrderKind.SPO_FULL,
        "subject": cast.perpetrator,
        "protected_persons": [cast.victim],
        "court": "Synthetic Magistrates' Court",
        "court_reference": "SYN-0001",
        "made_on": made_on,
        "served_on": made_on + dt.timedelta(days=2),
        "expires_on": services.spo_minimum_expiry(made_on),
        "owner_agency": cast.police_a,
        "owner": cast.lead_worker,
        "conditions": [NO_CONTACT, ZONE],
        "today": today,
    }
    values.update(overrides)
    return services.order_record(
        actor=actor_for(cast.lead_worker), case=cast.case, **values
    )


def make_review(cast: Any, order: Order | None = None) -> BreachReview:
    """A text-message incident on the cast's case while the order is in
    force: its open review."""
    order = order or make_order(cast)
    incident = IncidentFactory(
        case=cast.case,
        occurred_at=timezone.now() - dt.timedelta(days=1),
        channels=["text"],
        behaviours=["contacting"],
        recorded_by=cast.lead_worker,
        recorded_by_agency=cast.police_a,
    )
    reviews = services.review_incident(
        actor=actor_for(cast.lead_worker), case=cast.case, incident=incident
    )
    return next(r for r in reviews if r.order_id == order.pk)


def make_breach(cast: Any, order: Order | None = None) -> Breach:
    order = order or make_order(cast)
    return services.breach_record(
        actor=actor_for(cast.lead_worker),
        order=order,
        conditions=list(order.conditions.all()[:1]),
        occurred_at=timezone.now() - dt.timedelta(days=1),
        description="Synthetic: sent a message through a friend.",
        police_response=PoliceResponse.UNDER_INVESTIGATION,
    )


def matrix_public_id(route: str, cast: Any) -> uuid.UUID:
    """The record a route of ``/cases/<reference>/orders/`` is about, on the
    cast's case (made once, then reused)."""
    order = Order.objects.filter(case=cast.case).first() or make_order(cast)
    if route.startswith("cases/<str:reference>/orders/requirements/"):
        requirement = NotificationRequirement.objects.filter(order=order).first()
        assert requirement is not None
        return requirement.public_id
    if route.startswith("cases/<str:reference>/orders/breaches/"):
        breach = Breach.objects.filter(order=order).first() or make_breach(cast, order)
        return breach.public_id
    if route.startswith("cases/<str:reference>/orders/reviews/"):
        review = BreachReview.objects.filter(order=order).first() or make_review(
            cast, order
        )
        return review.public_id
    return order.public_id
