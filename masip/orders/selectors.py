"""Reading orders: a case's own (the case already resolved by the access
module), the breach reviews of an incident, the case timeline, and the
protection dashboard's sections over the cases a reader reaches.

Dates are compared with an explicit ``today`` so every deadline and expiry
can be checked against a frozen clock.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from masip.access.permissions import Permission
from masip.access.policy import CaseAccess
from masip.accounts.models import Agency
from masip.cases.models import Case, CaseParticipant, ParticipantRole
from masip.incidents.models import Incident
from masip.orders.models import (
    Breach,
    BreachReview,
    NotificationRequirement,
    Order,
    OrderCondition,
    OrderEvent,
    OrderStatus,
)
from masip.orders.suggestions import LONDON
from masip.people.models import Person

ORDER_RELATED = ("case", "subject", "owner", "owner_agency", "recorded_by")


# One case ---------------------------------------------------------------------


def order_get_in_case(*, case: Case, public_id: uuid.UUID) -> Order:
    """The order if it belongs to ``case``; otherwise ``Http404``."""
    found = (
        Order.objects.filter(case=case, public_id=public_id)
        .select_related(*ORDER_RELATED, "recorded_by_agency")
        .first()
    )
    if found is None:
        raise Http404("No order found.")
    return found


def breach_get_in_case(*, case: Case, public_id: uuid.UUID) -> Breach:
    found = (
        Breach.objects.filter(order__case=case, public_id=public_id)
        .select_related(
            "order",
            "order__case",
            "order__owner_agency",
            "incident",
            "recorded_by",
            "recorded_by_agency",
        )
        .prefetch_related("conditions")
        .first()
    )
    if found is None:
        raise Http404("No breach found.")
    return found


def review_get_in_case(*, case: Case, public_id: uuid.UUID) -> BreachReview:
    found = (
        BreachReview.objects.filter(order__case=case, public_id=public_id)
        .select_related("order", "order__case", "incident", "decided_by", "breach")
        .first()
    )
    if found is None:
        raise Http404("No breach review found.")
    return found


def requirement_get_in_case(
    *, case: Case, public_id: uuid.UUID
) -> NotificationRequirement:
    found = (
        NotificationRequirement.objects.filter(order__case=case, public_id=public_id)
        .select_related("order", "order__case")
        .first()
    )
    if found is None:
        raise Http404("No notification requirement found.")
    return found


def perpetrators(*, case: Case) -> list[Person]:
    return [
        p.person
        for p in CaseParticipant.objects.filter(
            case=case, role=ParticipantRole.PERPETRATOR
        )
        .select_related("person")
        .order_by("added_at", "id")
    ]


def people_to_protect(*, case: Case) -> list[Person]:
    """Everyone on the case but its perpetrators, once each."""
    people: dict[int, Person] = {}
    for participant in (
        CaseParticipant.objects.filter(case=case)
        .exclude(role=ParticipantRole.PERPETRATOR)
        .select_related("person")
        .order_by("role", "added_at", "id")
    ):
        people.setdefault(participant.person_id, participant.person)
    return list(people.values())


@dataclass
class OrderRow:
    order: Order
    status: OrderStatus
    next_requirement: NotificationRequirement | None
    overdue: bool
    open_reviews: int

    @property
    def status_label(self) -> str:
        return str(self.status.label)


def _requirements_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "notification_requirements",
        queryset=NotificationRequirement.objects.order_by("due_on", "id"),
    )


def _open_reviews_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "breach_reviews",
        queryset=BreachReview.objects.filter(status=BreachReview.Status.OPEN),
        to_attr="open_reviews",
    )


def order_row(order: Order, *, today: dt.date) -> OrderRow:
    """An order with its status, next notification deadline and open reviews
    (requirements and open reviews prefetched)."""
    status = order.status_on(today)
    pending = [
        r for r in order.notification_requirements.all() if r.notified_on is None
    ]
    live = status in (OrderStatus.IN_FORCE, OrderStatus.NOT_SERVED)
    upcoming = pending[0] if pending and live else None
    return OrderRow(
        order=order,
        status=status,
        next_requirement=upcoming,
        overdue=upcoming is not None and upcoming.is_overdue(today),
        open_reviews=len(getattr(order, "open_reviews", [])),
    )


def case_orders(*, case: Case, today: dt.date) -> list[OrderRow]:
    """The case's orders, newest made first, in a fixed number of queries."""
    orders = (
        Order.objects.filter(case=case)
        .select_related(*ORDER_RELATED)
        .prefetch_related(_requirements_prefetch(), _open_reviews_prefetch())
        .order_by("-made_on", "-id")
    )
    return [order_row(o, today=today) for o in orders]


@dataclass
class OrderDetail:
    order: Order
    row: OrderRow
    conditions: list[OrderCondition]
    events: list[OrderEvent]
    requirements: list[NotificationRequirement]
    breaches: list[Breach]
    reviews: list[BreachReview]
    protected: list[Person]


def order_detail(*, order: Order, today: dt.date) -> OrderDetail:
    order = (
        Order.objects.filter(pk=order.pk)
        .select_related(*ORDER_RELATED, "recorded_by_agency")
        .prefetch_related(_requirements_prefetch(), _open_reviews_prefetch())
        .get()
    )
    return OrderDetail(
        order=order,
        row=order_row(order, today=today),
        conditions=list(order.conditions.select_related("added_by")),
        events=list(order.events.select_related("recorded_by")),
        requirements=list(
            order.notification_requirements.select_related(
                "recorded_by", "notified_recorded_by"
            )
        ),
        breaches=list(
            order.breaches.select_related("incident").prefetch_related("conditions")
        ),
        reviews=list(order.breach_reviews.select_related("incident", "decided_by")),
        protected=list(order.protected_persons.order_by("given_name", "id")),
    )


# Breach reviews on an incident page ---------------------------------------------


@dataclass
class SuggestedCondition:
    condition: OrderCondition
    reason: str


@dataclass
class ReviewPanel:
    review: BreachReview
    suggested: list[SuggestedCondition]
    other_conditions: list[OrderCondition] = field(default_factory=list)


def incident_reviews(*, case: Case, incident: Incident) -> list[ReviewPanel]:
    """The breach reviews the incident opened, open ones first, each with its
    suggested conditions and reasons, and the order's other conditions."""
    reviews = list(
        BreachReview.objects.filter(order__case=case, incident=incident)
        .select_related("order", "order__owner_agency", "decided_by", "breach")
        .prefetch_related("order__conditions")
        .order_by("created_at", "id")
    )
    panels = []
    for review in reviews:
        conditions = {str(c.public_id): c for c in review.order.conditions.all()}
        suggested = [
            SuggestedCondition(condition=conditions[r["condition"]], reason=r["reason"])
            for r in review.reasons
            if r.get("condition") in conditions
        ]
        chosen = {s.condition.pk for s in suggested}
        panels.append(
            ReviewPanel(
                review=review,
                suggested=suggested,
                other_conditions=[c for c in conditions.values() if c.pk not in chosen],
            )
        )
    panels.sort(key=lambda p: not p.review.is_open)
    return panels


def open_review_count(*, case: Case, incident: Incident) -> int:
    return BreachReview.objects.filter(
        order__case=case, incident=incident, status=BreachReview.Status.OPEN
    ).count()


def incident_review_context(
    case: Case, case_access: CaseAccess, incident: Incident
) -> dict[str, Any]:
    """What the incident page needs for its "Possible breach of an order"
    panel (nothing for readers without ORDER_VIEW)."""
    if not case_access.can(Permission.ORDER_VIEW):
        return {}
    return {"breach_reviews": incident_reviews(case=case, incident=incident)}


# The case timeline ---------------------------------------------------------------


@dataclass(frozen=True)
class OrderTimelineEvent:
    """Something that happened to an order, for the case timeline."""

    on: dt.date
    title: str
    order: Order
    detail: str = ""
    breach: Breach | None = None


def case_order_events(*, case: Case, today: dt.date) -> list[OrderTimelineEvent]:
    """Orders made, served, varied, renewed, discharged and expired, and
    breaches recorded, newest first."""
    events: list[OrderTimelineEvent] = []
    orders = {o.pk: o for o in Order.objects.filter(case=case).select_related("case")}
    for event in OrderEvent.objects.filter(order__case=case).order_by("on", "id"):
        order = orders[event.order_id]
        events.append(
            OrderTimelineEvent(
                on=event.on,
                title=f"{order.get_kind_display()} {event.get_kind_display().lower()}",
                order=order,
                detail=event.detail,
            )
        )
    for order in orders.values():
        if (
            order.expires_on is not None
            and order.expires_on < today
            and (order.discharged_on is None or order.discharged_on > order.expires_on)
        ):
            events.append(
                OrderTimelineEvent(
                    on=order.expires_on + dt.timedelta(days=1),
                    title=f"{order.get_kind_display()} expired",
                    order=order,
                )
            )
    for breach in (
        Breach.objects.filter(order__case=case)
        .prefetch_related("conditions")
        .order_by("occurred_at", "id")
    ):
        order = orders[breach.order_id]
        breach.order = order
        labels = ", ".join(c.label for c in breach.conditions.all())
        events.append(
            OrderTimelineEvent(
                on=breach.occurred_at.astimezone(LONDON).date(),
                title=f"Breach of the {order.get_kind_display()}",
                order=order,
                detail=f"Conditions breached: {labels}. Police response: "
                f"{breach.get_police_response_display()}.",
                breach=breach,
            )
        )
    events.sort(key=lambda e: (e.on, e.order.pk), reverse=True)
    return events


def order_timeline_context(case: Case, case_access: CaseAccess) -> dict[str, Any]:
    """What the case timeline page needs to show orders and breaches (nothing
    for readers without ORDER_VIEW)."""
    if not case_access.can(Permission.ORDER_VIEW):
        return {}
    return {"order_events": case_order_events(case=case, today=timezone.localdate())}


# The protection dashboard ----------------------------------------------------------


def _in_force_q(today: dt.date, prefix: str = "") -> Q:
    """Orders not expired and not discharged on ``today``."""
    return (
        Q(**{f"{prefix}expires_on__isnull": True})
        | Q(**{f"{prefix}expires_on__gte": today})
    ) & (
        Q(**{f"{prefix}discharged_on__isnull": True})
        | Q(**{f"{prefix}discharged_on__gt": today})
    )


@dataclass(frozen=True)
class ExpiringRow:
    order: Order
    days_left: int


def orders_expiring(
    cases: QuerySet[Case],
    *,
    today: dt.date,
    within_days: int,
    agency: Agency | None = None,
) -> list[ExpiringRow]:
    """Orders on ``cases`` that expire within ``within_days`` of ``today``
    (today counts as day 0), not discharged, soonest first."""
    last = today + dt.timedelta(days=within_days)
    orders = Order.objects.filter(
        _in_force_q(today),
        case__in=cases,
        expires_on__gte=today,
        expires_on__lte=last,
    )
    if agency is not None:
        orders = orders.filter(owner_agency=agency)
    return [
        ExpiringRow(order=o, days_left=(o.expires_on - today).days)  # type: ignore[operator]
        for o in orders.select_related(*ORDER_RELATED).order_by("expires_on", "id")
    ]


@dataclass(frozen=True)
class DeadlineRow:
    requirement: NotificationRequirement
    overdue: bool
    days: int  # days left (or, overdue, days late)


def notification_deadlines(
    cases: QuerySet[Case],
    *,
    today: dt.date,
    within_days: int = 7,
    agency: Agency | None = None,
) -> list[DeadlineRow]:
    """Open notification requirements of orders in force on ``cases`` due
    within ``within_days`` or overdue: overdue first, then soonest due."""
    requirements = (
        NotificationRequirement.objects.open()
        .of_orders_in_force(today)
        .filter(
            order__case__in=cases,
            due_on__lte=today + dt.timedelta(days=within_days),
        )
    )
    if agency is not None:
        requirements = requirements.filter(order__owner_agency=agency)
    rows = []
    for requirement in requirements.select_related(
        "order", "order__case", "order__subject", "order__owner", "order__owner_agency"
    ).order_by("due_on", "id"):
        overdue = requirement.is_overdue(today)
        days = (
            (today - requirement.due_on).days
            if overdue
            else (requirement.due_on - today).days
        )
        rows.append(DeadlineRow(requirement=requirement, overdue=overdue, days=days))
    # Sorted by due date, the overdue ones already come first.
    return rows


def breach_reviews_open(
    cases: QuerySet[Case], *, agency: Agency | None = None
) -> list[BreachReview]:
    """Reviews waiting for a decision on ``cases``, oldest first."""
    reviews = BreachReview.objects.filter(
        status=BreachReview.Status.OPEN, order__case__in=cases
    )
    if agency is not None:
        reviews = reviews.filter(order__owner_agency=agency)
    return list(
        reviews.select_related(
            "order", "order__case", "order__owner", "order__owner_agency", "incident"
        ).order_by("created_at", "id")
    )


def dashboard_agencies(cases: QuerySet[Case]) -> QuerySet[Agency]:
    """The agencies owning an order on ``cases``, for the filter."""
    owners = Order.objects.filter(case__in=cases).values("owner_agency_id")
    return Agency.objects.filter(pk__in=owners).order_by("name")


def breaches_recent(
    cases: QuerySet[Case],
    *,
    today: dt.date,
    within_days: int = 28,
    agency: Agency | None = None,
) -> list[Breach]:
    """Breaches on ``cases`` that happened in the last ``within_days`` days
    (London days, today included), newest first."""
    start = dt.datetime.combine(
        today - dt.timedelta(days=within_days), dt.time(0), tzinfo=LONDON
    )
    breaches = Breach.objects.filter(order__case__in=cases, occurred_at__gte=start)
    if agency is not None:
        breaches = breaches.filter(order__owner_agency=agency)
    return list(
        breaches.select_related(
            "order", "order__case", "order__owner", "order__owner_agency"
        ).order_by("-occurred_at", "-id")
    )
