"""``masip reminders``: the daily job reminding owners of overdue actions and
managers of outcome follow-ups due, once each, for today or a given day."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from masip.accounts.models import Notification
from masip.cases.models import OutcomeFollowUp
from masip.cases.services import closure_approve
from masip.cases.tests.closure_support import ask_to_close, frozen_at
from masip.cases.tests.factories import CaseFactory
from masip.panels.tests.factories import ActionFactory
from masip.people.tests.factories import actor_for

pytestmark = pytest.mark.django_db

DAY = "2025-07-10"  # six months after the cast's case closed: a follow-up is due


@pytest.fixture
def due_on_the_day(cast):
    """The cast's case closed on 10 January 2025 (its 6-month follow-up falls
    due on 10 July), and an action of Police A's on another case, owned by
    the lead worker, due on 9 July."""
    with frozen_at(2025, 1, 10):
        closure_approve(
            actor=actor_for(cast.lead_manager),
            closure=ask_to_close(cast),
            note="Agreed.",
        )
    action = ActionFactory(
        case=CaseFactory(lead_agency=cast.police_a),
        owner=cast.lead_worker,
        created_by=cast.lead_manager,
        due_on=dt.date(2025, 7, 9),
    )
    return action


# The kinds this fixture does not set up: each answers 0.
OTHERS_NONE = [
    "Overdue order notifications: 0",
    "Releases coming up: 0",
    "Safety plan reviews due: 0",
]


def _run(*args: str) -> str:
    out = StringIO()
    call_command("reminders", *args, stdout=out)
    return out.getvalue()


def _told(kind: str) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind).order_by("id"))


def _reminders() -> int:
    return Notification.objects.filter(
        kind__in=[Notification.Kind.ACTION_OVERDUE, Notification.Kind.FOLLOW_UP_DUE]
    ).count()


def test_reminders_sends_each_kind_for_the_day_and_prints_the_counts(
    cast, due_on_the_day, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        output = _run("--date", DAY)

    assert output.splitlines() == [
        "Reminders for 2025-07-10:",
        "Overdue actions: 1",
        "Follow-ups due: 1",
        *OTHERS_NONE,
    ]
    (overdue,) = _told(Notification.Kind.ACTION_OVERDUE)
    assert overdue.recipient == cast.lead_worker
    assert overdue.case_reference == due_on_the_day.case.reference
    (follow_up,) = _told(Notification.Kind.FOLLOW_UP_DUE)
    assert follow_up.recipient == cast.lead_manager
    assert follow_up.case_reference == cast.case.reference
    assert OutcomeFollowUp.objects.get(months=6).reminded_on == dt.date(2025, 7, 10)
    # The emails go through the worker: one task per batch of notices.
    assert (
        DBTaskResult.objects.filter(
            task_path="masip.accounts.tasks.email_notices"
        ).count()
        == 2
    )


def test_reminders_run_twice_for_a_day_send_nothing_twice(cast, due_on_the_day):
    _run("--date", DAY)

    output = _run("--date", DAY)

    assert output.splitlines()[1:] == [
        "Overdue actions: 0",
        "Follow-ups due: 0",
        *OTHERS_NONE,
    ]
    assert _reminders() == 2


def test_reminders_for_an_earlier_day_send_only_what_was_due_then(cast, due_on_the_day):
    output = _run("--date", "2025-07-09")

    assert output.splitlines()[1:] == [
        "Overdue actions: 0",
        "Follow-ups due: 0",
        *OTHERS_NONE,
    ]
    assert _reminders() == 0


def test_reminders_default_to_today(cast, due_on_the_day):
    with frozen_at(2025, 7, 10):
        output = _run()

    assert output.splitlines() == [
        "Reminders for 2025-07-10:",
        "Overdue actions: 1",
        "Follow-ups due: 1",
        *OTHERS_NONE,
    ]


@pytest.mark.parametrize("day", ["10/07/2025", "2025-13-01", "tomorrow"])
def test_reminders_refuse_a_date_not_in_iso_form(day):
    with pytest.raises(CommandError, match="Enter the date as YYYY-MM-DD"):
        _run("--date", day)


def test_reminders_cover_orders_releases_and_safety_plans(cast):
    """An SPO whose initial notification is overdue, a release in ten days and
    a safety plan due for review today: each is reminded once."""
    from django.utils import timezone

    from masip.interventions.tests.factories import custody_for
    from masip.orders.tests.factories import make_order
    from masip.safety.tests.factories import SafetyPlanFactory, SafetyPlanVersionFactory

    today = timezone.localdate()
    make_order(cast)  # served 28 days ago, nothing notified: overdue
    custody_for(cast, expected_release_on=today + dt.timedelta(days=10))
    SafetyPlanVersionFactory(
        plan=SafetyPlanFactory(case=cast.case, victim=cast.victim),
        review_on=today,
        recorded_by=cast.advocate,
        recorded_by_agency=cast.advocacy_a,
    )

    first = _run("--date", today.isoformat())
    again = _run("--date", today.isoformat())

    assert first.splitlines()[3:] == [
        "Overdue order notifications: 1",
        "Releases coming up: 1",
        "Safety plan reviews due: 1",
    ]
    assert again.splitlines()[3:] == OTHERS_NONE
    assert _told(Notification.Kind.ORDER_NOTIFICATION_OVERDUE)[0].recipient == (
        cast.lead_worker
    )
    assert _told(Notification.Kind.SAFETY_PLAN_REVIEW_DUE)[0].recipient == cast.advocate
    assert _told(Notification.Kind.RELEASE_COMING)
