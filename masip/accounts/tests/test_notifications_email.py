"""Notices by email: queued once per batch as the notices commit, sent by the
worker once per notice, never to inactive users, never with more than the
notice says."""

import json
import os
import smtplib
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from masip.accounts import notices, tasks
from masip.accounts.models import Notification
from masip.accounts.tests.factories import UserFactory
from masip.alerts.tests.support import run_worker
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.services.allocation import case_allocate
from masip.crypto.tests.committing import audit_truncate_allowed  # noqa: F401
from masip.people.tests.factories import actor_for

TASK_PATH = "masip.accounts.tasks.email_notices"
REPO = Path(__file__).resolve().parents[3]


def _queued() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path=TASK_PATH).order_by("enqueued_at")
    )


def _notify(recipients, **extra):
    fields = {
        "kind": Notification.Kind.ACTION_ASSIGNED,
        "message": "An action on case STK-TEST-0001 was assigned to you.",
        "case_reference": "STK-TEST-0001",
    }
    return notices.notify(recipients, **(fields | extra))


def _run_queued() -> list[int]:
    """Run every queued email task as the worker would; what each returned."""
    return [
        tasks.email_notices.call(*queued.args_kwargs["args"]) for queued in _queued()
    ]


@pytest.mark.django_db
def test_notify_queues_one_task_per_batch_once_the_notices_commit(
    django_capture_on_commit_callbacks,
):
    first, second = UserFactory(), UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        created = _notify([first, second, first])
        assert _queued() == []  # nothing before the commit

    (queued,) = _queued()
    assert queued.status == TaskResultStatus.READY
    assert queued.args_kwargs == {
        "args": [sorted(n.pk for n in created)],
        "kwargs": {},
    }
    assert len(created) == 2  # once each
    assert mail.outbox == []  # the request only queued it


@pytest.mark.django_db
def test_the_task_emails_each_notice_once_with_what_the_notice_says(
    django_capture_on_commit_callbacks, settings
):
    settings.MASIP_BASE_URL = "https://masip.example.test"
    settings.DEFAULT_FROM_EMAIL = "masip@example.test"
    first, second = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        created = _notify([first, second])

    assert _run_queued() == [2]

    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])
    email = mail.outbox[0]
    assert email.from_email == "masip@example.test"
    assert email.subject == "MASIP: An action was assigned to you (STK-TEST-0001)"
    assert "An action on case STK-TEST-0001 was assigned to you." in email.body
    assert "Case reference: STK-TEST-0001" in email.body
    assert "https://masip.example.test/notifications/" in email.body
    stamped = Notification.objects.filter(pk__in=[n.pk for n in created])
    assert all(n.emailed_at is not None for n in stamped)
    assert (
        AuditEvent.objects.filter(
            event_type=EventType.NOTIFICATION_EMAILED,
            target_type="notification",
            case_reference="STK-TEST-0001",
        ).count()
        == 2
    )


@pytest.mark.django_db
def test_running_the_task_twice_sends_each_email_once(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = _notify([user])

    first = tasks.email_notices.call([notice.pk])
    second = tasks.email_notices.call([notice.pk])

    assert (first, second) == (1, 0)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_notice_claimed_by_another_worker_meanwhile_is_not_sent_again(
    monkeypatch,
):
    first_user, second_user = UserFactory(), UserFactory()
    first, second = _notify([first_user, second_user])
    build = notices.email_for

    def build_while_another_worker_claims_the_second(notice):
        # Another worker stamps the second notice after this run listed it.
        Notification.objects.filter(pk=second.pk).update(emailed_at=timezone.now())
        return build(notice)

    monkeypatch.setattr(
        notices, "email_for", build_while_another_worker_claims_the_second
    )

    sent = tasks.email_notices.call([first.pk, second.pk])

    assert sent == 1
    assert [m.to for m in mail.outbox] == [[first_user.email]]


@pytest.mark.django_db
def test_a_failed_send_leaves_the_notice_to_send_again(monkeypatch):
    user = UserFactory()
    (notice,) = _notify([user])

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("connection lost")

    with monkeypatch.context() as patched:
        patched.setattr(LocmemBackend, "send_messages", refuse)
        with pytest.raises(smtplib.SMTPServerDisconnected):
            tasks.email_notices.call([notice.pk])

    notice.refresh_from_db()
    assert notice.emailed_at is None
    assert not AuditEvent.objects.filter(
        event_type=EventType.NOTIFICATION_EMAILED
    ).exists()
    assert tasks.email_notices.call([notice.pk]) == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_inactive_users_get_no_notice_and_no_email(
    django_capture_on_commit_callbacks,
):
    inactive = UserFactory(is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        assert _notify([inactive]) == []

    assert _queued() == []
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_user_deactivated_before_the_task_runs_gets_no_email(
    django_capture_on_commit_callbacks,
):
    leaving, staying = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        created = _notify([leaving, staying])
    leaving.is_active = False
    leaving.save(update_fields=["is_active"])

    assert _run_queued() == [1]

    assert [m.to for m in mail.outbox] == [[staying.email]]
    unsent = next(n for n in created if n.recipient_id == leaving.pk)
    unsent.refresh_from_db()
    assert unsent.emailed_at is None  # in MASIP only


@pytest.mark.django_db
def test_a_user_without_an_email_address_gets_the_notice_only(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(email="")

    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = _notify([user])

    assert notice.pk is not None
    assert _queued() == []
    assert tasks.email_notices.call([notice.pk]) == 0


def test_an_email_names_nobody_the_notice_does_not_name(
    cast, django_capture_on_commit_callbacks
):
    # A real notice about the cast's case, whose victim and perpetrator have
    # names, an address and a phone number on record.
    with django_capture_on_commit_callbacks(execute=True):
        case_allocate(
            actor=actor_for(cast.lead_manager),
            case=cast.case,
            worker=cast.partner_worker,
        )

    _run_queued()

    (email,) = mail.outbox
    notice = Notification.objects.get(recipient=cast.partner_worker)
    text = f"{email.subject}\n{email.body}"
    assert notice.message in email.body
    assert cast.case.reference in email.subject
    for detail in (
        "Avery",
        "Testvictim",
        "Blake",
        "Testperp",
        "Sealed Street",
        "07700",
        cast.partner_worker.full_name,
        cast.lead_manager.full_name,
    ):
        assert detail.lower() not in text.lower(), detail
    assert email.to == [cast.partner_worker.email]


# The worker closes a connection it finds inside a transaction (it expects to
# own it), so this test commits as it goes (see masip/crypto/tests/committing.py).
@pytest.mark.usefixtures("audit_truncate_allowed", "transactional_db")
def test_the_real_worker_sends_the_queued_email_once():
    user = UserFactory()
    (notice,) = _notify([user])  # autocommit: queued at once
    tasks.email_notices.enqueue([notice.pk])  # queued again, as by a retry

    log = run_worker()

    results = _queued()
    assert [r.status for r in results] == [TaskResultStatus.SUCCESSFUL] * 2, log
    assert sorted(r.return_value for r in results) == [0, 1]
    assert [m.to for m in mail.outbox] == [[user.email]]


def _mailer_in_a_fresh_process(**env: str) -> dict:
    """The default mailer as config/settings.py builds it from ``env``."""
    script = (
        "import json, django; django.setup();"
        "from django.core.mail import mailers;"
        "m = mailers.default;"
        "print(json.dumps({'class': type(m).__module__, **{k: getattr(m, k, None)"
        " for k in ('host', 'port', 'username', 'password', 'use_tls', 'timeout')}}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MASIP_EMAIL")}
    clean |= {"DJANGO_SETTINGS_MODULE": "config.settings", **env}
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", script],
        cwd=REPO,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_smtp_is_configured_from_the_environment():
    mailer = _mailer_in_a_fresh_process(
        MASIP_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        MASIP_EMAIL_HOST="smtp.example.test",
        MASIP_EMAIL_PORT="2525",
        MASIP_EMAIL_USER="masip-sender",
        MASIP_EMAIL_PASSWORD="not-a-real-password",
        MASIP_EMAIL_USE_TLS="true",
    )

    assert mailer == {
        "class": "django.core.mail.backends.smtp",
        "host": "smtp.example.test",
        "port": 2525,
        "username": "masip-sender",
        "password": "not-a-real-password",
        "use_tls": True,
        "timeout": 30,
    }


def test_development_prints_email_to_the_console():
    mailer = _mailer_in_a_fresh_process(DJANGO_DEBUG="true")

    assert mailer["class"] == "django.core.mail.backends.console"
