"""Release alerts against a stopped clock: the window's edges, once per
expected date, again after the date changes, never after the release, and
who is told (the allocated advocate, else the advocacy service's managers,
else the lead agency's managers told no advocate is on the case)."""

import datetime as dt

import pytest
from django.utils import timezone

from masip.access.roles import RoleName
from masip.accounts.models import Notification
from masip.accounts.tests.factories import MembershipFactory
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.tests.factories import CaseAllocationFactory
from masip.interventions import services
from masip.interventions.models import Custody
from masip.interventions.reminders import (
    alert_coming_releases,
    alert_release_if_due,
    release_recipients,
)
from masip.interventions.tests.factories import custody_for
from masip.panels.tests.clock import frozen_on
from masip.people.tests.factories import actor_for

TODAY = dt.date(2026, 12, 3)


def _in(days):
    return TODAY + dt.timedelta(days=days)


@pytest.fixture
def advocate(cast):
    """The cast's advocate, allocated to the case for Advocacy A."""
    CaseAllocationFactory(
        case=cast.case,
        user=cast.advocate,
        agency=cast.advocacy_a,
        allocated_by=cast.lead_manager,
    )
    return cast.advocate


def _custody(cast, expected, **kwargs):
    return custody_for(
        cast,
        started_on=TODAY - dt.timedelta(days=90),
        expected_release_on=expected,
        **kwargs,
    )


def _notices(user=None):
    found = Notification.objects.filter(kind=Notification.Kind.RELEASE_COMING)
    if user is not None:
        found = found.filter(recipient=user)
    return list(found.order_by("id"))


@pytest.mark.parametrize(
    ("days", "alerted"),
    [(-1, False), (0, True), (1, True), (14, True), (15, False)],
    ids=["yesterday", "today", "tomorrow", "day-14", "day-15"],
)
def test_alert_window_runs_from_today_to_day_fourteen(cast, advocate, days, alerted):
    custody = _custody(cast, _in(days))

    sent = alert_coming_releases(today=TODAY)

    assert sent == (1 if alerted else 0)
    custody.refresh_from_db()
    assert custody.release_alerted_for == (_in(days) if alerted else None)


def test_alert_window_follows_the_setting(cast, advocate, settings):
    settings.MASIP_RELEASE_ALERT_DAYS = 3
    _custody(cast, _in(3))
    _custody(cast, _in(4))

    assert alert_coming_releases(today=TODAY) == 1


def test_alert_tells_the_allocated_advocate_once(cast, advocate):
    custody = _custody(cast, _in(10))

    first = alert_coming_releases(today=TODAY)
    again = alert_coming_releases(today=TODAY)
    next_day = alert_coming_releases(today=_in(1))

    assert (first, again, next_day) == (1, 0, 0)
    [notice] = _notices()
    assert notice.recipient == advocate
    assert notice.case_reference == cast.case.reference
    assert notice.link == (
        f"/cases/{cast.case.reference}/interventions/custody/{custody.public_id}/"
    )
    assert notice.message == (
        f"The person who stalks on {cast.case.reference} is expected to be "
        "released from custody on 13 December 2026 (in 10 days). Review the "
        "victim's safety plan with them."
    )
    assert "HMP" not in notice.message
    [event] = AuditEvent.objects.filter(event_type=EventType.RELEASE_ALERT_SENT)
    assert event.target_id == str(custody.public_id)
    assert event.actor_id is None  # the system sent it


def test_alert_again_when_the_release_is_brought_forward(cast, advocate):
    custody = _custody(cast, _in(12))
    alert_coming_releases(today=TODAY)
    Custody.objects.filter(pk=custody.pk).update(expected_release_on=_in(5))

    sent = alert_coming_releases(today=_in(1))

    assert sent == 1
    assert [n.message.split(" (")[1] for n in _notices()] == [
        "in 12 days). Review the victim's safety plan with them.",
        "in 4 days). Review the victim's safety plan with them.",
    ]


def test_alert_again_when_the_release_is_put_back_into_the_window_later(cast, advocate):
    custody = _custody(cast, _in(2))
    alert_coming_releases(today=TODAY)
    Custody.objects.filter(pk=custody.pk).update(expected_release_on=_in(20))

    assert alert_coming_releases(today=_in(1)) == 0  # day 19: outside
    assert alert_coming_releases(today=_in(6)) == 1  # day 14: inside
    custody.refresh_from_db()
    assert custody.release_alerted_for == _in(20)


def test_alert_never_after_the_release_is_recorded(cast, advocate):
    custody = _custody(cast, _in(5))
    custody.released_on = TODAY - dt.timedelta(days=1)
    custody.release_kind = Custody.ReleaseKind.BAIL
    custody.save()

    assert alert_coming_releases(today=TODAY) == 0
    assert alert_release_if_due(custody, today=TODAY) == 0
    assert not _notices()


def test_alert_without_an_advocate_tells_the_advocacy_service_managers(cast):
    manager = MembershipFactory(agency=cast.advocacy_a, role=RoleName.TEAM_MANAGER).user
    _custody(cast, _in(7))

    alert_coming_releases(today=TODAY)

    [notice] = _notices()
    assert notice.recipient == manager
    assert "No advocate" not in notice.message


def test_alert_without_advocacy_tells_the_lead_managers_no_advocate_is_on_it(cast):
    _custody(cast, _in(7))

    alert_coming_releases(today=TODAY)

    [notice] = _notices()
    assert notice.recipient == cast.lead_manager
    assert notice.message.endswith(
        "No advocate is working on this case: make sure the victim is told and "
        "their safety plan reviewed."
    )


def test_alert_skips_an_advocate_whose_allocation_ended(cast, advocate):
    from masip.cases.models import CaseAllocation

    CaseAllocation.objects.filter(user=advocate).update(ended_at=timezone.now())

    recipients, advocates = release_recipients(cast.case)

    assert (recipients, advocates) == ([cast.lead_manager], False)


def test_alert_skips_managers_who_no_longer_reach_the_case(cast):
    from masip.cases.models import CaseShare

    MembershipFactory(agency=cast.advocacy_a, role=RoleName.TEAM_MANAGER)
    CaseShare.objects.filter(agency=cast.advocacy_a).update(
        revoked_at=timezone.now(), revoked_by=cast.lead_manager
    )

    recipients, advocates = release_recipients(cast.case)

    assert (recipients, advocates) == ([cast.lead_manager], False)


# At once, when recorded or changed -------------------------------------------


def test_recording_custody_inside_the_window_alerts_at_once(cast, advocate):
    custody = services.custody_record(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        subject=cast.perpetrator,
        kind=Custody.Kind.REMAND,
        establishment="HMP Exampleton",
        started_on=TODAY - dt.timedelta(days=3),
        expected_release_on=_in(3),
        today=TODAY,
    )

    assert [n.recipient for n in _notices()] == [advocate]
    assert custody.release_alerted_for == _in(3)
    # The daily run does not alert it again.
    assert alert_coming_releases(today=TODAY) == 0


def test_recording_custody_outside_the_window_waits_for_the_daily_run(cast, advocate):
    services.custody_record(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        subject=cast.perpetrator,
        kind=Custody.Kind.SENTENCE,
        establishment="HMP Exampleton",
        started_on=TODAY - dt.timedelta(days=3),
        expected_release_on=_in(15),
        today=TODAY,
    )

    assert not _notices()
    assert alert_coming_releases(today=_in(1)) == 1


def test_changing_the_expected_date_alerts_the_new_date_at_once(cast, advocate):
    custody = _custody(cast, _in(8))
    alert_coming_releases(today=TODAY)
    custody.refresh_from_db()

    services.custody_update(
        actor=actor_for(cast.lead_worker),
        custody=custody,
        version=custody.version,
        kind=custody.kind,
        establishment=custody.establishment,
        started_on=custody.started_on,
        expected_release_on=_in(2),
        today=TODAY,
    )

    assert len(_notices(advocate)) == 2
    custody.refresh_from_db()
    assert custody.release_alerted_for == _in(2)


def test_changing_something_else_sends_no_new_alert(cast, advocate):
    custody = _custody(cast, _in(8))
    alert_coming_releases(today=TODAY)
    custody.refresh_from_db()

    services.custody_update(
        actor=actor_for(cast.lead_worker),
        custody=custody,
        version=custody.version,
        kind=custody.kind,
        establishment="HMP Elsewhere",
        started_on=custody.started_on,
        expected_release_on=_in(8),
        today=TODAY,
    )

    assert len(_notices(advocate)) == 1


def test_alert_stamp_does_not_make_open_forms_stale(cast, advocate):
    custody = _custody(cast, _in(8))
    version = custody.version

    alert_coming_releases(today=TODAY)

    custody.refresh_from_db()
    assert custody.version == version


def test_daily_run_is_what_the_clock_says_today(cast, advocate):
    """With the clock stopped, the service's own "today" is the clock's."""
    with frozen_on(TODAY):
        services.custody_record(
            actor=actor_for(cast.lead_worker),
            case=cast.case,
            subject=cast.perpetrator,
            kind=Custody.Kind.RECALL,
            establishment="HMP Exampleton",
            started_on=TODAY,
            expected_release_on=_in(14),
        )

    assert len(_notices(advocate)) == 1


# After the release ------------------------------------------------------------


def _release(cast, custody, on):
    return services.custody_release(
        actor=actor_for(cast.lead_worker),
        custody=custody,
        version=custody.version,
        released_on=on,
        release_kind=Custody.ReleaseKind.BAIL,
        today=TODAY,
    )


def test_release_without_an_alert_for_it_tells_the_advocate(cast, advocate):
    custody = _custody(cast, None)

    _release(cast, custody, TODAY)

    [notice] = _notices(advocate)
    assert notice.message.startswith(
        f"The person who stalks on {cast.case.reference} was released from "
        "custody on 3 December 2026 (on bail)."
    )


def test_release_on_the_date_alerted_tells_no_one_again(cast, advocate):
    custody = _custody(cast, TODAY)
    alert_coming_releases(today=TODAY)
    custody.refresh_from_db()

    _release(cast, custody, TODAY)

    assert len(_notices(advocate)) == 1


def test_release_long_ago_recorded_for_the_history_tells_no_one(cast, advocate):
    custody = _custody(cast, None)

    _release(cast, custody, TODAY - dt.timedelta(days=15))

    assert not _notices()
