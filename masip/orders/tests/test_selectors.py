"""The dashboard's sections and the case timeline, against a stopped clock."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.cases.models import Case
from masip.orders import selectors, services
from masip.orders.models import NotificationRequirement, OrderKind
from masip.orders.tests.factories import make_breach, make_order, make_review
from masip.people.tests.factories import actor_for

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 6, 1)


def _cases(cast):
    return Case.objects.filter(pk=cast.case.pk)


def _restraining(cast, expires_on, **values):
    return make_order(
        cast,
        today=TODAY,
        kind=OrderKind.RESTRAINING_CONVICTION,
        made_on=D(2026, 1, 5),
        served_on=D(2026, 1, 5),
        expires_on=expires_on,
        **values,
    )


def test_orders_expiring_day_60_is_in_and_day_61_out(cast):
    in_window = _restraining(cast, TODAY + dt.timedelta(days=60))
    _restraining(cast, TODAY + dt.timedelta(days=61))

    rows = selectors.orders_expiring(_cases(cast), today=TODAY, within_days=60)

    assert [(r.order, r.days_left) for r in rows] == [(in_window, 60)]


def test_orders_expiring_includes_today_but_not_yesterday_or_discharged(cast):
    today = _restraining(cast, TODAY)
    _restraining(cast, TODAY - dt.timedelta(days=1))
    discharged = _restraining(cast, TODAY + dt.timedelta(days=5))
    services.order_discharge(
        actor=actor_for(cast.lead_worker),
        order=discharged,
        version=discharged.version,
        discharged_on=TODAY,
        detail="Synthetic: discharged on appeal.",
        today=TODAY,
    )

    rows = selectors.orders_expiring(_cases(cast), today=TODAY, within_days=60)

    assert [(r.order, r.days_left) for r in rows] == [(today, 0)]


def test_orders_expiring_filters_by_owner_agency(cast):
    _restraining(cast, TODAY + dt.timedelta(days=10))

    assert selectors.orders_expiring(
        _cases(cast), today=TODAY, within_days=60, agency=cast.police_a
    )
    assert not selectors.orders_expiring(
        _cases(cast), today=TODAY, within_days=60, agency=cast.probation_a
    )


def _spo_served(cast, served_on):
    return make_order(cast, today=TODAY, made_on=served_on, served_on=served_on)


def test_notification_deadlines_overdue_first_then_due_within_seven_days(cast):
    overdue = _spo_served(cast, D(2026, 5, 20))  # due 23 May: 9 days late
    due_today = _spo_served(cast, D(2026, 5, 29))  # due 1 June
    due_in_7 = _spo_served(cast, D(2026, 6, 1))  # due 4 June
    change = services.notification_change_record(
        actor=actor_for(cast.lead_worker),
        order=due_in_7,
        kind=NotificationRequirement.Kind.NEW_NAME,
        changed_on=D(2026, 6, 1),
        today=TODAY,
    )

    rows = selectors.notification_deadlines(_cases(cast), today=TODAY, within_days=7)

    assert [(r.requirement.order, r.overdue, r.days) for r in rows] == [
        (overdue, True, 9),
        (due_today, False, 0),
        (due_in_7, False, 3),
        (due_in_7, False, 3),
    ]
    assert rows[-1].requirement == change


def test_notification_deadlines_leave_out_the_notified_the_far_and_lapsed(cast):
    notified = _spo_served(cast, D(2026, 5, 28))
    services.notification_made_record(
        actor=actor_for(cast.lead_worker),
        requirement=notified.notification_requirements.get(),
        notified_on=D(2026, 5, 30),
        today=TODAY,
    )
    services.notification_change_record(
        actor=actor_for(cast.lead_worker),
        order=notified,
        kind=NotificationRequirement.Kind.NEW_ADDRESS,
        changed_on=TODAY,
        today=TODAY,
    )
    lapsed = _spo_served(cast, D(2026, 5, 1))
    services.order_discharge(
        actor=actor_for(cast.lead_worker),
        order=lapsed,
        version=lapsed.version,
        discharged_on=D(2026, 5, 31),
        detail="Synthetic: discharged.",
        today=TODAY,
    )

    rows = selectors.notification_deadlines(_cases(cast), today=TODAY, within_days=2)

    assert rows == []


def test_breach_reviews_open_lists_only_open_ones_for_the_agency(cast):
    review = make_review(cast)

    assert selectors.breach_reviews_open(_cases(cast)) == [review]
    assert selectors.breach_reviews_open(_cases(cast), agency=cast.police_a) == [review]
    assert selectors.breach_reviews_open(_cases(cast), agency=cast.nhs_a) == []


def test_dashboard_sections_see_only_cases_in_reach(cast):
    make_review(cast)
    outsider_cases = Access(cast.outsider).visible_cases_granting(Permission.ORDER_VIEW)

    assert selectors.breach_reviews_open(outsider_cases) == []
    assert (
        selectors.orders_expiring(outsider_cases, today=TODAY, within_days=9999) == []
    )


def test_case_orders_rows_in_a_constant_number_of_queries(cast):
    make_review(cast)
    with CaptureQueriesContext(connection) as one:
        selectors.case_orders(case=cast.case, today=TODAY)
    for _ in range(4):
        make_order(cast)
    with CaptureQueriesContext(connection) as five:
        rows = selectors.case_orders(case=cast.case, today=TODAY)

    assert len(rows) == 5
    assert len(one) == len(five)


def test_case_orders_row_shows_next_deadline_overdue_and_open_reviews(cast):
    order = _spo_served(cast, D(2026, 5, 20))
    make_review(cast, order)

    [row] = selectors.case_orders(case=cast.case, today=TODAY)

    assert row.next_requirement is not None
    assert row.next_requirement.due_on == D(2026, 5, 23)
    assert row.overdue
    assert row.open_reviews == 1


def test_case_order_events_show_the_history_expiry_and_breaches(cast):
    order = _restraining(cast, D(2026, 5, 1))
    make_breach(cast, order)

    events = selectors.case_order_events(case=cast.case, today=TODAY)

    titles = [e.title for e in events]
    assert "Restraining order on conviction expired" in titles
    assert "Restraining order on conviction made" in titles
    assert "Restraining order on conviction served" in titles
    assert "Breach of the Restraining order on conviction" in titles
    expired = next(e for e in events if e.title.endswith("expired"))
    assert expired.on == D(2026, 5, 2)
