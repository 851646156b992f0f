"""Alerts raised by the worker from a task queued as each audit write commits,
and by replaying."""

import datetime as dt
import logging

import pytest
from django.core.management import CommandError, call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from masip.alerts import engine, tasks
from masip.alerts.models import Alert, AlertTrigger, RuleCode
from masip.alerts.tests.support import record_at, uk
from masip.audit import services as audit
from masip.audit.events import EventType as E

pytestmark = pytest.mark.django_db

TASK_PATH = "masip.alerts.tasks.evaluate_event"


def _queued():
    queued = DBTaskResult.objects.filter(task_path=TASK_PATH)
    return list(queued.order_by("enqueued_at"))


def test_a_watched_event_is_queued_once_the_audit_write_commits(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = record_at(E.CASE_BREAK_GLASS, cast.lead_manager, case_reference="STK-A")
        assert _queued() == []  # nothing before the commit

    (queued,) = _queued()
    assert queued.status == TaskResultStatus.READY
    assert queued.args_kwargs == {"args": [event.pk], "kwargs": {}}
    # The request only queued it: no rule ran inside it.
    assert Alert.objects.count() == 0


def test_the_queued_task_raises_the_alert(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = record_at(E.CASE_BREAK_GLASS, cast.lead_manager, case_reference="STK-A")
    (queued,) = _queued()

    raised = queued.task.call(*queued.args_kwargs["args"])

    assert raised == 1
    assert Alert.objects.get().rule == RuleCode.BREAK_GLASS
    assert AlertTrigger.objects.get().event_id == event.pk


def test_an_event_evaluated_twice_raises_one_alert(cast):
    event = record_at(E.CASE_BREAK_GLASS, cast.lead_manager, case_reference="STK-A")

    first = tasks.evaluate_event.call(event.pk)
    second = tasks.evaluate_event.call(event.pk)

    assert (first, second) == (1, 0)
    alert = Alert.objects.get()
    assert alert.occurrences == 1
    assert alert.triggers.count() == 1


def test_a_task_for_a_missing_event_does_nothing(db):
    assert tasks.evaluate_event.call(10**9) == 0


def test_events_no_rule_watches_cost_no_work(
    cast, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks() as callbacks:
        event = record_at(E.NOTE_ADDED, cast.lead_worker, case_reference="STK-A")

    with django_assert_num_queries(0):
        for callback in callbacks:
            callback()
    assert _queued() == []
    assert engine.findings_for(event) == []


def test_a_watched_event_costs_the_request_one_insert(
    cast, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks() as callbacks:
        record_at(E.CASE_VIEWED, cast.lead_worker, case_reference=cast.case.reference)

    with django_assert_num_queries(1):  # the task row, no rule's queries
        for callback in callbacks:
            callback()
    assert len(_queued()) == 1


def test_a_failing_detector_never_fails_the_write(
    cast, django_capture_on_commit_callbacks, caplog
):
    def broken(event):
        raise RuntimeError("detector down")

    audit.on_recorded(broken)
    audit.on_recorded(broken)  # registering twice runs it once
    try:
        with (
            caplog.at_level(logging.ERROR),
            django_capture_on_commit_callbacks(execute=True),
        ):
            event = record_at(E.NOTE_ADDED, cast.lead_worker)
    finally:
        audit._hooks.remove(broken)

    assert event.pk is not None
    failures = [r for r in caplog.records if "detector down" in r.getMessage()]
    assert len(failures) == 1


def test_scan_replays_a_period_and_is_idempotent(cast):
    start = timezone.now() - dt.timedelta(days=2)
    record_at(E.CASE_BREAK_GLASS, cast.lead_manager, case_reference="STK-A", at=start)
    record_at(
        E.EXPORT_CREATED, cast.lead_worker, at=start - dt.timedelta(days=3)
    )  # before the period

    first = engine.scan(since=start - dt.timedelta(hours=1))
    second = engine.scan(since=start - dt.timedelta(hours=1))

    assert (first.events, first.raised) == (1, 1)
    assert (second.events, second.raised) == (1, 0)
    assert Alert.objects.get().occurrences == 1


def test_scan_stops_at_until(cast):
    start = timezone.now() - dt.timedelta(days=2)
    record_at(E.CASE_BREAK_GLASS, cast.lead_manager, case_reference="STK-A", at=start)

    report = engine.scan(since=start - dt.timedelta(hours=1), until=start)

    assert report.events == 0


def test_scan_command_reports_what_it_did(cast, capsys):
    record_at(
        E.CASE_BREAK_GLASS,
        cast.lead_manager,
        case_reference="STK-A",
        at=uk("2026-03-10 09:00"),
    )

    call_command("alerts", "scan", "--since", "2026-03-10", "--until", "2026-03-11")

    assert "Scanned 1 events: 1 new alerts raised." in capsys.readouterr().out


def test_scan_command_refuses_a_backwards_period(cast):
    with pytest.raises(CommandError, match="--until must be after --since"):
        call_command("alerts", "scan", "--since", "2026-03-10", "--until", "2026-03-09")


def test_scan_command_refuses_a_bad_date(cast):
    with pytest.raises(CommandError, match="must be a date such as"):
        call_command("alerts", "scan", "--since", "last tuesday")
