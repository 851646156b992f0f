"""The date rules of orders: pure functions of the dates given (and the
settings), so each can be checked against any ``today``.

An order is made on or before today, served (if at all) between the date
made and today, and ends on an expiry date after the date made or lasts until
further order; a full Stalking Protection Order lasts at least two years, and
its notification requirements fall due ``MASIP_SPO_NOTIFY_DAYS`` after the
day that started them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from masip.cases.closure_rules import add_months
from masip.core.templatetags.govuk import govuk_day
from masip.orders.models import SPO_MINIMUM_MONTHS, OrderKind
from masip.orders.services._common import OrderRefused


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


def not_future(day: dt.date, today: dt.date, *, field: str, what: str) -> None:
    if day > today:
        raise OrderRefused(
            f"The date {what} must be today or in the past.", field=field
        )


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
    not_future(made_on, today, field="made_on", what="made")
    if served_on is not None:
        check_served(made_on=made_on, served_on=served_on, today=today)
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


def check_served(*, made_on: dt.date, served_on: dt.date, today: dt.date) -> None:
    """Served between the date made and today."""
    if served_on < made_on:
        raise OrderRefused(
            "The date served must be the same as or after the date made.",
            field="served_on",
        )
    not_future(served_on, today, field="served_on", what="served")


def check_spo_length(*, start: dt.date, expires_on: dt.date) -> None:
    earliest = spo_minimum_expiry(start)
    if expires_on < earliest:
        raise OrderRefused(
            "A Stalking Protection Order lasts at least 2 years: the expiry date "
            f"must be {govuk_day(earliest)} or later, or say it lasts until "
            "further order.",
            field="expires_on",
        )
