"""The notification requirements of a Stalking Protection Order: the
subject must notify the police of their names and home address within the
period after service, and of a new name or address within the period after
it changed (s9 Stalking Protection Act 2019)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from masip.access.actors import Actor
from masip.audit.events import EventType
from masip.core.templatetags.govuk import govuk_day
from masip.orders.models import NotificationRequirement, Order
from masip.orders.services._common import (
    OrderRefused,
    audit_order,
    lock_row,
    require_not_ended,
)
from masip.orders.services.dates import not_future, notification_due


def initial_requirement(order: Order, *, actor: Actor) -> None:
    """An SPO served: names and home address are due within the period."""
    assert order.served_on is not None
    if order.is_spo:
        NotificationRequirement.objects.get_or_create(
            order=order,
            kind=NotificationRequirement.Kind.INITIAL,
            defaults={
                "triggered_on": order.served_on,
                "due_on": notification_due(order.served_on),
                "recorded_by": actor.user,
            },
        )


def _audit(
    actor: Actor,
    requirement: NotificationRequirement,
    order: Order,
    changed_fields: Sequence[str],
) -> None:
    audit_order(
        EventType.ORDER_NOTIFICATION_RECORDED,
        actor=actor,
        order=order,
        target_type="notification_requirement",
        target_id=requirement.public_id,
        changed_fields=changed_fields,
    )


@transaction.atomic
def notification_change_record(
    *,
    actor: Actor,
    order: Order,
    kind: str,
    changed_on: dt.date,
    today: dt.date | None = None,
) -> NotificationRequirement:
    """The police learned of a new name or address: the subject must notify
    it within the period from the day it changed."""
    today = today or timezone.localdate()
    if not order.is_spo:
        raise OrderRefused("Only Stalking Protection Orders carry these requirements.")
    if order.served_on is None:
        raise OrderRefused("Record the service of the order first.")
    require_not_ended(order, today)
    if kind not in (
        NotificationRequirement.Kind.NEW_NAME,
        NotificationRequirement.Kind.NEW_ADDRESS,
    ):
        raise OrderRefused("Select a new name or a new address.", field="kind")
    if changed_on < order.served_on:
        raise OrderRefused(
            "The date of the change must be on or after the date served.",
            field="changed_on",
        )
    not_future(changed_on, today, field="changed_on", what="of the change")
    requirement = NotificationRequirement.objects.create(
        order=order,
        kind=kind,
        triggered_on=changed_on,
        due_on=notification_due(changed_on),
        recorded_by=actor.user,
    )
    _audit(actor, requirement, order, ["kind", "triggered_on"])
    return requirement


@transaction.atomic
def notification_made_record(
    *,
    actor: Actor,
    requirement: NotificationRequirement,
    notified_on: dt.date,
    today: dt.date | None = None,
) -> NotificationRequirement:
    """The subject made the notification (late ones are recorded too)."""
    today = today or timezone.localdate()
    locked = lock_row(requirement, "order", "order__case")
    if locked.notified_on is not None:
        raise OrderRefused("This notification has already been recorded.")
    if notified_on < locked.triggered_on:
        raise OrderRefused(
            f"The date notified must be on or after {govuk_day(locked.triggered_on)}.",
            field="notified_on",
        )
    not_future(notified_on, today, field="notified_on", what="notified")
    locked.notified_on = notified_on
    locked.notified_recorded_by = actor.user
    locked.save(update_fields=["notified_on", "notified_recorded_by"])
    _audit(actor, locked, locked.order, ["notified_on"])
    return locked
