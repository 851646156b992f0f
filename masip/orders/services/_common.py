"""What the order services share: the refusal, text limits, the audit record,
row locks, the order's link and who answers for it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models
from django.urls import reverse

from masip.access.actors import Actor
from masip.accounts.models import User
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.core.errors import DomainError
from masip.orders.models import Order
from masip.panels.action_services import agency_managers

TEXT_MAX = 4000
SHORT_MAX = 200


class OrderRefused(DomainError):
    """A refusal, naming the form field it is about (empty: the whole form)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def clean_text(
    value: str, *, field: str, required: str = "", limit: int = TEXT_MAX
) -> str:
    """``value`` stripped; refused when empty (with ``required``) or too long."""
    value = (value or "").strip()
    if required and not value:
        raise OrderRefused(required, field=field)
    if len(value) > limit:
        raise OrderRefused(f"Enter {limit} characters or fewer.", field=field)
    return value


def audit_order(
    event_type: EventType,
    *,
    actor: Actor,
    order: Order,
    target_type: str = "order",
    target_id: object = None,
    changed_fields: Iterable[str] = (),
) -> None:
    """Record ``event_type`` about the order, or about a record of it."""
    audit.record(
        event_type,
        actor=actor.audit,
        target_type=target_type,
        target_id=target_id or order.public_id,
        case_reference=order.case.reference,
        changed_fields=changed_fields,
    )


def lock_row[M: models.Model](instance: M, *related: str) -> M:
    """``instance`` read again with its row locked until the transaction ends
    (only its own row: ``related`` are joined, not locked)."""
    manager = type(instance)._default_manager
    return (
        manager.select_for_update(of=("self",))
        .select_related(*related)
        .get(pk=instance.pk)
    )


def require_not_ended(order: Order, today: dt.date) -> None:
    if order.discharged_on is not None:
        raise OrderRefused("The order has been discharged.")
    if order.expires_on is not None and today > order.expires_on:
        raise OrderRefused("The order has expired.")


def order_link(order: Order) -> str:
    return reverse(
        "orders:detail",
        kwargs={"reference": order.case.reference, "public_id": order.public_id},
    )


def order_recipients(order: Order) -> list[User]:
    """Who answers for the order: its owner, else the owner agency's managers."""
    if order.owner_id is not None:
        assert order.owner is not None
        return [order.owner]
    return agency_managers([order.owner_agency_id]).get(order.owner_agency_id, [])
