"""Writes of the exports app: the audit of an export, and the step-up check."""

from django.db import transaction
from django.http import HttpRequest

from masip.access.actors import Actor
from masip.accounts import services as accounts
from masip.accounts.models import User
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.core.errors import DomainError
from masip.exports.formats import ExportFormat

TARGET_PREFIX = "case_list."


@transaction.atomic
def export_record(*, actor: Actor, export_format: ExportFormat, row_count: int) -> None:
    """Audit an export: its format (target type) and row count (target id).

    Which cases and what they hold are not recorded: the file's contents are
    reproducible from the list's filters, and values never enter the trail.
    """
    audit.record(
        EventType.EXPORT_CREATED,
        actor=actor.audit,
        target_type=TARGET_PREFIX + export_format.value,
        target_id=row_count,
    )


def step_up_confirm(
    request: HttpRequest, *, actor: Actor, code: str, action: str
) -> accounts.MfaResult:
    """Check a fresh code from the authenticator app before a sensitive action.

    The code is checked by the sign-in check (``accounts.services.mfa_verify``),
    so wrong codes count towards the same lockout; on success the session's
    factor is fresh again. The step-up itself is audited against ``action``.
    """
    user: User = actor.user
    try:
        result = accounts.mfa_verify(request, user=user, code=code)
    except DomainError:
        result = accounts.MfaResult.WRONG
    event = (
        EventType.STEP_UP_VERIFIED
        if result is accounts.MfaResult.VERIFIED
        else EventType.STEP_UP_FAILED
    )
    audit.record(event, actor=actor.audit, target_type=action)
    return result
