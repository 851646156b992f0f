"""Declaring a conflict of interest, and withdrawing one.

A declaration takes effect at once and needs nobody's approval: it only ever
closes cases to the person who makes it, so it fails safe. Withdrawing reopens
them, so it is audited (insider rules can watch for a quick withdrawal).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from masip.access.actors import Actor
from masip.accounts.models import ConflictDeclaration
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.core.errors import DomainError

DECLARED_FIELDS = ("given_name", "family_name", "date_of_birth", "relationship")


def normalise_name(name: str) -> str:
    """Outer spaces dropped and inner runs of spaces made one (names match
    case-insensitively, so case is kept as typed)."""
    return " ".join(name.split())


@transaction.atomic
def conflict_declare(
    *,
    actor: Actor,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date | None,
    relationship: str,
) -> ConflictDeclaration:
    """Declare a personal connection; every case with a matching participant
    closes to the declaring user on their next request."""
    declaration = ConflictDeclaration.objects.create(
        user=actor.user,
        given_name=normalise_name(given_name),
        family_name=normalise_name(family_name),
        date_of_birth=date_of_birth,
        relationship=relationship,
    )
    audit.record(
        EventType.CONFLICT_DECLARED,
        actor=actor.audit,
        target_type="conflict_declaration",
        target_id=declaration.pk,
        changed_fields=[f for f in DECLARED_FIELDS if getattr(declaration, f)],
    )
    return declaration


@transaction.atomic
def conflict_withdraw(
    *, actor: Actor, declaration: ConflictDeclaration
) -> ConflictDeclaration:
    """Withdraw the actor's own declaration (once; a second press is refused)."""
    if declaration.user_id != actor.user.pk:
        raise DomainError("You can withdraw only your own declarations.")
    updated = ConflictDeclaration.objects.filter(
        pk=declaration.pk, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())
    if not updated:
        raise DomainError("That declaration has already been withdrawn.")
    declaration.refresh_from_db()
    audit.record(
        EventType.CONFLICT_WITHDRAWN,
        actor=actor.audit,
        target_type="conflict_declaration",
        target_id=declaration.pk,
        changed_fields=["withdrawn_at"],
    )
    return declaration
