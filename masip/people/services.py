"""Writing people: adding them to cases, editing them, and their contact details.

Every function audits inside its own transaction. Values never reach the
audit trail, only field names. Callers resolve the case through the access
policy first, and pass only people found through ``people.selectors``.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from masip.access.actors import Actor
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.models import Case, CaseParticipant, ParticipantRole
from masip.core.errors import DomainError
from masip.core.versioning import apply_changes, ensure_current, save_new_version
from masip.people.models import (
    Address,
    Confidentiality,
    DatePrecision,
    Gender,
    Person,
    PersonAlias,
    PersonIdentifier,
    SafeContactPreference,
)

PERSON_EDITABLE_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "birth_date_precision",
    "gender",
    "interpreter_language",
)
SAFE_CONTACT_FIELDS = (
    "safe_channels",
    "forbidden_channels",
    "safe_times",
    "contact_days",
    "contact_from",
    "contact_until",
    "no_voicemail",
    "code_word",
    "notes",
)
_UNORDERED_FIELDS = ("safe_channels", "forbidden_channels", "contact_days")
# Not a column of the preferences: which of the person's current addresses
# are marked safe to send letters to (kept with them, under their version).
LETTER_ADDRESSES = "letter_addresses"


class DuplicateParticipantError(DomainError):
    """The person already has this role on this case."""


def _clean_aliases(aliases: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for alias in aliases:
        name = " ".join(alias.split())
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


def _audit(
    event_type: EventType,
    *,
    actor: Actor,
    case: Case,
    person: Person,
    changed_fields: Iterable[str] = (),
) -> None:
    audit.record(
        event_type,
        actor=actor.audit,
        target_type="person",
        target_id=person.public_id,
        case_reference=case.reference,
        changed_fields=changed_fields,
    )


@transaction.atomic
def person_add_to_case(
    *,
    actor: Actor,
    case: Case,
    role: str,
    person: Person | None = None,
    given_name: str = "",
    family_name: str = "",
    aliases: Iterable[str] = (),
    date_of_birth: dt.date | None = None,
    birth_date_precision: str = DatePrecision.UNKNOWN,
    gender: str = Gender.UNKNOWN,
    interpreter_language: str = "",
) -> Person:
    """Add ``person`` (or a new person built from the fields) to ``case`` in ``role``.

    Raises ``DuplicateParticipantError`` if they already hold that role there.
    """
    role = ParticipantRole(role)
    if person is None:
        if not given_name.strip():
            raise DomainError("Enter the person's given name.")
        person = Person.objects.create(
            given_name=given_name.strip(),
            family_name=family_name.strip(),
            date_of_birth=date_of_birth,
            birth_date_precision=(
                birth_date_precision if date_of_birth else DatePrecision.UNKNOWN
            ),
            gender=gender,
            interpreter_language=interpreter_language.strip(),
            created_by=actor.user,
            created_by_agency=actor.membership.agency,
        )
        PersonAlias.objects.bulk_create(
            PersonAlias(person=person, name=name) for name in _clean_aliases(aliases)
        )
    elif CaseParticipant.objects.filter(case=case, person=person, role=role).exists():
        raise DuplicateParticipantError(
            f"{person.full_name} is already on this case as {str(role.label).lower()}."
        )
    try:
        with transaction.atomic():
            CaseParticipant.objects.create(
                case=case, person=person, role=role, added_by=actor.user
            )
    except IntegrityError as exc:  # a concurrent add of the same person and role
        raise DuplicateParticipantError(
            f"{person.full_name} is already on this case as {str(role.label).lower()}."
        ) from exc
    _audit(EventType.PERSON_ADDED, actor=actor, case=case, person=person)
    return person


def person_current_values(person: Person) -> dict[str, Any]:
    """The editable values as stored, keyed by field name (for conflicts)."""
    values = {name: getattr(person, name) for name in PERSON_EDITABLE_FIELDS}
    values["aliases"] = [alias.name for alias in person.aliases.order_by("name")]
    return values


@transaction.atomic
def person_update(
    *,
    actor: Actor,
    case: Case,
    person: Person,
    version: int,
    aliases: Iterable[str] | None = None,
    **fields: Any,
) -> Person:
    """Change a person's names, date of birth, gender or interpreter need.

    ``version`` is the one the user's form was opened with; if the stored one
    differs, ``StaleEditError`` carries the stored values and nothing is saved.
    """
    unknown = set(fields) - set(PERSON_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    locked = Person.objects.select_for_update().get(pk=person.pk)
    ensure_current(locked, version=version, current_values=person_current_values)
    if fields.get("date_of_birth", locked.date_of_birth) is None:
        fields["birth_date_precision"] = DatePrecision.UNKNOWN
    changed = apply_changes(locked, fields)
    if aliases is not None and _replace_aliases(locked, _clean_aliases(aliases)):
        changed.append("aliases")
    if changed:
        save_new_version(locked)
        _audit(
            EventType.PERSON_UPDATED,
            actor=actor,
            case=case,
            person=locked,
            changed_fields=changed,
        )
    return locked


def _replace_aliases(person: Person, names: list[str]) -> bool:
    existing = {alias.name: alias for alias in person.aliases.all()}
    stale = [alias.pk for name, alias in existing.items() if name not in names]
    new = [name for name in names if name not in existing]
    if stale:
        PersonAlias.objects.filter(pk__in=stale).delete()
    if new:
        PersonAlias.objects.bulk_create(PersonAlias(person=person, name=n) for n in new)
    return bool(stale or new)


@transaction.atomic
def address_add(
    *,
    actor: Actor,
    case: Case,
    person: Person,
    line_1: str,
    town: str,
    line_2: str = "",
    postcode: str = "",
    is_current: bool = True,
    safe_to_write: bool = False,
    confidentiality: str = Confidentiality.RESTRICTED,
) -> Address:
    """Add an address; restricted ones sit in the victim-contact compartment.

    ``safe_to_write``: the victim has said letters may be sent there.
    """
    address = Address.objects.create(
        person=person,
        line_1=line_1,
        line_2=line_2,
        town=town,
        postcode=postcode,
        is_current=is_current,
        safe_to_write=safe_to_write,
        confidentiality=Confidentiality(confidentiality),
    )
    _audit(
        EventType.PERSON_CONTACT_ADDED,
        actor=actor,
        case=case,
        person=person,
        changed_fields=["address"],
    )
    return address


@transaction.atomic
def identifier_add(
    *,
    actor: Actor,
    case: Case,
    person: Person,
    kind: str,
    value: str,
    confidentiality: str = Confidentiality.RESTRICTED,
) -> PersonIdentifier:
    """Add a phone number, email address, reference or other identifier."""
    identifier = PersonIdentifier.objects.create(
        person=person,
        kind=PersonIdentifier.Kind(kind),
        value=value,
        confidentiality=Confidentiality(confidentiality),
    )
    _audit(
        EventType.PERSON_CONTACT_ADDED,
        actor=actor,
        case=case,
        person=person,
        changed_fields=[f"identifier.{identifier.kind}"],
    )
    return identifier


def letter_address_ids(person: Person) -> list[int]:
    """The person's current addresses marked safe to send letters to."""
    return list(
        Address.objects.filter(
            person=person, is_current=True, safe_to_write=True
        ).values_list("pk", flat=True)
    )


def safe_contact_current_values(preference: SafeContactPreference) -> dict[str, Any]:
    """The stored preferences, keyed by field name (for the form and conflicts),
    with the ids of the addresses marked safe to send letters to.

    Sealed (victim-contact compartment): only for callers who checked it.
    """
    values = {name: getattr(preference, name) for name in SAFE_CONTACT_FIELDS}
    values[LETTER_ADDRESSES] = letter_address_ids(preference.person)
    return values


def _same_value(name: str, stored: Any, new: Any) -> bool:
    """Whether a save would leave the field as it is (list order is not news)."""
    if name in _UNORDERED_FIELDS:
        return set(stored) == set(new)
    return bool(stored == new)


def _checked_rules(values: dict[str, Any]) -> dict[str, Any]:
    """The submitted rules, refused (``DomainError``) if they contradict
    themselves; days are kept sorted, once each."""
    both = set(values.get("safe_channels", ())) & set(
        values.get("forbidden_channels", ())
    )
    if both:
        raise DomainError("A channel cannot be both safe and forbidden.")
    if "contact_days" in values:
        days = {int(day) for day in values["contact_days"]}
        if not days <= set(range(7)):
            raise DomainError("Contact days must be weekdays 0 (Monday) to 6.")
        values["contact_days"] = sorted(days)
    start, end = values.get("contact_from"), values.get("contact_until")
    if start is not None and end is not None and start >= end:
        raise DomainError(
            "The end of the contact window must be later than its start. "
            "The window cannot run past midnight."
        )
    return values


def _mark_letter_addresses(person: Person, chosen: Iterable[int]) -> bool:
    """Mark exactly the ``chosen`` current addresses safe to write to (others of
    the person's addresses, current or not, are unmarked); whether any changed."""
    wanted = set(chosen)
    addresses = list(Address.objects.filter(person=person))
    if not wanted <= {a.pk for a in addresses if a.is_current}:
        raise DomainError("Select current addresses of this person only.")
    flip = [a.pk for a in addresses if a.safe_to_write != (a.pk in wanted)]
    if not flip:
        return False
    # Only a plain column changes: the sealed address text is left as it is.
    Address.objects.filter(pk__in=[p for p in flip if p in wanted]).update(
        safe_to_write=True
    )
    Address.objects.filter(pk__in=[p for p in flip if p not in wanted]).update(
        safe_to_write=False
    )
    return True


@transaction.atomic
def safe_contact_update(
    *,
    actor: Actor,
    case: Case,
    person: Person,
    version: int | None,
    letter_addresses: Iterable[int] | None = None,
    **values: Any,
) -> SafeContactPreference:
    """Create or change how the person may (and must never) be contacted.

    ``version`` is the one the user's form was opened with, or ``None`` if no
    preferences were recorded then. If the stored preferences differ from what
    the user saw (another version, or created by someone else meanwhile),
    ``StaleEditError`` carries the stored values and nothing is saved.
    ``letter_addresses`` (ids of the person's current addresses) marks those
    safe to send letters to, and no others; ``None`` leaves them as they are.
    """
    unknown = set(values) - set(SAFE_CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"Not a safe-contact field: {', '.join(sorted(unknown))}")
    values = _checked_rules(dict(values))
    # get_or_create recovers from a concurrent first save (the unique person
    # key refuses the second row) by reading the row that won: created=False.
    preference, created = (
        SafeContactPreference.objects.select_for_update().get_or_create(
            person=person, defaults=values
        )
    )
    if created:
        changed = list(values)
    else:
        ensure_current(
            preference, version=version, current_values=safe_contact_current_values
        )
        changed = apply_changes(preference, values, same=_same_value)
    if letter_addresses is not None and _mark_letter_addresses(
        person, letter_addresses
    ):
        changed.append(LETTER_ADDRESSES)
    if changed and not created:
        save_new_version(preference)
    if changed:
        _audit(
            EventType.PERSON_SAFE_CONTACT_UPDATED,
            actor=actor,
            case=case,
            person=person,
            changed_fields=changed,
        )
    return preference
