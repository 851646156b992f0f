"""What the case services share: the audit record, the verb check, notices, locks."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from masip.access.actors import Actor
from masip.access.permissions import Compartment, Permission
from masip.access.policy import Access
from masip.accounts import notices
from masip.accounts.models import User
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.models import Case
from masip.core.errors import DomainError


def record_event(
    event_type: EventType,
    *,
    actor: Actor,
    case: Case,
    target_type: str = "case",
    target_id: object = "",
    changed_fields: Iterable[str] = (),
) -> None:
    """Record ``event_type`` about the case, or about a target within it."""
    audit.record(
        event_type,
        actor=actor.audit,
        target_type=target_type,
        target_id=target_id or case.reference,
        case_reference=case.reference,
        changed_fields=changed_fields,
    )


def require(actor: Actor, permission: Permission) -> None:
    """The acting membership must itself grant the verb (defence in depth)."""
    if permission not in actor.membership.role_def.permissions:
        raise PermissionDenied


def notify(recipients: Iterable[User], *, kind: str, case: Case, message: str) -> None:
    """Leave a notice about the case for each recipient."""
    notices.notify(
        recipients, kind=kind, case_reference=case.reference, message=message
    )


def lock_case(case: Case) -> Case:
    """The case row, locked until the transaction ends (no interleaved writes)."""
    return (
        Case.objects.select_for_update().select_related("lead_agency").get(pk=case.pk)
    )


def sharer_compartments(actor: Actor, case: Case) -> frozenset[Compartment]:
    """The compartments the acting user sees on this case."""
    return Access(actor.user).case_access(case).compartments


def end_once[M: models.Model](row: M, *, stamp: str, refused: str, **also: Any) -> M:
    """Set ``row``'s ``stamp`` to now (and ``also``) unless it is set; reload it.

    One conditional UPDATE, so when two people press the button together the
    row ends once and the second is told ``refused`` (a ``DomainError``).
    """
    updated = (
        type(row)
        ._default_manager.filter(pk=row.pk, **{f"{stamp}__isnull": True})
        .update(**{stamp: timezone.now()}, **also)
    )
    if not updated:
        raise DomainError(refused)
    row.refresh_from_db()
    return row
