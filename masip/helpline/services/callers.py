"""The caller link: a keyed code from a reference word or phone number the
caller gives (the word or number itself is never stored), which links a
contact to the same caller's earlier contacts, and unlinking it."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from masip.access.actors import Actor
from masip.audit.events import EventType
from masip.crypto.blind import blind_index, normalise_phone, normalise_text
from masip.helpline.models import CallerKeyKind, Contact
from masip.helpline.services._common import (
    audit_contact,
    ensure_version,
    locked,
    require_editor,
)

CALLER_DOMAIN = "helpline_caller"


def caller_key(kind: str, value: str) -> str:
    """The keyed hash of a reference word or phone number ("" for none)."""
    if kind == CallerKeyKind.PHONE:
        return blind_index(CALLER_DOMAIN, "phone:" + normalise_phone(value))
    return blind_index(CALLER_DOMAIN, "word:" + normalise_text(value))


def link_caller(
    contact: Contact, secrets: Mapping[str, str], columns: set[str], saved: list[str]
) -> bool:
    """Set the caller key from a posted word or number (never stored), adding
    the columns to save to ``columns`` and the answer to ``saved``; whether
    the key changed."""
    phone, word = secrets.get("caller_phone", ""), secrets.get("caller_word", "")
    if phone:
        key, kind = caller_key(CallerKeyKind.PHONE, phone), CallerKeyKind.PHONE
    elif word:
        key, kind = caller_key(CallerKeyKind.WORD, word), CallerKeyKind.WORD
    else:
        return False
    if not key or (key == contact.caller_key and kind == contact.caller_key_kind):
        return False
    contact.caller_key, contact.caller_key_kind = key, kind
    columns.update({"caller_key", "caller_key_kind"})
    saved.append("caller_key")
    return True


@transaction.atomic
def contact_unlink_caller(*, actor: Actor, contact: Contact, version: int) -> Contact:
    """Forget the link to the caller's earlier contacts (on the caller's wish)."""
    contact = locked(contact)
    require_editor(actor, contact)
    ensure_version(contact, version)
    contact.caller_key, contact.caller_key_kind = "", ""
    contact.version += 1
    contact.save(
        update_fields=["caller_key", "caller_key_kind", "version", "updated_at"]
    )
    audit_contact(
        EventType.HELPLINE_CALLER_LINKED,
        actor=actor,
        contact=contact,
        changed_fields=["caller_key"],
    )
    return contact
