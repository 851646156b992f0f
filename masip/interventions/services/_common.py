"""What every intervention and custody service checks, and how it audits."""

from __future__ import annotations

from collections.abc import Iterable

from masip.access.actors import Actor
from masip.access.permissions import Compartment, Permission
from masip.access.policy import Access, Reach
from masip.accounts.models import Agency
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.models import Case
from masip.core.errors import DomainError
from masip.interventions import selectors
from masip.interventions.models import Custody, Intervention
from masip.people.models import Person

TEXT_MAX = 200
NOTE_MAX = 4000


class InterventionRefused(DomainError):
    """A refusal, naming the form field it is about (empty: the whole form)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def acting_reach(actor: Actor, case: Case) -> Reach:
    """The actor's way into the case, through the membership they act in,
    which must grant INTERVENTION_RECORD."""
    for reach in Access(actor.user).case_access(case).reaches:
        if (
            reach.membership.pk == actor.membership.pk
            and Permission.INTERVENTION_RECORD in reach.membership.role_def.permissions
        ):
            return reach
    raise InterventionRefused("You cannot record interventions on this case.")


def sees_health(reach: Reach) -> bool:
    return Compartment.HEALTH in reach.compartments


def require_health(reach: Reach, *, doing: str) -> None:
    if not sees_health(reach):
        raise InterventionRefused(
            f"Only staff who see health information can {doing} for "
            "psychological or psychiatric treatment."
        )


def require_perpetrator(case: Case, person: Person) -> None:
    if not selectors.case_perpetrators(case=case).filter(pk=person.pk).exists():
        raise InterventionRefused(
            "Select a person recorded on this case as the person who stalks.",
            field="subject",
        )


def require_provider(case: Case, agency: Agency) -> None:
    if not selectors.provider_agencies(case=case).filter(pk=agency.pk).exists():
        raise InterventionRefused(
            f"{agency.name} cannot be selected: choose an agency working in "
            "the case's area.",
            field="provider_agency",
        )


def clean_text(value: str, *, field: str, label: str, limit: int) -> str:
    value = value.strip()
    if len(value) > limit:
        raise InterventionRefused(
            f"{label} must be {limit} characters or fewer.", field=field
        )
    return value


def lock_for_change[R: (Intervention, Custody)](record: R, *related: str) -> R:
    """The record read again and locked for a change, with ``related`` joined."""
    return (
        type(record)
        .objects.select_for_update(of=("self",))
        .select_related(*related)
        .get(pk=record.pk)
    )


def record_event(
    event_type: EventType,
    *,
    actor: Actor,
    record: Intervention | Custody,
    changed_fields: Iterable[str] = (),
) -> None:
    """Audit a write to an intervention (its sessions too) or a custody period."""
    audit.record(
        event_type,
        actor=actor.audit,
        target_type=selectors.CUSTODY_TARGET
        if isinstance(record, Custody)
        else selectors.INTERVENTION_TARGET,
        target_id=record.public_id,
        case_reference=record.case.reference,
        changed_fields=changed_fields,
    )
