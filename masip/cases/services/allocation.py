"""Allocating workers to a case and taking them off it."""

from django.db import transaction

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.accounts.models import Notification, User
from masip.audit.events import EventType
from masip.cases import selectors
from masip.cases.models import Case, CaseAllocation
from masip.cases.services._common import (
    end_once,
    lock_case,
    notify,
    record_event,
    require,
)
from masip.core.errors import DomainError


@transaction.atomic
def case_allocate(*, actor: Actor, case: Case, worker: User) -> CaseAllocation:
    """Allocate a worker of the lead agency or a sharing agency, and tell them."""
    require(actor, Permission.CASE_ALLOCATE)
    lock_case(case)
    agency = selectors.worker_agency(case, worker)
    if agency is None:
        raise DomainError("Select a worker from an agency working on this case.")
    if selectors.allocation_open_for(case, worker) is not None:
        raise DomainError(f"{worker.full_name} is already allocated to this case.")
    allocation = CaseAllocation.objects.create(
        case=case, user=worker, agency=agency, allocated_by=actor.user
    )
    notify(
        [worker],
        kind=Notification.Kind.ALLOCATED,
        case=case,
        message=f"You have been allocated to case {case.reference}.",
    )
    record_event(
        EventType.CASE_ALLOCATED,
        actor=actor,
        case=case,
        target_type="allocation",
        target_id=allocation.pk,
    )
    return allocation


@transaction.atomic
def allocation_end(*, actor: Actor, allocation: CaseAllocation) -> CaseAllocation:
    """Take a worker off a case (the allocation is kept, with its end time)."""
    require(actor, Permission.CASE_ALLOCATE)
    end_once(
        allocation,
        stamp="ended_at",
        refused="That worker is no longer allocated to this case.",
    )
    record_event(
        EventType.CASE_DEALLOCATED,
        actor=actor,
        case=allocation.case,
        target_type="allocation",
        target_id=allocation.pk,
    )
    return allocation
