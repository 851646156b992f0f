"""Writes: a member of staff's home address (for the insider conflict checks).

The user records their own, or an administrator of an agency they work for
records it for them. The audit trail says who changed whose address, never
what it says.
"""

from django.db import transaction

from masip.access.actors import Actor
from masip.accounts.models import StaffHomeAddress, User
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.crypto.blind import normalise_postcode


def format_postcode(value: str) -> str:
    """A UK postcode in its usual written form: capitals, one space ("SW1A 1AA")."""
    compact = normalise_postcode(value)
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


@transaction.atomic
def staff_home_address_set(
    *, actor: Actor, user: User, line_1: str, postcode: str
) -> StaffHomeAddress:
    """Record (or replace) ``user``'s home address."""
    address = StaffHomeAddress.objects.select_for_update().filter(
        user=user
    ).first() or StaffHomeAddress(user=user)
    address.line_1 = " ".join(line_1.split())
    address.postcode = format_postcode(postcode)
    address.save()
    audit.record(
        EventType.STAFF_HOME_ADDRESS_SET,
        actor=actor.audit,
        target_type="user",
        target_id=user.pk,
        changed_fields=["line_1", "postcode"],
    )
    return address


@transaction.atomic
def staff_home_address_remove(*, actor: Actor, user: User) -> bool:
    """Remove ``user``'s home address; False if none was on record."""
    deleted, _ = StaffHomeAddress.objects.filter(user=user).delete()
    if deleted:
        audit.record(
            EventType.STAFF_HOME_ADDRESS_REMOVED,
            actor=actor.audit,
            target_type="user",
            target_id=user.pk,
            changed_fields=["line_1", "postcode"],
        )
    return bool(deleted)
