"""The daily alert about overdue SPO notifications (run by ``masip reminders``).

A requirement is overdue from the day after its due date while nothing is
notified and its order is still in force. Its order's owner (or, with no
owner, the owner agency's team managers) is told once: a run claims each
requirement by a conditional update of ``overdue_alerted_on``, so running
twice (or two runs at once) sends each alert once.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from masip.accounts import notices
from masip.accounts.models import Notification
from masip.core.templatetags.govuk import govuk_day
from masip.isolation.context import system_work
from masip.orders.models import NotificationRequirement
from masip.orders.services import order_link, order_recipients


def _due(today: dt.date) -> list[NotificationRequirement]:
    return list(
        NotificationRequirement.objects.overdue(today)
        .of_orders_in_force(today)
        .filter(overdue_alerted_on__isnull=True)
        .select_related("order", "order__case", "order__owner", "order__owner_agency")
        .order_by("due_on", "id")
    )


def _claim(requirement: NotificationRequirement, today: dt.date) -> bool:
    """Mark the requirement alerted, unless another run already did."""
    return bool(
        NotificationRequirement.objects.filter(
            pk=requirement.pk, overdue_alerted_on__isnull=True, notified_on__isnull=True
        ).update(overdue_alerted_on=today)
    )


def remind_overdue_notifications(*, today: dt.date) -> int:
    """Alert the owners of every overdue notification not yet alerted; the
    number of notices left."""
    with system_work():
        sent = 0
        for requirement in _due(today):
            with transaction.atomic():
                if not _claim(requirement, today):
                    continue
                order = requirement.order
                late = (today - requirement.due_on).days
                days = "1 day" if late == 1 else f"{late} days"
                sent += len(
                    notices.notify(
                        order_recipients(order),
                        kind=Notification.Kind.ORDER_NOTIFICATION_OVERDUE,
                        message=(
                            f"The person subject to the {order.get_kind_display()} "
                            f"on {order.case.reference} had to notify "
                            f"{requirement.get_kind_display().lower()} by "
                            f"{govuk_day(requirement.due_on)}: it is {days} overdue."
                        ),
                        case_reference=order.case.reference,
                        link=order_link(order),
                    )
                )
        return sent
