"""Writing orders: recording one with its conditions, service, variation,
renewal, discharge, and the SPO notification requirements.

Every refusal is an ``OrderRefused`` (a ``DomainError``) naming the form field
it is about; every change is audited in the same transaction. Breaches and
breach reviews are in ``masip.orders.breach_services``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from masip.access.actors import Actor
from masip.accounts.models import Agency, Membership, User
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.closure_rules import add_months
from masip.cases.models import Case, CaseParticipant, ParticipantRole
from masip.core.errors import DomainError
from masip.core.templatetags.govuk import govuk_day
from masip.core.versioning import ensure_current, save_new_version
from masip.orders.models import (
    SPO_MINIMUM_MONTHS,
    ConditionKind,
    NotificationRequirement,
    Order,
    OrderCondition,
    OrderEvent,
    OrderKind,
)
from masip.panels.action_services import owner_agency_allowed
from masip.people.models import Person

TEXT_MAX = 4000
SHORT_MAX = 200


class OrderRefused(DomainError):
    """A refusal, naming the form field it is about (empty: the whole form)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ConditionSpec:
    """One condition to add: what kind, what the order says, and when."""

    kind: str
    wording: str
    includes_indirect: bool = False
    zone_description: str = ""
    starts_on: dt.date | None = None


def notify_days() -> int:
    days: int = settings.MASIP_SPO_NOTIFY_DAYS
    return days


def notification_due(triggered_on: dt.date) -> dt.date:
    """When a notification is due: ``MASIP_SPO_NOTIFY_DAYS`` after service or
    after the change (s9 Stalking Protection Act 2019)."""
    return triggered_on + dt.timedelta(days=notify_days())


def spo_minimum_expiry(start: dt.date) -> dt.date:
    """The earliest a full SPO made (or renewed) on ``start`` may end: two
    years on (a 29 February start gives 28 February)."""
    return add_months(start, SPO_MINIMUM_MONTHS)


def order_link(order: Order) -> str:
    return reverse(
        "orders:detail",
        kwargs={"reference": order.case.reference, "public_id": order.public_id},
    )


def _audit(
    event_type: EventType,
    *,
    actor: Actor,
    order: Order,
    target_type: str = "order",
    target_id: object = None,
    changed_fields: Iterable[str] = (),
) -> None:
    audit.record(
        event_type,
        actor=actor.audit,
        target_type=target_type,
        target_id=target_id or order.public_id,
        case_reference=order.case.reference,
        changed_fields=changed_fields,
    )


# Checks ---------------------------------------------------------------------


def _text(value: str, *, field: str, required: str = "", limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if required and not value:
        raise OrderRefused(required, field=field)
    if len(value) > limit:
        raise OrderRefused(f"Enter {limit} characters or fewer.", field=field)
    return value


def check_dates(
    *,
    kind: str,
    made_on: dt.date,
    served_on: dt.date | None,
    expires_on: dt.date | None,
    until_further_order: bool,
    today: dt.date,
) -> None:
    """The rules on an order's dates (``OrderRefused`` on the first broken)."""
    if made_on > today:
        raise OrderRefused(
            "The date made must be today or in the past.", field="made_on"
        )
    if served_on is not None:
        if served_on < made_on:
            raise OrderRefused(
                "The date served must be the same as or after the date made.",
                field="served_on",
            )
        if served_on > today:
            raise OrderRefused(
                "The date served must be today or in the past.", field="served_on"
            )
    if expires_on is not None and until_further_order:
        raise OrderRefused(
            "Give an expiry date or say it lasts until further order, not both.",
            field="expires_on",
        )
    if expires_on is not None and expires_on <= made_on:
        raise OrderRefused(
            "The expiry date must be after the date made.", field="expires_on"
        )
    if kind in (OrderKind.SPO_FULL, OrderKind.SPO_INTERIM) and not (
        expires_on or until_further_order
    ):
        raise OrderRefused(
            "Enter the expiry date, or say it lasts until further order.",
            field="expires_on",
        )
    if kind == OrderKind.SPO_FULL and expires_on is not None:
        check_spo_length(start=made_on, expires_on=expires_on)


def check_spo_length(*, start: dt.date, expires_on: dt.date) -> None:
    earliest = spo_minimum_expiry(start)
    if expires_on < earliest:
        raise OrderRefused(
            "A Stalking Protection Order lasts at least 2 years: the expiry date "
            f"must be {govuk_day(earliest)} or later, or say it lasts until "
            "further order.",
            field="expires_on",
        )


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


def _condition(
    order: Order, spec: ConditionSpec, *, actor: Actor, field_prefix: str = ""
) -> OrderCondition:
    try:
        kind = ConditionKind(spec.kind)
    except ValueError:
        raise OrderRefused(
            "Select the kind of condition.", field=f"{field_prefix}kind"
        ) from None
    wording = _text(
        spec.wording,
        field=f"{field_prefix}wording",
        required="Enter what the order says.",
    )
    zone = _text(spec.zone_description, field=f"{field_prefix}zone_description")
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


def _initial_requirement(order: Order, *, actor: Actor) -> None:
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
        court=_text(court, field="court", limit=SHORT_MAX),
        court_reference=_text(court_reference, field="court_reference", limit=100),
        made_on=made_on,
        served_on=served_on,
        expires_on=expires_on,
        until_further_order=until_further_order,
        owner_agency=owner_agency,
        owner=owner,
        notes=_text(notes, field="notes"),
        recorded_by=actor.user,
        recorded_by_agency=actor.membership.agency,
    )
    order.protected_persons.set(protected_persons)
    for position, spec in enumerate(conditions):
        _condition(order, spec, actor=actor, field_prefix=f"condition_{position}_")
    _event(order, OrderEvent.Kind.MADE, on=made_on, detail="", actor=actor)
    if served_on is not None:
        _event(order, OrderEvent.Kind.SERVED, on=served_on, detail="", actor=actor)
        _initial_requirement(order, actor=actor)
    _audit(EventType.ORDER_RECORDED, actor=actor, order=order)
    return order


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
    condition = _condition(
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
    _audit(
        EventType.ORDER_CONDITION_ADDED,
        actor=actor,
        order=order,
        target_type="order_condition",
        target_id=condition.public_id,
    )
    return condition


# Changes in the order's life ------------------------------------------------------


def order_current_values(order: Order) -> dict[str, Any]:
    return {
        "served_on": order.served_on,
        "expires_on": order.expires_on,
        "until_further_order": order.until_further_order,
        "discharged_on": order.discharged_on,
    }


def _locked(order: Order, version: int) -> Order:
    locked = (
        Order.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=order.pk)
    )
    ensure_current(locked, version=version, current_values=order_current_values)
    return locked


def _require_not_ended(order: Order, today: dt.date) -> None:
    if order.discharged_on is not None:
        raise OrderRefused("The order has been discharged.")
    if order.expires_on is not None and today > order.expires_on:
        raise OrderRefused("The order has expired.")


def _not_future(day: dt.date, today: dt.date, *, field: str, what: str) -> None:
    if day > today:
        raise OrderRefused(
            f"The date {what} must be today or in the past.", field=field
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
    if served_on < locked.made_on:
        raise OrderRefused(
            "The date served must be the same as or after the date made.",
            field="served_on",
        )
    _not_future(served_on, today, field="served_on", what="served")
    locked.served_on = served_on
    save_new_version(locked, update_fields=["served_on"])
    _event(locked, OrderEvent.Kind.SERVED, on=served_on, detail="", actor=actor)
    _initial_requirement(locked, actor=actor)
    _audit(
        EventType.ORDER_CHANGED, actor=actor, order=locked, changed_fields=["served_on"]
    )
    return locked


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
    _require_not_ended(locked, today)
    detail = _text(detail, field="detail", required="Enter what the court changed.")
    if varied_on < locked.made_on:
        raise OrderRefused(
            "The date varied must be after the date made.", field="varied_on"
        )
    _not_future(varied_on, today, field="varied_on", what="varied")
    if not end_conditions and new_condition is None:
        raise OrderRefused(
            "Select a condition to remove, or add a condition.",
            field="end_conditions",
        )
    for condition in end_conditions:
        if condition.order_id != locked.pk:
            raise OrderRefused(
                "Select conditions of this order.", field="end_conditions"
            )
        if condition.ends_on is not None or varied_on <= condition.starts_on:
            raise OrderRefused(
                "Select conditions in force on the date varied.",
                field="end_conditions",
            )
        condition.ends_on = varied_on
        condition.save(update_fields=["ends_on"])
    changed = ["conditions"]
    if new_condition is not None:
        _condition(
            locked,
            ConditionSpec(
                kind=new_condition.kind,
                wording=new_condition.wording,
                includes_indirect=new_condition.includes_indirect,
                zone_description=new_condition.zone_description,
                starts_on=varied_on,
            ),
            actor=actor,
            field_prefix="new_",
        )
    save_new_version(locked, update_fields=[])
    _event(locked, OrderEvent.Kind.VARIED, on=varied_on, detail=detail, actor=actor)
    _audit(EventType.ORDER_CHANGED, actor=actor, order=locked, changed_fields=changed)
    return locked


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
    if locked.discharged_on is not None:
        raise OrderRefused("The order has been discharged.")
    if renewed_on < locked.made_on:
        raise OrderRefused(
            "The date renewed must be after the date made.", field="renewed_on"
        )
    _not_future(renewed_on, today, field="renewed_on", what="renewed")
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
            locked.expires_on is not None and expires_on <= locked.expires_on
        ):
            raise OrderRefused(
                "The new expiry date must be after the current one and the "
                "date renewed.",
                field="expires_on",
            )
        if locked.kind == OrderKind.SPO_FULL:
            check_spo_length(start=renewed_on, expires_on=expires_on)
    locked.expires_on = expires_on
    locked.until_further_order = until_further_order
    save_new_version(locked, update_fields=["expires_on", "until_further_order"])
    until = f"until {govuk_day(expires_on)}" if expires_on else "until further order"
    note = _text(detail, field="detail")
    _event(
        locked,
        OrderEvent.Kind.RENEWED,
        on=renewed_on,
        detail=f"Renewed {until}." + (f" {note}" if note else ""),
        actor=actor,
    )
    _audit(
        EventType.ORDER_CHANGED,
        actor=actor,
        order=locked,
        changed_fields=["expires_on", "until_further_order"],
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
    detail = _text(detail, field="detail", required="Enter why it was discharged.")
    if discharged_on < locked.made_on:
        raise OrderRefused(
            "The date discharged must be the same as or after the date made.",
            field="discharged_on",
        )
    _not_future(discharged_on, today, field="discharged_on", what="discharged")
    locked.discharged_on = discharged_on
    save_new_version(locked, update_fields=["discharged_on"])
    _event(
        locked, OrderEvent.Kind.DISCHARGED, on=discharged_on, detail=detail, actor=actor
    )
    _audit(
        EventType.ORDER_CHANGED,
        actor=actor,
        order=locked,
        changed_fields=["discharged_on"],
    )
    return locked


# Notification requirements ---------------------------------------------------------


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
    _require_not_ended(order, today)
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
    _not_future(changed_on, today, field="changed_on", what="of the change")
    requirement = NotificationRequirement.objects.create(
        order=order,
        kind=kind,
        triggered_on=changed_on,
        due_on=notification_due(changed_on),
        recorded_by=actor.user,
    )
    _audit(
        EventType.ORDER_NOTIFICATION_RECORDED,
        actor=actor,
        order=order,
        target_type="notification_requirement",
        target_id=requirement.public_id,
        changed_fields=["kind", "triggered_on"],
    )
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
    locked = (
        NotificationRequirement.objects.select_for_update(of=("self",))
        .select_related("order", "order__case")
        .get(pk=requirement.pk)
    )
    if locked.notified_on is not None:
        raise OrderRefused("This notification has already been recorded.")
    if notified_on < locked.triggered_on:
        raise OrderRefused(
            f"The date notified must be on or after {govuk_day(locked.triggered_on)}.",
            field="notified_on",
        )
    _not_future(notified_on, today, field="notified_on", what="notified")
    locked.notified_on = notified_on
    locked.notified_recorded_by = actor.user
    locked.save(update_fields=["notified_on", "notified_recorded_by"])
    _audit(
        EventType.ORDER_NOTIFICATION_RECORDED,
        actor=actor,
        order=locked.order,
        target_type="notification_requirement",
        target_id=locked.public_id,
        changed_fields=["notified_on"],
    )
    return locked
