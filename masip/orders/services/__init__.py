"""Writing orders: recording one with its conditions, service, variation,
renewal, discharge, the SPO notification requirements, breaches and the
reviews an incident opens.

Every refusal is an ``OrderRefused`` (a ``DomainError``) naming the form field
it is about; every change is audited in the same transaction. One module per
part of an order's life, the date rules in ``dates`` and what they share in
``_common``; import them from here (``from masip.orders import services``).
"""

from masip.orders.services._common import (
    SHORT_MAX,
    TEXT_MAX,
    OrderRefused,
    order_link,
    order_recipients,
)
from masip.orders.services.breaches import (
    breach_current_values,
    breach_link,
    breach_record,
    breach_update,
    review_confirm,
    review_dismiss,
    review_incident,
)
from masip.orders.services.conditions import ConditionSpec, condition_add
from masip.orders.services.dates import (
    check_dates,
    check_spo_length,
    notification_due,
    notify_days,
    spo_minimum_expiry,
)
from masip.orders.services.notifications import (
    notification_change_record,
    notification_made_record,
)
from masip.orders.services.orders import (
    order_current_values,
    order_discharge,
    order_record,
    order_renew,
    order_serve,
    order_vary,
    works_for,
)

__all__ = [
    "SHORT_MAX",
    "TEXT_MAX",
    "ConditionSpec",
    "OrderRefused",
    "breach_current_values",
    "breach_link",
    "breach_record",
    "breach_update",
    "check_dates",
    "check_spo_length",
    "condition_add",
    "notification_change_record",
    "notification_due",
    "notification_made_record",
    "notify_days",
    "order_current_values",
    "order_discharge",
    "order_link",
    "order_recipients",
    "order_record",
    "order_renew",
    "order_serve",
    "order_vary",
    "review_confirm",
    "review_dismiss",
    "review_incident",
    "spo_minimum_expiry",
    "works_for",
]
