"""Contacts with the victim: logging one that happened, scheduling one, and
completing or cancelling what was scheduled.

Every write that puts a contact on the victim's record runs
``check_contact`` first, with the victim's safe-contact preferences and the
letter's address locked, so the rules cannot change between the check and
the write. A refusal raises ``SafeContactRefused`` (its ``reasons`` are for
the practitioner) and is audited as ``VICTIM_CONTACT_REFUSED`` in its own
transaction, so the audit survives the refusal. Cancelling contacts no one,
so it is never refused by the rules: a contact the rules came to forbid
after it was scheduled can always be called off.

Only staff holding ``VICTIM_CONTACT_LOG`` on the case through a way in that
grants the victim contact compartment may write; a scheduled contact is
completed or cancelled only by the agency that scheduled it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.models import Case
from masip.core.errors import DomainError
from masip.core.versioning import ensure_current, save_new_version
from masip.people.models import Address, Person, SafeContactPreference
from masip.safety.contact_rules import ContactMethod, Verdict, check_contact
from masip.safety.models import VictimContact
from masip.safety.services._reach import holds_victim_contact, require_victim

SUMMARY_MAX = 4000
OUTCOMES = (VictimContact.Status.DONE, VictimContact.Status.ATTEMPTED_NO_ANSWER)


class VictimContactError(DomainError):
    """A contact that cannot be written as given, naming the form field it is
    about (empty: the whole form)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class SafeContactRefused(DomainError):
    """The victim's safe-contact rules forbid this contact; ``reasons`` say
    why, in sentences for the practitioner."""

    def __init__(self, verdict: Verdict) -> None:
        super().__init__(" ".join(verdict.reasons))
        self.reasons = list(verdict.reasons)
        self.rules = list(verdict.rules)


# Checks --------------------------------------------------------------------


def _require_writer(actor: Actor, case: Case) -> None:
    if not holds_victim_contact(actor, case, Permission.VICTIM_CONTACT_LOG):
        raise VictimContactError(
            "Only staff who hold the victim's contact details on this case can "
            "log or schedule contact with the victim."
        )


def _method(value: str) -> ContactMethod:
    try:
        return ContactMethod(value)
    except ValueError:
        raise VictimContactError(
            "Select how the victim was contacted.", field="method"
        ) from None


def _texts(summary: str, victim_view: str = "") -> tuple[str, str]:
    summary, victim_view = summary.strip(), victim_view.strip()
    if not summary:
        raise VictimContactError("Enter what the victim was told.", field="summary")
    for name, text in (("summary", summary), ("victim_view", victim_view)):
        if len(text) > SUMMARY_MAX:
            raise VictimContactError(
                f"Enter {SUMMARY_MAX} characters or fewer.", field=name
            )
    return summary, victim_view


def _address(
    victim: Person, method: ContactMethod, address: Address | None
) -> Address | None:
    """The letter's address (one of the victim's); ``None`` for other methods."""
    if method != ContactMethod.LETTER:
        return None
    if address is not None and address.person_id != victim.pk:
        raise VictimContactError(
            "Select one of the victim's addresses.", field="address"
        )
    return address


def _aware(moment: dt.datetime, field: str) -> dt.datetime:
    if timezone.is_naive(moment):
        raise VictimContactError("Enter a date and time.", field=field)
    return moment


def _checked_write(
    *,
    actor: Actor,
    case: Case,
    victim: Person,
    method: ContactMethod,
    at: dt.datetime,
    address: Address | None,
    write: Callable[[], VictimContact],
) -> VictimContact:
    """Run ``write`` if the victim's rules allow the contact at ``at``; else
    audit the refusal (in its own transaction) and raise ``SafeContactRefused``.

    The preferences and the address are locked for the check and the write.
    """
    try:
        with transaction.atomic():
            preference = (
                SafeContactPreference.objects.select_for_update()
                .filter(person=victim)
                .first()
            )
            locked_address = (
                Address.objects.select_for_update().get(pk=address.pk)
                if address is not None
                else None
            )
            verdict = check_contact(
                preference, method=method, at=at, address=locked_address
            )
            if not verdict.allowed:
                raise SafeContactRefused(verdict)
            return write()
    except SafeContactRefused as refused:
        with transaction.atomic():
            audit.record(
                EventType.VICTIM_CONTACT_REFUSED,
                actor=actor.audit,
                target_type="person",
                target_id=victim.public_id,
                case_reference=case.reference,
                # The codes of the rules that refused it: names, not values.
                changed_fields=refused.rules,
            )
        raise


def _audit(
    event_type: EventType,
    *,
    actor: Actor,
    contact: VictimContact,
    changed_fields: list[str] | None = None,
) -> None:
    audit.record(
        event_type,
        actor=actor.audit,
        target_type="victim_contact",
        target_id=contact.public_id,
        case_reference=contact.case.reference,
        changed_fields=changed_fields or [],
    )


# Services ------------------------------------------------------------------


def victim_contact_log(
    *,
    actor: Actor,
    case: Case,
    victim: Person,
    method: str,
    occurred_at: dt.datetime,
    summary: str,
    victim_view: str = "",
    outcome: str = VictimContact.Status.DONE,
    address: Address | None = None,
    initiated_by_victim: bool = False,
) -> VictimContact:
    """Log a contact with the victim that has happened (``outcome``: done, or
    tried with no answer), if their safe-contact rules allowed it then.

    ``initiated_by_victim``: the victim got in touch. The rules govern how
    agencies reach the victim, not how the victim reaches them, so they are
    not checked; such a contact has no outcome but done and no address.
    """
    _require_writer(actor, case)
    require_victim(case, victim, VictimContactError)
    contact_method = _method(method)
    if outcome not in OUTCOMES:
        raise VictimContactError("Select whether you reached them.", field="outcome")
    summary, victim_view = _texts(summary, victim_view)
    occurred_at = _aware(occurred_at, "occurred_at")
    if occurred_at > timezone.now():
        raise VictimContactError(
            "The time of the contact must be in the past. To plan a contact, "
            "schedule it.",
            field="occurred_at",
        )
    address = _address(victim, contact_method, address)
    if initiated_by_victim and outcome != VictimContact.Status.DONE:
        raise VictimContactError(
            "A contact the victim made was answered: select that you reached them.",
            field="outcome",
        )

    def write() -> VictimContact:
        contact = VictimContact.objects.create(
            case=case,
            victim=victim,
            method=contact_method,
            status=outcome,
            occurred_at=occurred_at,
            address=None if initiated_by_victim else address,
            initiated_by_victim=initiated_by_victim,
            summary=summary,
            victim_view=victim_view,
            agency=actor.membership.agency,
            recorded_by=actor.user,
        )
        _audit(
            EventType.VICTIM_CONTACT_LOGGED,
            actor=actor,
            contact=contact,
            changed_fields=["initiated_by_victim"] if initiated_by_victim else [],
        )
        return contact

    if initiated_by_victim:
        with transaction.atomic():
            return write()
    return _checked_write(
        actor=actor,
        case=case,
        victim=victim,
        method=contact_method,
        at=occurred_at,
        address=address,
        write=write,
    )


def victim_contact_schedule(
    *,
    actor: Actor,
    case: Case,
    victim: Person,
    method: str,
    scheduled_for: dt.datetime,
    summary: str,
    address: Address | None = None,
) -> VictimContact:
    """Plan a contact with the victim (``summary``: what they will be told), if
    their safe-contact rules allow it at that time."""
    _require_writer(actor, case)
    require_victim(case, victim, VictimContactError)
    contact_method = _method(method)
    summary, _ = _texts(summary)
    scheduled_for = _aware(scheduled_for, "scheduled_for")
    if scheduled_for <= timezone.now():
        raise VictimContactError(
            "The time of a scheduled contact must be in the future. To record a "
            "contact that happened, log it.",
            field="scheduled_for",
        )
    address = _address(victim, contact_method, address)

    def write() -> VictimContact:
        contact = VictimContact.objects.create(
            case=case,
            victim=victim,
            method=contact_method,
            status=VictimContact.Status.SCHEDULED,
            scheduled_for=scheduled_for,
            address=address,
            summary=summary,
            agency=actor.membership.agency,
            recorded_by=actor.user,
        )
        _audit(EventType.VICTIM_CONTACT_SCHEDULED, actor=actor, contact=contact)
        return contact

    return _checked_write(
        actor=actor,
        case=case,
        victim=victim,
        method=contact_method,
        at=scheduled_for,
        address=address,
        write=write,
    )


def contact_current_values(contact: VictimContact) -> dict[str, object]:
    """The stored state (for a conflict): no sealed text."""
    return {"status": contact.status, "occurred_at": contact.occurred_at}


def _require_scheduled_by(actor: Actor, contact: VictimContact, *, doing: str) -> None:
    """The actor may write contacts on the case, works for the agency that
    scheduled this one, and it is still scheduled."""
    _require_writer(actor, contact.case)
    if contact.agency_id != actor.membership.agency_id:
        raise VictimContactError(
            f"Only staff of {contact.agency.name} can {doing} this contact."
        )
    if contact.status != VictimContact.Status.SCHEDULED:
        raise VictimContactError(
            "This contact is no longer scheduled: it has been completed or cancelled."
        )


def _locked_scheduled(
    actor: Actor, contact: VictimContact, *, doing: str
) -> VictimContact:
    locked = (
        VictimContact.objects.select_for_update(of=("self",))
        .select_related("case", "victim", "agency")
        .get(pk=contact.pk)
    )
    _require_scheduled_by(actor, locked, doing=doing)
    return locked


def victim_contact_complete(
    *,
    actor: Actor,
    contact: VictimContact,
    version: int,
    occurred_at: dt.datetime,
    summary: str,
    victim_view: str = "",
    outcome: str = VictimContact.Status.DONE,
) -> VictimContact:
    """Record that a scheduled contact happened (or was tried), at
    ``occurred_at``, re-checking the victim's rules at that time.

    ``StaleEditError`` if someone changed the contact since ``version``.
    """
    _require_scheduled_by(actor, contact, doing="complete")
    if outcome not in OUTCOMES:
        raise VictimContactError("Select whether you reached them.", field="outcome")
    summary, victim_view = _texts(summary, victim_view)
    occurred_at = _aware(occurred_at, "occurred_at")
    if occurred_at > timezone.now():
        raise VictimContactError(
            "The time of the contact must be in the past.", field="occurred_at"
        )

    def write() -> VictimContact:
        locked = _locked_scheduled(actor, contact, doing="complete")
        ensure_current(locked, version=version, current_values=contact_current_values)
        locked.status = outcome
        locked.occurred_at = occurred_at
        locked.summary = summary
        locked.victim_view = victim_view
        locked.recorded_by = actor.user
        save_new_version(locked)
        _audit(
            EventType.VICTIM_CONTACT_UPDATED,
            actor=actor,
            contact=locked,
            changed_fields=[
                "status",
                "occurred_at",
                "summary",
                "victim_view",
                "recorded_by",
            ],
        )
        return locked

    return _checked_write(
        actor=actor,
        case=contact.case,
        victim=contact.victim,
        method=ContactMethod(contact.method),
        at=occurred_at,
        address=contact.address,
        write=write,
    )


@transaction.atomic
def victim_contact_cancel(
    *, actor: Actor, contact: VictimContact, version: int
) -> VictimContact:
    """Call off a scheduled contact (never refused by the rules: it contacts
    no one). ``StaleEditError`` if someone changed it since ``version``."""
    locked = _locked_scheduled(actor, contact, doing="cancel")
    ensure_current(locked, version=version, current_values=contact_current_values)
    locked.status = VictimContact.Status.CANCELLED
    save_new_version(locked)
    _audit(
        EventType.VICTIM_CONTACT_UPDATED,
        actor=actor,
        contact=locked,
        changed_fields=["status"],
    )
    return locked
