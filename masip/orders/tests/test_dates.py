"""Every deadline and expiry against a stopped clock (explicit ``today``):
notification due dates, overdue from the day after, the SPO's two-year
minimum (leap days too), and when an order and a condition are in force."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from masip.orders import services
from masip.orders.models import (
    ConditionKind,
    NotificationRequirement,
    Order,
    OrderCondition,
    OrderKind,
    OrderStatus,
)
from masip.orders.services import OrderRefused
from masip.orders.tests.factories import make_order
from masip.people.tests.factories import actor_for

D = dt.date


def _order(**values) -> Order:
    """An unsaved order (the date rules need no database)."""
    defaults = {"kind": OrderKind.SPO_FULL, "made_on": D(2026, 3, 2)}
    return Order(**{**defaults, **values})


# in_force_on and status ---------------------------------------------------------------


def test_in_force_on_a_court_order_starts_when_served_not_when_made():
    order = _order(served_on=D(2026, 3, 5), expires_on=D(2028, 3, 2))

    assert not order.in_force_on(D(2026, 3, 2))
    assert not order.in_force_on(D(2026, 3, 4))
    assert order.in_force_on(D(2026, 3, 5))


def test_in_force_on_an_unserved_court_order_is_never_in_force():
    order = _order(expires_on=D(2028, 3, 2))

    assert not order.in_force_on(D(2026, 6, 1))
    assert order.status_on(D(2026, 6, 1)) == OrderStatus.NOT_SERVED


@pytest.mark.parametrize("kind", [OrderKind.BAIL_POLICE, OrderKind.LICENCE])
def test_in_force_on_bail_and_licence_start_when_made(kind):
    order = _order(kind=kind, made_on=D(2026, 3, 2))

    assert not order.in_force_on(D(2026, 3, 1))
    assert order.in_force_on(D(2026, 3, 2))
    assert order.status_on(D(2026, 3, 2)) == OrderStatus.IN_FORCE


def test_in_force_on_the_expiry_day_and_not_the_day_after():
    order = _order(served_on=D(2026, 3, 2), expires_on=D(2028, 3, 2))

    assert order.in_force_on(D(2028, 3, 2))
    assert not order.in_force_on(D(2028, 3, 3))
    assert order.status_on(D(2028, 3, 2)) == OrderStatus.IN_FORCE
    assert order.status_on(D(2028, 3, 3)) == OrderStatus.EXPIRED


def test_in_force_on_the_day_before_discharge_and_not_on_it():
    order = _order(
        served_on=D(2026, 3, 2), until_further_order=True, discharged_on=D(2026, 9, 1)
    )

    assert order.in_force_on(D(2026, 8, 31))
    assert not order.in_force_on(D(2026, 9, 1))
    assert order.status_on(D(2026, 9, 1)) == OrderStatus.DISCHARGED


def test_status_labels_read_as_the_page_shows_them():
    order = _order(served_on=None, expires_on=D(2028, 3, 2))

    assert order.status_on(D(2026, 3, 3)).label == "Not yet served"


def test_condition_applies_from_its_start_and_not_from_its_end():
    order = _order(served_on=D(2026, 3, 2), until_further_order=True)
    condition = OrderCondition(
        order=order,
        kind=ConditionKind.NO_CONTACT,
        starts_on=D(2026, 3, 2),
        ends_on=D(2026, 5, 1),
    )

    assert condition.in_force_on(D(2026, 3, 2))
    assert condition.in_force_on(D(2026, 4, 30))
    assert not condition.in_force_on(D(2026, 5, 1))


# The SPO's two-year minimum --------------------------------------------------------


def _check(made_on, expires_on, *, kind=OrderKind.SPO_FULL, until=False):
    services.check_dates(
        kind=kind,
        made_on=made_on,
        served_on=None,
        expires_on=expires_on,
        until_further_order=until,
        today=D(2030, 1, 1),
    )


def test_spo_of_exactly_two_years_is_accepted():
    _check(D(2026, 3, 2), D(2028, 3, 2))


def test_spo_a_day_short_of_two_years_is_refused():
    with pytest.raises(OrderRefused, match="at least 2 years") as refused:
        _check(D(2026, 3, 2), D(2028, 3, 1))

    assert refused.value.field == "expires_on"
    assert "2 March 2028" in str(refused.value)


def test_spo_made_on_a_leap_day_may_end_on_28_february_two_years_on():
    assert services.spo_minimum_expiry(D(2024, 2, 29)) == D(2026, 2, 28)
    _check(D(2024, 2, 29), D(2026, 2, 28))
    with pytest.raises(OrderRefused):
        _check(D(2024, 2, 29), D(2026, 2, 27))


def test_spo_until_further_order_needs_no_expiry():
    _check(D(2026, 3, 2), None, until=True)


def test_spo_with_neither_expiry_nor_until_further_order_is_refused():
    with pytest.raises(OrderRefused, match="until further order"):
        _check(D(2026, 3, 2), None)


def test_interim_spo_has_no_two_year_minimum():
    _check(D(2026, 3, 2), D(2026, 4, 2), kind=OrderKind.SPO_INTERIM)


def test_restraining_order_may_be_short():
    _check(D(2026, 3, 2), D(2026, 9, 2), kind=OrderKind.RESTRAINING_CONVICTION)


@given(
    made_on=st.dates(min_value=D(2020, 1, 20), max_value=D(2040, 12, 31)),
    short_by=st.integers(min_value=1, max_value=400),
)
def test_spo_minimum_is_never_under_two_calendar_years(made_on, short_by):
    earliest = services.spo_minimum_expiry(made_on)

    assert (earliest - made_on).days in (730, 731)
    with pytest.raises(OrderRefused):
        services.check_spo_length(
            start=made_on, expires_on=earliest - dt.timedelta(days=short_by)
        )


def test_served_before_made_is_refused():
    with pytest.raises(OrderRefused, match="same as or after") as refused:
        services.check_dates(
            kind=OrderKind.SPO_FULL,
            made_on=D(2026, 3, 2),
            served_on=D(2026, 3, 1),
            expires_on=D(2028, 3, 2),
            until_further_order=False,
            today=D(2026, 4, 1),
        )
    assert refused.value.field == "served_on"


def test_expiry_on_the_day_made_is_refused():
    with pytest.raises(OrderRefused, match="after the date made"):
        _check(D(2026, 3, 2), D(2026, 3, 2), kind=OrderKind.BAIL_POLICE)


def test_order_made_in_the_future_is_refused():
    with pytest.raises(OrderRefused, match="today or in the past"):
        services.check_dates(
            kind=OrderKind.BAIL_POLICE,
            made_on=D(2026, 3, 3),
            served_on=None,
            expires_on=None,
            until_further_order=False,
            today=D(2026, 3, 2),
        )


# Notification deadlines ------------------------------------------------------------


@pytest.mark.django_db
def test_initial_notification_is_due_three_days_after_service(cast):
    order = make_order(
        cast, today=D(2026, 3, 10), made_on=D(2026, 3, 2), served_on=D(2026, 3, 5)
    )

    requirement = NotificationRequirement.objects.get(order=order)
    assert requirement.kind == NotificationRequirement.Kind.INITIAL
    assert requirement.triggered_on == D(2026, 3, 5)
    assert requirement.due_on == D(2026, 3, 8)


@pytest.mark.django_db
def test_notification_period_comes_from_the_setting(cast, settings):
    settings.MASIP_SPO_NOTIFY_DAYS = 5

    order = make_order(
        cast, today=D(2026, 3, 10), made_on=D(2026, 3, 2), served_on=D(2026, 3, 5)
    )

    assert NotificationRequirement.objects.get(order=order).due_on == D(2026, 3, 10)


@pytest.mark.django_db
def test_no_notification_requirement_until_an_spo_is_served(cast):
    order = make_order(cast, today=D(2026, 3, 10), served_on=None)
    assert not NotificationRequirement.objects.filter(order=order).exists()

    services.order_serve(
        actor=actor_for(cast.lead_worker),
        order=order,
        version=order.version,
        served_on=D(2026, 3, 9),
        today=D(2026, 3, 10),
    )

    assert NotificationRequirement.objects.get(order=order).due_on == D(2026, 3, 12)


@pytest.mark.django_db
def test_restraining_orders_carry_no_notification_requirement(cast):
    order = make_order(
        cast,
        today=D(2026, 3, 10),
        kind=OrderKind.RESTRAINING_CONVICTION,
        made_on=D(2026, 3, 2),
        served_on=D(2026, 3, 2),
        expires_on=D(2027, 3, 2),
    )

    assert not NotificationRequirement.objects.filter(order=order).exists()


@pytest.mark.django_db
def test_a_change_of_address_is_due_three_days_after_the_change(cast):
    order = make_order(
        cast, today=D(2026, 4, 1), made_on=D(2026, 3, 2), served_on=D(2026, 3, 2)
    )

    requirement = services.notification_change_record(
        actor=actor_for(cast.lead_worker),
        order=order,
        kind=NotificationRequirement.Kind.NEW_ADDRESS,
        changed_on=D(2026, 3, 28),
        today=D(2026, 4, 1),
    )

    assert requirement.triggered_on == D(2026, 3, 28)
    assert requirement.due_on == D(2026, 3, 31)


def test_overdue_exactly_the_day_after_due_not_on_it():
    requirement = NotificationRequirement(
        triggered_on=D(2026, 3, 5), due_on=D(2026, 3, 8)
    )

    assert not requirement.is_overdue(D(2026, 3, 8))
    assert requirement.is_overdue(D(2026, 3, 9))
    requirement.notified_on = D(2026, 3, 9)
    assert not requirement.is_overdue(D(2026, 3, 10))


@pytest.mark.django_db
def test_overdue_queryset_agrees_with_the_day_after_rule(cast):
    order = make_order(
        cast, today=D(2026, 3, 10), made_on=D(2026, 3, 2), served_on=D(2026, 3, 5)
    )
    requirements = NotificationRequirement.objects.filter(order=order)

    assert not requirements.overdue(D(2026, 3, 8)).exists()
    assert requirements.overdue(D(2026, 3, 9)).exists()
