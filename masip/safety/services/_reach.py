"""Who may write safety plans and victim contacts: staff holding the verb on
the case through a way in that grants the victim contact compartment."""

from masip.access.actors import Actor
from masip.access.permissions import Compartment, Permission
from masip.access.policy import Access
from masip.cases.models import Case, CaseParticipant, ParticipantRole
from masip.core.errors import DomainError
from masip.people.models import Person


def holds_victim_contact(actor: Actor, case: Case, permission: Permission) -> bool:
    """Whether the actor's membership reaches the case, grants ``permission``
    and sees the victim location and contact compartment there."""
    for reach in Access(actor.user).case_access(case).reaches:
        if (
            reach.membership.pk == actor.membership.pk
            and permission in reach.membership.role_def.permissions
            and Compartment.VICTIM_CONTACT in reach.compartments
        ):
            return True
    return False


def require_victim(case: Case, victim: Person, error: type[DomainError]) -> None:
    """``error`` unless the person is a victim on the case."""
    if not CaseParticipant.objects.filter(
        case=case, person=victim, role=ParticipantRole.VICTIM
    ).exists():
        raise error("This person is not a victim on this case.")
