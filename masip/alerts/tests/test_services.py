"""Recording findings (raise, count, skip) and handling alerts (acknowledge, close)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from masip.access.actors import Actor
from masip.accounts.models import Membership, Notification
from masip.alerts import services
from masip.alerts.models import Alert, AlertOutcome, AlertStatus, RuleCode
from masip.alerts.tests.factories import AlertFactory
from masip.alerts.tests.support import act
from masip.audit.events import EventType as E
from masip.audit.models import AuditEvent
from masip.core.errors import DomainError, StaleEditError

pytestmark = pytest.mark.django_db


def _actor(user):
    return Actor(user=user, membership=Membership.objects.get(user=user))


def _break_glass(cast, at=None):
    return act(
        E.CASE_BREAK_GLASS,
        cast.lead_manager,
        case_reference=cast.case.reference,
        at=at,
    )


# Recording ---------------------------------------------------------------------


def test_raising_tells_each_other_manager_of_the_agency(cast):
    _break_glass(cast)

    alert = Alert.objects.get()
    notified = set(
        Notification.objects.filter(kind=services.NOTIFICATION_KIND).values_list(
            "recipient", flat=True
        )
    )
    # The agency administrator, but neither the subject nor other agencies.
    assert notified == {cast.agency_admin.pk}
    assert alert.subject == cast.lead_manager
    message = Notification.objects.get().message
    assert cast.case.reference not in message
    assert "Lead Manager" in message


def test_raising_is_audited_without_naming_the_case(cast):
    _break_glass(cast)

    raised = AuditEvent.objects.get(event_type=E.ALERT_RAISED)
    assert raised.target_id == str(Alert.objects.get().pk)
    assert raised.case_reference == ""
    assert raised.actor_id is None


def test_repeats_within_the_window_count_into_one_alert(cast):
    start = timezone.now()

    _break_glass(cast, at=start)
    _break_glass(cast, at=start + dt.timedelta(hours=3))

    alert = Alert.objects.get()
    assert alert.occurrences == 2
    assert alert.last_seen_at == start + dt.timedelta(hours=3)
    assert AuditEvent.objects.filter(event_type=E.ALERT_RAISED).count() == 1
    assert Notification.objects.count() == 1


def test_repeats_after_the_window_raise_a_new_alert(cast):
    start = timezone.now()

    _break_glass(cast, at=start)
    _break_glass(cast, at=start + dt.timedelta(hours=25))

    assert Alert.objects.count() == 2


def test_a_closed_alert_is_not_counted_into(cast):
    _break_glass(cast)
    Alert.objects.update(
        status=AlertStatus.CLOSED,
        outcome=AlertOutcome.NO_CONCERN,
        closed_by=cast.agency_admin,
        closed_at=timezone.now(),
    )

    _break_glass(cast)

    assert Alert.objects.filter(status=AlertStatus.OPEN).count() == 1


def test_different_cases_raise_different_alerts(cast):
    act(E.CASE_BREAK_GLASS, cast.lead_manager, case_reference=cast.case.reference)
    act(E.CASE_BREAK_GLASS, cast.lead_manager, case_reference="STK-OTHER-0001")

    assert Alert.objects.count() == 2


def test_the_same_event_is_recorded_once(cast):
    _break_glass(cast)
    event = AuditEvent.objects.get(event_type=E.CASE_BREAK_GLASS)
    finding = services.Finding(rule=RuleCode.BREAK_GLASS, summary="Again.")

    outcome = services.alert_record_finding(event=event, finding=finding)

    assert outcome is services.Recorded.ALREADY_SEEN
    assert Alert.objects.get().occurrences == 1


def test_a_system_event_cannot_raise(cast):
    event = AuditEvent.objects.create(
        seq=999_999, occurred_at=timezone.now(), prev_hash="0", hash="x"
    )
    finding = services.Finding(rule=RuleCode.BREAK_GLASS, summary="No one.")

    with pytest.raises(ValueError, match="member of staff"):
        services.alert_record_finding(event=event, finding=finding)


# Acknowledging and closing -----------------------------------------------------


@pytest.fixture
def alert(cast):
    return AlertFactory(agency=cast.police_a, subject=cast.lead_worker)


def test_acknowledge_marks_and_audits(cast, alert):
    done = services.alert_acknowledge(
        actor=_actor(cast.lead_manager), alert=alert, version=1
    )

    assert done.status == AlertStatus.ACKNOWLEDGED
    assert done.acknowledged_by == cast.lead_manager
    assert done.version == 2
    event = AuditEvent.objects.get(event_type=E.ALERT_ACKNOWLEDGED)
    assert event.actor_id == cast.lead_manager.pk
    assert event.target_id == str(alert.pk)


def test_acknowledge_refuses_a_stale_version(cast, alert):
    with pytest.raises(StaleEditError):
        services.alert_acknowledge(
            actor=_actor(cast.lead_manager), alert=alert, version=7
        )


def test_acknowledge_refuses_twice(cast, alert):
    services.alert_acknowledge(actor=_actor(cast.lead_manager), alert=alert, version=1)

    with pytest.raises(DomainError, match="already acknowledged"):
        services.alert_acknowledge(
            actor=_actor(cast.agency_admin), alert=alert, version=2
        )


@pytest.mark.parametrize("who", ["lead_worker", "outsider_manager"])
def test_only_another_manager_of_the_agency_may_act(cast, who):
    alert = AlertFactory(agency=cast.police_a, subject=cast.lead_manager)
    acting = "lead_manager" if who == "lead_worker" else who

    with pytest.raises(PermissionDenied):
        services.alert_acknowledge(
            actor=_actor(cast.persona(acting)), alert=alert, version=1
        )


def test_a_worker_without_the_verb_may_not_act(cast, alert):
    with pytest.raises(PermissionDenied):
        services.alert_close(
            actor=_actor(cast.partner_worker),
            alert=alert,
            version=1,
            outcome=AlertOutcome.NO_CONCERN,
            notes="",
        )


def test_close_records_outcome_and_notes(cast, alert):
    done = services.alert_close(
        actor=_actor(cast.agency_admin),
        alert=alert,
        version=1,
        outcome=AlertOutcome.ADVICE_GIVEN,
        notes="  Spoke to the officer about looking up relatives.  ",
    )

    assert done.status == AlertStatus.CLOSED
    assert done.notes == "Spoke to the officer about looking up relatives."
    assert done.closed_by == cast.agency_admin
    event = AuditEvent.objects.get(event_type=E.ALERT_CLOSED)
    assert "notes" in event.changed_fields
    assert "relatives" not in str(event.changed_fields)


@pytest.mark.parametrize(
    ("outcome", "notes", "message"),
    [
        ("nonsense", "x", "Select the outcome."),
        (AlertOutcome.MISCONDUCT, "   ", "Enter notes"),
    ],
)
def test_close_refuses_bad_input(cast, alert, outcome, notes, message):
    with pytest.raises(DomainError, match=message):
        services.alert_close(
            actor=_actor(cast.agency_admin),
            alert=alert,
            version=1,
            outcome=outcome,
            notes=notes,
        )


def test_close_refuses_an_alert_already_closed(cast, alert):
    kwargs = {"outcome": AlertOutcome.NO_CONCERN, "notes": ""}
    services.alert_close(
        actor=_actor(cast.agency_admin), alert=alert, version=1, **kwargs
    )

    with pytest.raises(DomainError, match="already closed"):
        services.alert_close(
            actor=_actor(cast.lead_manager), alert=alert, version=2, **kwargs
        )


def test_close_refuses_a_stale_version_with_the_saved_values(cast, alert):
    services.alert_acknowledge(actor=_actor(cast.lead_manager), alert=alert, version=1)

    with pytest.raises(StaleEditError) as caught:
        services.alert_close(
            actor=_actor(cast.agency_admin),
            alert=alert,
            version=1,
            outcome=AlertOutcome.NO_CONCERN,
            notes="",
        )

    assert caught.value.current_version == 2
    assert set(caught.value.current) == {"outcome", "notes"}
