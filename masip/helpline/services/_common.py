"""What every helpline contact service shares: the refusal, who may act on a
contact, locking it, checking the version the window saw, and auditing."""

from __future__ import annotations

from collections.abc import Iterable

from masip.access.actors import Actor
from masip.access.policy import Access
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.core.errors import DomainError, StaleEditError
from masip.helpline.models import Contact


class ContactRefused(DomainError):
    """A refusal, naming the answer it is about (empty: the whole contact)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def require_helpline(actor: Actor, contact: Contact) -> None:
    """Refuse unless ``actor`` acts in the contact's own helpline."""
    if actor.membership.agency_id != contact.agency_id:
        raise ContactRefused("This contact belongs to another helpline.")


def require_editor(actor: Actor, contact: Contact) -> None:
    """Refuse unless ``contact`` is a draft that ``actor`` may fill in."""
    require_helpline(actor, contact)
    if contact.status != Contact.Status.DRAFT:
        raise ContactRefused("This contact has been finished. Reopen it to correct it.")
    if not Access(actor.user).helpline_may_edit(contact):
        raise ContactRefused("This draft belongs to the adviser who took the contact.")


def require_adviser_or_manager(actor: Actor, contact: Contact, message: str) -> None:
    """Refuse with ``message`` unless ``actor`` took the contact or manages
    the helpline."""
    if contact.adviser_id != actor.user.pk and not Access(
        actor.user
    ).helpline_supervises(contact):
        raise ContactRefused(message)


def locked(contact: Contact) -> Contact:
    """The contact read again and locked for the rest of the transaction."""
    return Contact.objects.select_for_update().get(pk=contact.pk)


def ensure_version(contact: Contact, version: int | None) -> None:
    """Refuse an edit made on a version other than the stored one."""
    if version != contact.version:
        raise StaleEditError(current={}, current_version=contact.version)


def audit_contact(
    event_type: EventType,
    *,
    actor: Actor,
    contact: Contact,
    changed_fields: Iterable[str] = (),
) -> None:
    """Record ``event_type`` about ``contact`` (field names only, never values)."""
    audit.record(
        event_type,
        actor=actor.audit,
        target_type="helpline_contact",
        target_id=contact.public_id,
        changed_fields=changed_fields,
    )
