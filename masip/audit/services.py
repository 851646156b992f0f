"""Writing to the audit trail. ``record`` is the only way a row is created."""

import hashlib
import hmac
import ipaddress
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC
from functools import partial

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from masip.audit.chain import ChainHasher
from masip.audit.events import EventType
from masip.audit.models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditActor:
    """Who did something, in whose name, from where, and why."""

    user_id: int | None
    label: str
    agency_id: int | None = None
    agency_label: str = ""
    role: str = ""
    ip_address: str | None = None
    purpose: str = ""


SYSTEM = AuditActor(user_id=None, label="MASIP (system)")

# Called with each event once its transaction commits (the insider detectors).
type AuditHook = Callable[[AuditEvent], None]
_hooks: list[AuditHook] = []


def on_recorded(hook: AuditHook) -> None:
    """Run ``hook`` with every event after it commits; a failing hook is logged."""
    if hook not in _hooks:
        _hooks.append(hook)


def event_digest(event: AuditEvent) -> str:
    """The keyed hash of an event's content chained to the previous hash."""
    content = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "agency_id": event.agency_id,
        "agency_label": event.agency_label,
        "role": event.role,
        "event_type": event.event_type,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "case_reference": event.case_reference,
        "changed_fields": list(event.changed_fields),
        "purpose": event.purpose,
        "ip_address": event.ip_address,
        "prev_hash": event.prev_hash,
    }
    message = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()
    key = settings.MASIP_AUDIT_KEY.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def audit_key() -> bytes:
    """The chain's HMAC key, as ``event_digest`` uses it."""
    return settings.MASIP_AUDIT_KEY.encode()


def chain_hasher() -> ChainHasher:
    """``event_digest`` for many events (``ChainHasher.digest``): same bytes, faster."""
    return ChainHasher(audit_key())


def _locked_head() -> AuditChainHead:
    """The chain head, locked for this transaction.

    The migration creates it; it is created again only when the whole table was
    emptied (a test flush). If events remain without a head, the next append
    collides on ``seq`` and fails loudly rather than forking the chain.
    """
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


@transaction.atomic
def record(
    event_type: EventType,
    *,
    actor: AuditActor,
    target_type: str = "",
    target_id: object = "",
    case_reference: str = "",
    changed_fields: Iterable[str] = (),
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    ``changed_fields`` names fields only: values (which may be sensitive)
    never enter the audit trail.
    """
    head = _locked_head()
    event = AuditEvent(
        seq=head.last_seq + 1,
        occurred_at=timezone.now(),
        actor_id=actor.user_id,
        actor_label=_clipped("actor_label", actor.label),
        agency_id=actor.agency_id,
        agency_label=_clipped("agency_label", actor.agency_label),
        role=actor.role,
        event_type=event_type,
        target_type=target_type,
        target_id=str(target_id),
        case_reference=case_reference,
        changed_fields=sorted(set(changed_fields)),
        purpose=actor.purpose,
        ip_address=_stored_ip(actor.ip_address),
        prev_hash=head.last_hash,
    )
    event.hash = event_digest(event)
    event.save(force_insert=True)
    AuditChainHead.objects.filter(pk=1).update(last_seq=event.seq, last_hash=event.hash)
    for hook in _hooks:
        # robust: a hook's error is logged and never fails the committed write.
        transaction.on_commit(partial(hook, event), robust=True)
    return event


# The hash is taken before the row is saved, so every value must already be in
# the form the database gives back, or ``verify`` would report an intact row as
# edited.


def _clipped(field_name: str, value: str) -> str:
    """A label cut to its column (PostgreSQL refuses longer, SQLite keeps it)."""
    field = AuditEvent._meta.get_field(field_name)
    assert isinstance(field, models.CharField)
    return value[: field.max_length]


def _stored_ip(value: str | None) -> str | None:
    """The address as the column stores it (IPv6 compressed and lower case)."""
    if not value:
        return None
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return None
    stored: str | None = AuditEvent._meta.get_field("ip_address").get_prep_value(value)
    return stored
