"""Sharing a case with another agency, until an expiry date, and stopping it."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from masip.access.actors import Actor
from masip.access.permissions import Compartment, Permission
from masip.accounts.models import Agency, Notification
from masip.audit.events import EventType
from masip.cases import selectors
from masip.cases.models import Case, CaseShare
from masip.cases.services._common import (
    end_once,
    lock_case,
    notify,
    record_event,
    require,
    sharer_compartments,
)
from masip.core.errors import DomainError

MAX_SHARE_DAYS = 365


def share_expiry_problem(expires_on: dt.date) -> str:
    """Why an expiry date is refused, or an empty string."""
    today = timezone.localdate()
    if expires_on <= today:
        return "The expiry date must be in the future."
    if expires_on > today + dt.timedelta(days=MAX_SHARE_DAYS):
        return "The expiry date must be within one year from today."
    return ""


def _end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def _check_share(
    actor: Actor, case: Case, agency: Agency, compartments: Iterable[Compartment]
) -> None:
    if not selectors.shareable_agencies(case).filter(pk=agency.pk).exists():
        raise DomainError("Select an agency the case is not already shared with.")
    if not set(compartments) <= sharer_compartments(actor, case):
        raise PermissionDenied


@transaction.atomic
def case_share(
    *,
    actor: Actor,
    case: Case,
    agency: Agency,
    reason: str,
    lawful_basis: str,
    compartments: Iterable[Compartment],
    expires_on: dt.date,
) -> CaseShare:
    """Open the case to another agency until ``expires_on``, and tell its managers."""
    require(actor, Permission.CASE_SHARE)
    compartments = sorted({Compartment(c) for c in compartments})
    lock_case(case)
    _check_share(actor, case, agency, compartments)
    problem = share_expiry_problem(expires_on)
    if problem:
        raise DomainError(problem)
    share = CaseShare.objects.create(
        case=case,
        agency=agency,
        granted_by=actor.user,
        reason=reason,
        lawful_basis=lawful_basis,
        compartments=[c.value for c in compartments],
        expires_at=_end_of_day(expires_on),
    )
    notify(
        selectors.agency_team_managers(agency),
        kind=Notification.Kind.SHARED,
        case=case,
        message=f"Case {case.reference} has been shared with {agency.name}.",
    )
    record_event(
        EventType.CASE_SHARED,
        actor=actor,
        case=case,
        target_type="share",
        target_id=share.pk,
    )
    return share


@transaction.atomic
def share_revoke(*, actor: Actor, share: CaseShare) -> CaseShare:
    """Stop sharing now; the agency loses its reach at once."""
    require(actor, Permission.CASE_SHARE)
    end_once(
        share,
        stamp="revoked_at",
        refused="That share has already been stopped.",
        revoked_by=actor.user,
    )
    record_event(
        EventType.CASE_SHARE_REVOKED,
        actor=actor,
        case=share.case,
        target_type="share",
        target_id=share.pk,
    )
    return share
