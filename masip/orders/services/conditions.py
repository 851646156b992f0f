"""The conditions of an order: added with it, by a variation, or later when
one was missed when the order was recorded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from masip.access.actors import Actor
from masip.audit.events import EventType
from masip.orders.models import ConditionKind, Order, OrderCondition
from masip.orders.services._common import OrderRefused, audit_order, clean_text


@dataclass(frozen=True)
class ConditionSpec:
    """One condition to add: what kind, what the order says, and when."""

    kind: str
    wording: str
    includes_indirect: bool = False
    zone_description: str = ""
    starts_on: dt.date | None = None


def condition_create(
    order: Order, spec: ConditionSpec, *, actor: Actor, field_prefix: str = ""
) -> OrderCondition:
    """Check ``spec`` and add it to the order (refusals name the form field
    after ``field_prefix``); not audited: the caller records its own event."""
    try:
        kind = ConditionKind(spec.kind)
    except ValueError:
        raise OrderRefused(
            "Select the kind of condition.", field=f"{field_prefix}kind"
        ) from None
    wording = clean_text(
        spec.wording,
        field=f"{field_prefix}wording",
        required="Enter what the order says.",
    )
    zone = clean_text(spec.zone_description, field=f"{field_prefix}zone_description")
    if zone and kind not in (ConditionKind.EXCLUSION_ZONE, ConditionKind.NO_APPROACH):
        zone = ""  # only a zone or a distance is described: nothing else sealed
    starts_on = spec.starts_on or order.made_on
    if starts_on < order.made_on:
        raise OrderRefused(
            "A condition cannot start before the order was made.",
            field=f"{field_prefix}starts_on",
        )
    return OrderCondition.objects.create(
        order=order,
        kind=kind,
        includes_indirect=spec.includes_indirect and kind == ConditionKind.NO_CONTACT,
        wording=wording,
        zone_description=zone,
        starts_on=starts_on,
        added_by=actor.user,
    )


@transaction.atomic
def condition_add(
    *,
    actor: Actor,
    order: Order,
    kind: str,
    wording: str,
    includes_indirect: bool = False,
    zone_description: str = "",
    starts_on: dt.date | None = None,
) -> OrderCondition:
    """Add a condition the order already holds (one missed when it was recorded)."""
    condition = condition_create(
        order,
        ConditionSpec(
            kind=kind,
            wording=wording,
            includes_indirect=includes_indirect,
            zone_description=zone_description,
            starts_on=starts_on,
        ),
        actor=actor,
    )
    audit_order(
        EventType.ORDER_CONDITION_ADDED,
        actor=actor,
        order=order,
        target_type="order_condition",
        target_id=condition.public_id,
    )
    return condition
