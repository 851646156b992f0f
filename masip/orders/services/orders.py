"""Recording an order with its first conditions, and the changes in its
life: service, variation, renewal and discharge.

Every change locks the order at the version the user's form carried
(``StaleEditError`` if someone saved since), adds an entry to the order's
history and is audited in the same transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from masip.access.actors import Actor
from masip.accounts.models import Agency, Membership, User
from masip.audit.events import EventType
from masip.cases.models import Case, CaseParticipant, ParticipantRole
from masip.core.templatetags.govuk import govuk_day
from masip.core.versioning import ensure_current, save_new_version
from masip.orders.models import Order, OrderCondition, OrderEvent, OrderKind
from masip.orders.services._common import (
    SHORT_MAX,
    OrderRefused,
    audit_order,
    clean_text,
    lock_row,
    require_not_ended,
)
from masip.orders.services.conditions import ConditionSpec, condition_create
from masip.orders.services.dates import (
    check_dates,
    check_served,
    check_spo_length,
    not_future,
)
from masip.orders.services.notifications import initial_requirement
from masip.panels.action_services import owner_agency_allowed
from masip.people.models import Person

# Checks ---------------------------------------------------------------------


def _check_perpetrator(case: Case, person: Person) -> None:
    if not CaseParticipant.objects.filter(
        case=case, person=person, role=ParticipantRole.PERPETRATOR
    ).exists():
        raise OrderRefused(
            "Select the person who stalks on this case.", field="subject"
        )


def _check_protected(case: Case, people: Sequence[Person]) -> None:
    on_case = set(
        CaseParticipant.objects.filter(case=case).values_list("person_id", flat=True)
    )
    if any(p.pk not in on_case for p in people):
        raise OrderRefused("Select people on this case.", field="protected_persons")


def works_for(user: User, agency: Agency) -> bool:
    return (
        user.is_active
        and Membership.objects.filter(
            user=user, agency=agency, is_active=True, agency__is_active=True
        ).exists()
    )


def _check_owner(case: Case, agency: Agency, owner: User | None) -> None:
    if not owner_agency_allowed(case=case, agency=agency):
        raise OrderRefused(
            f"{agency.name} is not working on this case: select the lead agency "
            "or an agency the case is shared with.",
            field="owner_agency",
        )
    if owner is not None and not works_for(owner, agency):
        raise OrderRefused(
            f"{owner.full_name} does not work for {agency.name}.", field="owner"
        )


def _event(
    order: Order, kind: str, *, on: dt.date, detail: str, actor: Actor
) -> OrderEvent:
    return OrderEvent.objects.create(
        order=order, kind=kind, on=on, detail=detail, recorded_by=actor.user
    )


# Recording an order ----------------------------------------------------------


@transaction.atomic
def order_record(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    subject: Person,
    made_on: dt.date,
    owner_agency: Agency,
    owner: User | None = None,
    court: str = "",
    court_reference: str = "",
    served_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    until_further_order: bool = False,
    protected_persons: Sequence[Person] = (),
    notes: str = "",
    conditions: Sequence[ConditionSpec] = (),
    today: dt.date | None = None,
) -> Order:
    """Record an order on the case, with its first conditions."""
    today = today or timezone.localdate()
    try:
        kind = OrderKind(kind)
    except ValueError:
        raise OrderRefused("Select the kind of order.", field="kind") from None
    _check_perpetrator(case, subject)
    _check_protected(case, protected_persons)
    _check_owner(case, owner_agency, owner)
    check_dates(
        kind=kind,
        made_on=made_on,
        served_on=served_on,
        expires_on=expires_on,
        until_further_order=until_further_order,
        today=today,
    )
    order = Order.objects.create(
        case=case,
        subject=subject,
        kind=kind,
        court=clean_text(court, field="court", limit=SHORT_MAX),
        court_reference=clean_text(court_reference, field="court_reference", limit=100),
        made_on=made_on,
        served_on=served_on,
        expires_on=expires_on,
        until_further_order=until_further_order,
        owner_agency=owner_agency,
        owner=owner,
        notes=clean_text(notes, field="notes"),
        recorded_by=actor.user,
        recorded_by_agency=actor.membership.agency,
    )
    order.protected_persons.set(protected_persons)
    for position, spec in enumerate(conditions):
        condition_create(
            order, spec, actor=actor, field_prefix=f"condition_{position}_"
        )
    _event(order, OrderEvent.Kind.MADE, on=made_on, detail="", actor=actor)
    if served_on is not None:
        _event(order, OrderEvent.Kind.SERVED, on=served_on, detail="", actor=actor)
        initial_requirement(order, actor=actor)
    audit_order(EventType.ORDER_RECORDED, actor=actor, order=order)
    return order


# Changes in the order's life ------------------------------------------------------


def order_current_values(order: Order) -> dict[str, Any]:
    return {
        "served_on": order.served_on,
        "expires_on": order.expires_on,
        "until_further_order": order.until_further_order,
        "discharged_on": order.discharged_on,
    }


def _locked(order: Order, version: int) -> Order:
    locked = lock_row(order, "case")
    ensure_current(locked, version=version, current_values=order_current_values)
    return locked


def _record_change(
    locked: Order,
    *,
    actor: Actor,
    update_fields: Sequence[str],
    kind: str,
    on: dt.date,
    detail: str,
    changed_fields: Sequence[str],
) -> None:
    """Save the order as its next version, add the change to its history and
    audit it."""
    save_new_version(locked, update_fields=update_fields)
    _event(locked, kind, on=on, detail=detail, actor=actor)
    audit_order(
        EventType.ORDER_CHANGED,
        actor=actor,
        order=locked,
        changed_fields=changed_fields,
    )


@transaction.atomic
def order_serve(
    *,
    actor: Actor,
    order: Order,
    version: int,
    served_on: dt.date,
    today: dt.date | None = None,
) -> Order:
    """Record that the order was served; for an SPO the notification clock
    starts."""
    today = today or timezone.localdate()
    locked = _locked(order, version)
    if not locked.needs_service:
        raise OrderRefused("Bail and licence conditions are in force when made.")
    if locked.served_on is not None:
        raise OrderRefused("The order has already been served.")
    check_served(made_on=locked.made_on, served_on=served_on, today=today)
    locked.served_on = served_on
    save_new_version(locked, update_fields=["served_on"])
    _event(locked, OrderEvent.Kind.SERVED, on=served_on, detail="", actor=actor)
    initial_requirement(locked, actor=actor)
    audit_order(
        EventType.ORDER_CHANGED, actor=actor, order=locked, changed_fields=["served_on"]
    )
    return locked


def _end_conditions(
    order: Order, conditions: Sequence[OrderCondition], *, on: dt.date
) -> None:
    for condition in conditions:
        if condition.order_id != order.pk:
            raise OrderRefused(
                "Select conditions of this order.", field="end_conditions"
            )
        if condition.ends_on is not None or on <= condition.starts_on:
            raise OrderRefused(
                "Select conditions in force on the date varied.",
                field="end_conditions",
            )
        condition.ends_on = on
        condition.save(update_fields=["ends_on"])


@transaction.atomic
def order_vary(
    *,
    actor: Actor,
    order: Order,
    version: int,
    varied_on: dt.date,
    detail: str,
    end_conditions: Sequence[OrderCondition] = (),
    new_condition: ConditionSpec | None = None,
    today: dt.date | None = None,
) -> Order:
    """Record a variation: conditions removed from ``varied_on``, and
    perhaps one added from that day."""
    today = today or timezone.localdate()
    locked = _locked(order, version)
    require_not_ended(locked, today)
    detail = clean_text(
        detail, field="detail", required="Enter what the court changed."
    )
    if varied_on < locked.made_on:
        raise OrderRefused(
            "The date varied must be after the date made.", field="varied_on"
        )
    not_future(varied_on, today, field="varied_on", what="varied")
    if not end_conditions and new_condition is None:
        raise OrderRefused(
            "Select a condition to remove, or add a condition.",
            field="end_conditions",
        )
    _end_conditions(locked, end_conditions, on=varied_on)
    if new_condition is not None:
        condition_create(
            locked,
            dataclasses.replace(new_condition, starts_on=varied_on),
            actor=actor,
            field_prefix="new_",
        )
    _record_change(
        locked,
        actor=actor,
        update_fields=[],
        kind=OrderEvent.Kind.VARIED,
        on=varied_on,
        detail=detail,
        changed_fields=["conditions"],
    )
    return locked


def _check_renewal(
    order: Order,
    *,
    renewed_on: dt.date,
    expires_on: dt.date | None,
    until_further_order: bool,
    today: dt.date,
) -> None:
    if order.discharged_on is not None:
        raise OrderRefused("The order has been discharged.")
    if renewed_on < order.made_on:
        raise OrderRefused(
            "The date renewed must be after the date made.", field="renewed_on"
        )
    not_future(renewed_on, today, field="renewed_on", what="renewed")
    if expires_on is None and not until_further_order:
        raise OrderRefused(
            "Enter the new expiry date, or say it lasts until further order.",
            field="expires_on",
        )
    if expires_on is not None and until_further_order:
        raise OrderRefused(
            "Give an expiry date or say it lasts until further order, not both.",
            field="expires_on",
        )
    if expires_on is not None:
        if expires_on <= renewed_on or (
            order.expires_on is not None and expires_on <= order.expires_on
        ):
            raise OrderRefused(
                "The new expiry date must be after the current one and the "
                "date renewed.",
                field="expires_on",
            )
        if order.kind == OrderKind.SPO_FULL:
            check_spo_length(start=renewed_on, expires_on=expires_on)


@transaction.atomic
def order_renew(
    *,
    actor: Actor,
    order: Order,
    version: int,
    renewed_on: dt.date,
    expires_on: dt.date | None,
    until_further_order: bool = False,
    detail: str = "",
    today: dt.date | None = None,
) -> Order:
    """Record a renewal: a new expiry (for a full SPO, again at least two
    years from the renewal), or until further order."""
    today = today or timezone.localdate()
    locked = _locked(order, version)
    _check_renewal(
        locked,
        renewed_on=renewed_on,
        expires_on=expires_on,
        until_further_order=until_further_order,
        today=today,
    )
    locked.expires_on = expires_on
    locked.until_further_order = until_further_order
    until = f"until {govuk_day(expires_on)}" if expires_on else "until further order"
    note = clean_text(detail, field="detail")
    changed = ["expires_on", "until_further_order"]
    _record_change(
        locked,
        actor=actor,
        update_fields=changed,
        kind=OrderEvent.Kind.RENEWED,
        on=renewed_on,
        detail=f"Renewed {until}." + (f" {note}" if note else ""),
        changed_fields=changed,
    )
    return locked


@transaction.atomic
def order_discharge(
    *,
    actor: Actor,
    order: Order,
    version: int,
    discharged_on: dt.date,
    detail: str,
    today: dt.date | None = None,
) -> Order:
    """Record that the court discharged the order: not in force from that day."""
    today = today or timezone.localdate()
    locked = _locked(order, version)
    if locked.discharged_on is not None:
        raise OrderRefused("The order has already been discharged.")
    detail = clean_text(detail, field="detail", required="Enter why it was discharged.")
    if discharged_on < locked.made_on:
        raise OrderRefused(
            "The date discharged must be the same as or after the date made.",
            field="discharged_on",
        )
    not_future(discharged_on, today, field="discharged_on", what="discharged")
    locked.discharged_on = discharged_on
    _record_change(
        locked,
        actor=actor,
        update_fields=["discharged_on"],
        kind=OrderEvent.Kind.DISCHARGED,
        on=discharged_on,
        detail=detail,
        changed_fields=["discharged_on"],
    )
    return locked
