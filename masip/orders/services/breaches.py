"""Breaches of orders, and the reviews an incident opens.

``review_incident`` is called by the incident services when an incident is
recorded or changed: for each order on the case with a condition the
incident may breach (``masip.orders.suggestions``) it opens one review
(once per incident and order), audits it and tells the order's owner (or,
with no owner, the owner agency's team managers).

Confirming a review records the ``Breach`` (linked to the incident), tells
the owner and the lead agency's team managers, and marks the case for a risk
review. A breach may also be recorded on the order directly, such as a
missed assessment the order required.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from masip.access.actors import Actor
from masip.accounts import notices
from masip.accounts.models import Notification
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.models import Case
from masip.core.templatetags.govuk import govuk_day
from masip.core.versioning import apply_changes, ensure_current, save_new_version
from masip.incidents.models import Incident
from masip.orders.models import (
    Breach,
    BreachReview,
    ChargeOutcome,
    Order,
    OrderCondition,
    PoliceResponse,
)
from masip.orders.services._common import (
    OrderRefused,
    audit_order,
    clean_text,
    lock_row,
    order_recipients,
)
from masip.orders.suggestions import Suggestion, local_day, suggest_breaches
from masip.panels.action_services import agency_managers
from masip.risk.models import ReviewFlag


def _incident_link(case: Case, incident: Incident) -> str:
    return reverse(
        "incidents:incident-detail",
        kwargs={"reference": case.reference, "public_id": incident.public_id},
    )


def breach_link(breach: Breach) -> str:
    return reverse(
        "orders:breach-detail",
        kwargs={
            "reference": breach.order.case.reference,
            "public_id": breach.public_id,
        },
    )


def _response(
    *,
    police_response: str,
    police_response_note: str,
    charge_outcome: str,
    charge_outcome_note: str,
) -> dict[str, str]:
    """The police response and the charge outcome, checked (in that order)."""
    if police_response not in PoliceResponse.values:
        raise OrderRefused("Select the police response.", field="police_response")
    police_note = clean_text(police_response_note, field="police_response_note")
    if charge_outcome not in ChargeOutcome.values:
        raise OrderRefused("Select the charge outcome.", field="charge_outcome")
    charge_note = clean_text(charge_outcome_note, field="charge_outcome_note")
    return {
        "police_response": police_response,
        "police_response_note": police_note,
        "charge_outcome": charge_outcome,
        "charge_outcome_note": charge_note,
    }


# Reviews -------------------------------------------------------------------------


def _orders_with_conditions(case: Case) -> list[Order]:
    return list(
        Order.objects.filter(case=case)
        .select_related("owner", "owner_agency")
        .prefetch_related("conditions")
        .order_by("made_on", "id")
    )


def _reasons(suggestions: Sequence[Suggestion]) -> list[dict[str, str]]:
    return [
        {"condition": str(s.condition.public_id), "reason": s.reason}
        for s in suggestions
    ]


@transaction.atomic
def review_incident(
    *, actor: Actor, case: Case, incident: Incident
) -> list[BreachReview]:
    """Open a review for each order the incident may breach; the reviews
    opened (or, still open, given newly suggested conditions)."""
    touched: list[BreachReview] = []
    for order in _orders_with_conditions(case):
        conditions = list(order.conditions.all())
        for condition in conditions:
            condition.order = order  # already loaded: no query per condition
        suggestions = suggest_breaches(
            channels=incident.channels,
            behaviours=incident.behaviours,
            occurred_at=incident.occurred_at,
            conditions=conditions,
        )
        if not suggestions:
            continue
        review = BreachReview.objects.filter(incident=incident, order=order).first()
        if review is None:
            review = BreachReview.objects.create(
                incident=incident, order=order, reasons=_reasons(suggestions)
            )
            review.suggested_conditions.set([s.condition for s in suggestions])
            _opened(actor, case, incident, order, review)
            touched.append(review)
        elif review.is_open:
            known = {r["condition"] for r in review.reasons}
            fresh = [s for s in suggestions if str(s.condition.public_id) not in known]
            if fresh:
                review.reasons = [*review.reasons, *_reasons(fresh)]
                review.save(update_fields=["reasons"])
                review.suggested_conditions.add(*[s.condition for s in fresh])
                touched.append(review)
    return touched


def _opened(
    actor: Actor, case: Case, incident: Incident, order: Order, review: BreachReview
) -> None:
    # The orders were loaded for ``case`` without it: its reference is at hand.
    audit.record(
        EventType.BREACH_REVIEW_OPENED,
        actor=actor.audit,
        target_type="breach_review",
        target_id=review.public_id,
        case_reference=case.reference,
    )
    notices.notify(
        # The recorder sees the review on the incident page already.
        [u for u in order_recipients(order) if u.pk != actor.user.pk],
        kind=Notification.Kind.BREACH_REVIEW,
        message=(
            f"An incident on {case.reference} on "
            f"{govuk_day(local_day(incident.occurred_at))} may breach the "
            f"{order.get_kind_display()}. Review it."
        ),
        case_reference=case.reference,
        link=_incident_link(case, incident),
    )


def _locked_review(review: BreachReview) -> BreachReview:
    locked = lock_row(review, "order", "order__case", "incident")
    if not locked.is_open:
        raise OrderRefused("This possible breach has already been reviewed.")
    return locked


def _decide(review: BreachReview, *, actor: Actor, status: str, **also: Any) -> None:
    """Save the decision on the review (with ``also``, its outcome) and audit it."""
    review.status = status
    review.decided_by = actor.user
    review.decided_at = timezone.now()
    for name, value in also.items():
        setattr(review, name, value)
    review.save(update_fields=["status", "decided_by", "decided_at", *also])
    audit_order(
        EventType.BREACH_REVIEW_DECIDED,
        actor=actor,
        order=review.order,
        target_type="breach_review",
        target_id=review.public_id,
        changed_fields=["status"],
    )


@transaction.atomic
def review_confirm(
    *,
    actor: Actor,
    review: BreachReview,
    conditions: Sequence[OrderCondition],
    police_response: str,
    police_response_note: str = "",
    charge_outcome: str = ChargeOutcome.PENDING,
    charge_outcome_note: str = "",
    description: str = "",
) -> Breach:
    """The incident breached the order: record the breach of the conditions
    chosen (suggested or others of the order)."""
    locked = _locked_review(review)
    incident = locked.incident
    breach = _breach_create(
        actor=actor,
        order=locked.order,
        conditions=conditions,
        occurred_at=incident.occurred_at,
        description=description,
        police_response=police_response,
        police_response_note=police_response_note,
        charge_outcome=charge_outcome,
        charge_outcome_note=charge_outcome_note,
        incident=incident,
    )
    _decide(locked, actor=actor, status=BreachReview.Status.CONFIRMED, breach=breach)
    return breach


@transaction.atomic
def review_dismiss(*, actor: Actor, review: BreachReview, reason: str) -> BreachReview:
    """The incident did not breach the order; the reason is kept."""
    locked = _locked_review(review)
    reason = clean_text(
        reason, field="reason", required="Enter why it is not a breach."
    )
    _decide(
        locked,
        actor=actor,
        status=BreachReview.Status.DISMISSED,
        dismissal_reason=reason,
    )
    return locked


# Breaches --------------------------------------------------------------------------


@transaction.atomic
def breach_record(
    *,
    actor: Actor,
    order: Order,
    conditions: Sequence[OrderCondition],
    occurred_at: dt.datetime,
    description: str,
    police_response: str,
    police_response_note: str = "",
    charge_outcome: str = ChargeOutcome.PENDING,
    charge_outcome_note: str = "",
    incident: Incident | None = None,
) -> Breach:
    """Record a breach on the order directly (no review), such as a missed
    assessment it required."""
    if not (description or "").strip():
        raise OrderRefused("Enter what happened.", field="description")
    if occurred_at > timezone.now():
        raise OrderRefused(
            "The date of the breach must be today or in the past.",
            field="occurred_on",
        )
    return _breach_create(
        actor=actor,
        order=order,
        conditions=conditions,
        occurred_at=occurred_at,
        description=description,
        police_response=police_response,
        police_response_note=police_response_note,
        charge_outcome=charge_outcome,
        charge_outcome_note=charge_outcome_note,
        incident=incident,
    )


def _breach_create(
    *,
    actor: Actor,
    order: Order,
    conditions: Sequence[OrderCondition],
    occurred_at: dt.datetime,
    description: str,
    incident: Incident | None,
    **response: str,
) -> Breach:
    """Check and record the breach (``response``: the police response and
    charge outcome with their notes), flag a risk review and tell the
    order's owner and the lead agency's team managers."""
    if not conditions:
        raise OrderRefused("Select the conditions breached.", field="conditions")
    if any(c.order_id != order.pk for c in conditions):
        raise OrderRefused("Select conditions of this order.", field="conditions")
    if incident is not None and incident.case_id != order.case_id:
        raise OrderRefused("The incident is on another case.")
    breach = Breach.objects.create(
        order=order,
        incident=incident,
        occurred_at=occurred_at,
        description=clean_text(description, field="description"),
        **_response(**response),
        recorded_by=actor.user,
        recorded_by_agency=actor.membership.agency,
    )
    breach.conditions.set(conditions)
    case = order.case
    audit_order(
        EventType.BREACH_RECORDED,
        actor=actor,
        order=order,
        target_type="breach",
        target_id=breach.public_id,
    )
    _flag_risk_review(case, breach, incident)
    managers = agency_managers([case.lead_agency_id]).get(case.lead_agency_id, [])
    notices.notify(
        [u for u in [*order_recipients(order), *managers] if u.pk != actor.user.pk],
        kind=Notification.Kind.BREACH_CONFIRMED,
        message=(
            f"A breach of the {order.get_kind_display()} on {case.reference} on "
            f"{govuk_day(local_day(occurred_at))} was recorded."
        ),
        case_reference=case.reference,
        link=breach_link(breach),
    )
    return breach


def _flag_risk_review(case: Case, breach: Breach, incident: Incident | None) -> None:
    """Mark the case for a risk review, as ``masip.risk.triggers`` does for an
    incident with a breach (the next assessment with a level clears it)."""
    ReviewFlag.objects.create(
        case=case,
        kind=ReviewFlag.Kind.INCIDENT,
        reason=(
            f"A breach of the {breach.order.get_kind_display()} on "
            f"{govuk_day(local_day(breach.occurred_at))} was recorded."
        ),
        incident=incident,
    )
    audit.record(
        EventType.RISK_REVIEW_FLAGGED,
        actor=audit.SYSTEM,
        target_type="case",
        target_id=case.reference,
        case_reference=case.reference,
        changed_fields=[ReviewFlag.Kind.INCIDENT],
    )


def breach_current_values(breach: Breach) -> dict[str, Any]:
    return {
        "police_response": breach.police_response,
        "police_response_note": breach.police_response_note,
        "charge_outcome": breach.charge_outcome,
        "charge_outcome_note": breach.charge_outcome_note,
    }


@transaction.atomic
def breach_update(
    *,
    actor: Actor,
    breach: Breach,
    version: int,
    police_response: str,
    police_response_note: str,
    charge_outcome: str,
    charge_outcome_note: str,
) -> Breach:
    """Change the police response or the charge outcome as the case moves on.

    ``StaleEditError`` if someone saved since ``version``."""
    locked = lock_row(breach, "order", "order__case")
    ensure_current(locked, version=version, current_values=breach_current_values)
    values = _response(
        police_response=police_response,
        police_response_note=police_response_note,
        charge_outcome=charge_outcome,
        charge_outcome_note=charge_outcome_note,
    )
    changed = apply_changes(locked, values)
    if not changed:
        return locked
    save_new_version(locked, update_fields=changed)
    audit_order(
        EventType.BREACH_UPDATED,
        actor=actor,
        order=locked.order,
        target_type="breach",
        target_id=locked.public_id,
        changed_fields=changed,
    )
    return locked
