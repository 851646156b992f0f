"""Recording orders and their changes: checks, history and audit."""

import datetime as dt

import pytest

from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.core.errors import StaleEditError
from masip.orders import services
from masip.orders.models import (
    ConditionKind,
    NotificationRequirement,
    OrderEvent,
    OrderKind,
)
from masip.orders.reminders import remind_overdue_notifications
from masip.orders.services import ConditionSpec, OrderRefused
from masip.orders.tests.factories import make_order
from masip.people.tests.factories import PersonFactory, actor_for

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 6, 1)


def _actor(cast):
    return actor_for(cast.lead_worker)


def test_order_record_keeps_conditions_history_and_audits(cast):
    order = make_order(cast, today=TODAY, made_on=D(2026, 5, 1))

    assert [c.kind for c in order.conditions.all()] == [
        ConditionKind.NO_CONTACT,
        ConditionKind.EXCLUSION_ZONE,
    ]
    assert [e.kind for e in order.events.all()] == [
        OrderEvent.Kind.MADE,
        OrderEvent.Kind.SERVED,
    ]
    assert list(order.protected_persons.all()) == [cast.victim]
    event = AuditEvent.objects.get(event_type=EventType.ORDER_RECORDED)
    assert event.target_id == str(order.public_id)
    assert event.case_reference == cast.case.reference


def test_order_record_seals_the_zone_and_notes(cast):
    order = make_order(cast, today=TODAY, notes="Synthetic note.")
    zone = order.conditions.get(kind=ConditionKind.EXCLUSION_ZONE)

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT zone_description FROM orders_ordercondition WHERE id = %s",
            [zone.pk],
        )
        stored = cursor.fetchone()[0]
    assert "Sealed Street" not in stored
    assert zone.zone_description.startswith("Sealed Street")


def test_order_against_someone_not_the_perpetrator_is_refused(cast):
    with pytest.raises(OrderRefused, match="person who stalks") as refused:
        make_order(cast, today=TODAY, subject=cast.victim)
    assert refused.value.field == "subject"


def test_order_protecting_someone_off_the_case_is_refused(cast):
    stranger = PersonFactory(
        created_by=cast.lead_worker, created_by_agency=cast.police_a
    )

    with pytest.raises(OrderRefused, match="people on this case"):
        make_order(cast, today=TODAY, protected_persons=[stranger])


def test_order_owned_by_an_agency_not_on_the_case_is_refused(cast):
    with pytest.raises(OrderRefused, match="not working on this case"):
        make_order(cast, today=TODAY, owner_agency=cast.police_b, owner=None)


def test_order_owner_must_work_for_the_owner_agency(cast):
    with pytest.raises(OrderRefused, match="does not work for"):
        make_order(cast, today=TODAY, owner=cast.partner_worker)


def test_a_condition_without_wording_is_refused_naming_its_row(cast):
    with pytest.raises(OrderRefused) as refused:
        make_order(
            cast,
            today=TODAY,
            conditions=[ConditionSpec(kind=ConditionKind.CURFEW, wording=" ")],
        )
    assert refused.value.field == "condition_0_wording"


def test_serving_twice_is_refused(cast):
    order = make_order(cast, today=TODAY)

    with pytest.raises(OrderRefused, match="already been served"):
        services.order_serve(
            actor=_actor(cast),
            order=order,
            version=order.version,
            served_on=TODAY,
            today=TODAY,
        )


def test_vary_ends_a_condition_adds_one_and_keeps_history(cast):
    order = make_order(cast, today=TODAY, made_on=D(2026, 5, 1))
    zone = order.conditions.get(kind=ConditionKind.EXCLUSION_ZONE)

    services.order_vary(
        actor=_actor(cast),
        order=order,
        version=order.version,
        varied_on=D(2026, 5, 20),
        detail="Synthetic: zone replaced by a no-approach condition.",
        end_conditions=[zone],
        new_condition=ConditionSpec(
            kind=ConditionKind.NO_APPROACH, wording="Not within 100 metres."
        ),
        today=TODAY,
    )

    zone.refresh_from_db()
    assert zone.ends_on == D(2026, 5, 20)
    added = order.conditions.get(kind=ConditionKind.NO_APPROACH)
    assert added.starts_on == D(2026, 5, 20)
    varied = order.events.get(kind=OrderEvent.Kind.VARIED)
    assert varied.on == D(2026, 5, 20)
    assert varied.detail.startswith("Synthetic: zone replaced")


def test_vary_on_a_stale_version_is_refused(cast):
    order = make_order(cast, today=TODAY)

    with pytest.raises(StaleEditError):
        services.order_vary(
            actor=_actor(cast),
            order=order,
            version=order.version + 1,
            varied_on=TODAY,
            detail="Synthetic.",
            end_conditions=list(order.conditions.all()[:1]),
            today=TODAY,
        )


def test_renewal_of_a_full_spo_needs_two_years_from_the_renewal(cast):
    order = make_order(cast, today=TODAY, made_on=D(2024, 6, 1))
    version = order.version

    with pytest.raises(OrderRefused, match="at least 2 years"):
        services.order_renew(
            actor=_actor(cast),
            order=order,
            version=version,
            renewed_on=D(2026, 5, 20),
            expires_on=D(2028, 5, 19),
            today=TODAY,
        )
    renewed = services.order_renew(
        actor=_actor(cast),
        order=order,
        version=version,
        renewed_on=D(2026, 5, 20),
        expires_on=D(2028, 5, 20),
        today=TODAY,
    )

    assert renewed.expires_on == D(2028, 5, 20)
    assert renewed.version == version + 1
    event = renewed.events.get(kind=OrderEvent.Kind.RENEWED)
    assert event.detail == "Renewed until 20 May 2028."


def test_discharge_ends_the_order_from_that_day(cast):
    order = make_order(cast, today=TODAY, made_on=D(2026, 5, 1))

    discharged = services.order_discharge(
        actor=_actor(cast),
        order=order,
        version=order.version,
        discharged_on=D(2026, 5, 25),
        detail="Synthetic: discharged on application.",
        today=TODAY,
    )

    assert discharged.in_force_on(D(2026, 5, 24))
    assert not discharged.in_force_on(D(2026, 5, 25))
    assert AuditEvent.objects.filter(
        event_type=EventType.ORDER_CHANGED, changed_fields=["discharged_on"]
    ).exists()


def test_a_change_before_service_or_on_a_non_spo_is_refused(cast):
    bail = make_order(
        cast,
        today=TODAY,
        kind=OrderKind.BAIL_POLICE,
        served_on=None,
        expires_on=None,
    )
    with pytest.raises(OrderRefused, match="Only Stalking Protection Orders"):
        services.notification_change_record(
            actor=_actor(cast),
            order=bail,
            kind=NotificationRequirement.Kind.NEW_NAME,
            changed_on=TODAY,
            today=TODAY,
        )
    spo = make_order(cast, today=TODAY, made_on=D(2026, 5, 10))
    with pytest.raises(OrderRefused, match="on or after the date served"):
        services.notification_change_record(
            actor=_actor(cast),
            order=spo,
            kind=NotificationRequirement.Kind.NEW_NAME,
            changed_on=D(2026, 5, 11),
            today=TODAY,
        )


def test_notification_made_is_recorded_once(cast):
    order = make_order(cast, today=TODAY)
    requirement = order.notification_requirements.get()

    services.notification_made_record(
        actor=_actor(cast), requirement=requirement, notified_on=TODAY, today=TODAY
    )

    with pytest.raises(OrderRefused, match="already been recorded"):
        services.notification_made_record(
            actor=_actor(cast), requirement=requirement, notified_on=TODAY, today=TODAY
        )


# The overdue alert -----------------------------------------------------------------


def test_overdue_alert_goes_the_day_after_due_once_to_the_owner(cast):
    from masip.accounts.models import Notification

    order = make_order(
        cast, today=TODAY, made_on=D(2026, 5, 26), served_on=D(2026, 5, 26)
    )
    requirement = order.notification_requirements.get()
    assert requirement.due_on == D(2026, 5, 29)

    assert remind_overdue_notifications(today=D(2026, 5, 29)) == 0
    assert remind_overdue_notifications(today=D(2026, 5, 30)) == 1
    assert remind_overdue_notifications(today=D(2026, 5, 31)) == 0

    notice = Notification.objects.get(kind=Notification.Kind.ORDER_NOTIFICATION_OVERDUE)
    assert notice.recipient == cast.lead_worker
    assert "by 29 May 2026: it is 1 day overdue" in notice.message
    requirement.refresh_from_db()
    assert requirement.overdue_alerted_on == D(2026, 5, 30)


def test_overdue_alert_skips_the_notified_and_the_discharged(cast):
    notified = make_order(
        cast, today=TODAY, made_on=D(2026, 5, 1), served_on=D(2026, 5, 1)
    )
    services.notification_made_record(
        actor=_actor(cast),
        requirement=notified.notification_requirements.get(),
        notified_on=D(2026, 5, 2),
        today=TODAY,
    )
    discharged = make_order(
        cast, today=TODAY, made_on=D(2026, 5, 1), served_on=D(2026, 5, 1), owner=None
    )
    services.order_discharge(
        actor=_actor(cast),
        order=discharged,
        version=discharged.version,
        discharged_on=D(2026, 5, 20),
        detail="Synthetic.",
        today=TODAY,
    )

    assert remind_overdue_notifications(today=TODAY) == 0


def test_overdue_alert_with_no_owner_goes_to_the_agency_managers(cast):
    from masip.accounts.models import Notification

    make_order(
        cast, today=TODAY, made_on=D(2026, 5, 1), served_on=D(2026, 5, 1), owner=None
    )

    assert remind_overdue_notifications(today=TODAY) == 1
    assert Notification.objects.get().recipient == cast.lead_manager
