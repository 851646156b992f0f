"""Test helpers: audit events as a member of staff would cause them, at set times."""

import datetime as dt
import signal
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.utils import timezone

from masip.accounts.models import Membership, User
from masip.alerts import engine
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.audit.models import AuditEvent


def actor_for(user: User) -> audit.AuditActor:
    membership = Membership.objects.select_related("agency").filter(user=user).first()
    assert membership is not None
    return audit.AuditActor(
        user_id=user.pk,
        label=f"{user.full_name} <{user.email}>",
        agency_id=membership.agency_id,
        agency_label=membership.agency.name,
        role=membership.role,
    )


def record_at(
    event_type: EventType,
    user: User,
    *,
    case_reference: str = "",
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Write the event to the real audit chain as if it happened at ``at``."""
    moment = at or timezone.now()
    with mock.patch.object(audit.timezone, "now", return_value=moment):
        return audit.record(
            event_type,
            actor=actor_for(user),
            target_type="case",
            target_id=case_reference,
            case_reference=case_reference,
        )


def act(
    event_type: EventType,
    user: User,
    *,
    case_reference: str = "",
    at: dt.datetime | None = None,
) -> int:
    """Record the event and run the detectors on it, as the worker does."""
    event = record_at(event_type, user, case_reference=case_reference, at=at)
    return engine.evaluate(event)


def uk(text: str) -> dt.datetime:
    """A UK local time such as ``2026-03-10 22:30``, made aware."""
    return timezone.make_aware(dt.datetime.fromisoformat(text))


def run_worker() -> str:
    """The real task worker in its run-once mode, in this process; signals restored.

    Needs committed rows (``transactional_db``): the worker owns its connection.
    """
    saved = {
        s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    }
    out = StringIO()
    try:
        call_command(
            "db_worker", "--batch", "--no-reload", "--no-startup-delay", stdout=out
        )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    return out.getvalue()
