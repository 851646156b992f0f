"""The real task worker raises the alerts queued by committed audit writes.

No module-wide ``django_db`` mark here: these tests commit as they go
(``transactional_db``), and ``audit_truncate_allowed`` must be set up before
it so that PostgreSQL lets the clean-up truncate the audit trail (see
masip/crypto/tests/committing.py).
"""

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from masip.accounts.tests.factories import StaffHomeAddressFactory
from masip.alerts import tasks
from masip.alerts.models import Alert, RuleCode
from masip.alerts.tests.support import record_at, run_worker
from masip.audit.events import EventType as E
from masip.crypto.tests.committing import audit_truncate_allowed  # noqa: F401

TASK_PATH = "masip.alerts.tasks.evaluate_event"


def _queued():
    queued = DBTaskResult.objects.filter(task_path=TASK_PATH)
    return list(queued.order_by("enqueued_at"))


# The worker closes a connection it finds inside a transaction (it expects to
# own it), so these tests commit as they go (see masip/crypto/tests/committing.py).
@pytest.mark.usefixtures("audit_truncate_allowed", "transactional_db")
def test_the_real_worker_raises_the_alert_once_for_a_task_run_twice(cast):
    # Autocommit: the hook queues the task as the write commits.
    event = record_at(E.CASE_BREAK_GLASS, cast.lead_manager, case_reference="STK-A")
    assert Alert.objects.count() == 0
    tasks.evaluate_event.enqueue(event.pk)  # queued again, as by a retry

    log = run_worker()

    results = _queued()
    assert [r.status for r in results] == [TaskResultStatus.SUCCESSFUL] * 2, log
    assert sorted(r.return_value for r in results) == [0, 1]
    alert = Alert.objects.get()
    assert (alert.rule, alert.subject, alert.occurrences) == (
        RuleCode.BREAK_GLASS,
        cast.lead_manager,
        1,
    )


@pytest.mark.usefixtures("audit_truncate_allowed", "transactional_db")
def test_the_real_worker_raises_the_shared_address_alert(cast):
    StaffHomeAddressFactory(
        user=cast.lead_manager, line_1="1 Sealed Street", postcode="ZZ99 9ZZ"
    )
    record_at(E.CASE_VIEWED, cast.lead_manager, case_reference=cast.case.reference)

    log = run_worker()

    (result,) = _queued()
    assert result.status == TaskResultStatus.SUCCESSFUL, log
    assert Alert.objects.get().rule == RuleCode.ADDRESS_MATCH
