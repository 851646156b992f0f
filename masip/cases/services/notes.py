"""Adding notes to a case."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.audit.events import EventType
from masip.cases.models import Case, CaseNote
from masip.cases.services._common import record_event, require, sharer_compartments
from masip.core.errors import DomainError


@transaction.atomic
def note_add(*, actor: Actor, case: Case, kind: str, text: str) -> CaseNote:
    """Add a note; a sealed kind needs the author to see that compartment."""
    require(actor, Permission.NOTE_ADD)
    if kind not in CaseNote.Kind.values:
        raise DomainError("Select what kind of note this is.")
    compartment = CaseNote(kind=kind).compartment
    if compartment and compartment not in sharer_compartments(actor, case):
        raise PermissionDenied
    if not text.strip():
        raise DomainError("Enter the note.")
    note = CaseNote.objects.create(
        case=case,
        kind=kind,
        text=text,
        author=actor.user,
        agency=actor.membership.agency,
    )
    record_event(
        EventType.NOTE_ADDED,
        actor=actor,
        case=case,
        target_type="note",
        target_id=note.pk,
    )
    return note
