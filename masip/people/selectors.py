"""Reading people: always through a case the caller has already resolved.

Nothing here answers "does this person exist?" outside a case: a person is
found only among the participants of the given case, or among the
participants of the cases the ``Access`` object reaches.
"""

import uuid
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from masip.access.permissions import Compartment
from masip.access.policy import Access, CaseAccess
from masip.access.reveal import SealedState
from masip.cases.models import Case, CaseParticipant, ParticipantRole
from masip.crypto.blind import identifier_index
from masip.people import search
from masip.people.models import (
    Address,
    Channel,
    Confidentiality,
    Person,
    PersonAlias,
    PersonIdentifier,
    SafeContactPreference,
)

SEARCH_LIMIT = 20
SEARCH_WORDS = 5
_PERSON_ORDER = ("family_name", "given_name", "id")
_ROLE_GROUPS = (
    ("victims", "Victims", (ParticipantRole.VICTIM,)),
    ("perpetrators", "People who stalk", (ParticipantRole.PERPETRATOR,)),
    (
        "others",
        "Other people",
        (ParticipantRole.THIRD_PARTY, ParticipantRole.CHILD, ParticipantRole.WITNESS),
    ),
)


@dataclass
class ParticipantGroup:
    key: str
    label: str
    participants: list[CaseParticipant] = field(default_factory=list)


def participant_list(*, case: Case) -> QuerySet[CaseParticipant]:
    """The case's participants with their person and aliases (two queries)."""
    return (
        CaseParticipant.objects.filter(case=case)
        .select_related("person")
        .prefetch_related(
            Prefetch("person__aliases", queryset=PersonAlias.objects.order_by("name"))
        )
        .order_by("person__family_name", "person__given_name", "id")
    )


def participant_groups(*, case: Case) -> list[ParticipantGroup]:
    """Participants grouped as victims, people who stalk, and everyone else."""
    groups = [ParticipantGroup(key, label) for key, label, _ in _ROLE_GROUPS]
    by_role = {
        role: group
        for group, (_, _, roles) in zip(groups, _ROLE_GROUPS, strict=True)
        for role in roles
    }
    for participant in participant_list(case=case):
        by_role[ParticipantRole(participant.role)].participants.append(participant)
    return groups


def person_get_in_case(*, case: Case, public_id: uuid.UUID) -> Person:
    """The person if they take part in ``case``; otherwise ``Http404``."""
    person = (
        Person.objects.filter(public_id=public_id, participations__case=case)
        .distinct()
        .first()
    )
    if person is None:
        raise Http404("No person found.")
    return person


def person_roles_in_case(*, case: Case, person: Person) -> list[str]:
    roles = CaseParticipant.objects.filter(case=case, person=person).values_list(
        "role", flat=True
    )
    return [str(ParticipantRole(role).label) for role in roles]


def person_other_cases(*, access: Access, case: Case, person: Person) -> QuerySet[Case]:
    """Other cases this person is on that the user may open (never the rest)."""
    return (
        access.visible_cases()
        .filter(participants__person=person)
        .exclude(pk=case.pk)
        .distinct()
        .order_by("reference")
    )


def person_search_visible(*, access: Access, query: str) -> list[Person]:
    """People on the user's visible cases whose name or alias matches every
    word (the first five), and anyone there holding ``query`` as an identifier
    the user may see (``masip.people.search``, ADR 0033)."""
    words = query.split()[:SEARCH_WORDS]
    if not words:
        return []
    found = _people_named(access, words).order_by(*_PERSON_ORDER)
    by_identifier = search.identifier_ids_for(access, query)
    if by_identifier:
        by_name = found.values_list("pk", flat=True)[:SEARCH_LIMIT]
        found = Person.objects.filter(pk__in=[*by_name, *by_identifier]).order_by(
            *_PERSON_ORDER
        )
    return list(found.prefetch_related("aliases")[:SEARCH_LIMIT])


def _people_named(access: Access, words: list[str]) -> QuerySet[Person]:
    """People in reach whose names or aliases hold every word: matched by the
    indexes first, then checked against the user's reach by id, when a word
    is long enough to match few people; else (or past ``CANDIDATES``) the
    database joins the people in reach to the indexed matches."""
    if any(search.selective(word) for word in words):
        matched = search.with_every_word(Person.objects.all(), words)
        ids = search.at_most(matched.order_by().values_list("pk", flat=True))
        if ids is not None:
            return Person.objects.filter(pk__in=search.visible_people(access, ids))
    visible = CaseParticipant.objects.filter(case__in=access.visible_cases())
    people = Person.objects.filter(pk__in=visible.values("person_id"))
    return search.with_every_word(people, words)


def person_get_visible(*, access: Access, public_id: str) -> Person | None:
    """A person on one of the user's visible cases, or ``None``."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return Person.objects.filter(
        public_id=key,
        pk__in=CaseParticipant.objects.filter(case__in=access.visible_cases()).values(
            "person_id"
        ),
    ).first()


@dataclass
class PersonContacts:
    """What the user may see of a person's contact details, and what is held back."""

    addresses: list[Address]
    identifiers: list[PersonIdentifier]
    safe_contact: SafeContactPreference | None
    sees_victim_contact: bool
    # Granted but not revealed: offer the reveal rather than say "withheld".
    masked: bool = False
    withheld_addresses: int = 0
    withheld_identifiers: int = 0
    # Masked only: whether there are safe-contact preferences to reveal.
    safe_contact_hidden: bool = False

    @property
    def anything_hidden(self) -> bool:
        """Masked, and there is something to reveal on this person."""
        return self.masked and bool(
            self.withheld_addresses
            or self.withheld_identifiers
            or self.safe_contact_hidden
        )

    @property
    def safe_channel_labels(self) -> list[str]:
        return _channel_labels(
            self.safe_contact.safe_channels if self.safe_contact else []
        )

    @property
    def forbidden_channel_labels(self) -> list[str]:
        return _channel_labels(
            self.safe_contact.forbidden_channels if self.safe_contact else []
        )

    @property
    def withheld_addresses_label(self) -> str:
        return _count_label(self.withheld_addresses, "address", "addresses")

    @property
    def withheld_identifiers_label(self) -> str:
        return _count_label(self.withheld_identifiers, "identifier", "identifiers")


def person_contacts(*, person: Person, sealed: SealedState) -> PersonContacts:
    """The person's addresses, identifiers and safe-contact preferences, as far
    as the user may see them now: sealed items are counted, not returned,
    unless ``sealed`` is shown (granted the compartment *and* revealed)."""
    addresses = list(Address.objects.filter(person=person))
    identifiers = list(PersonIdentifier.objects.filter(person=person))
    if sealed.shown:
        safe_contact = SafeContactPreference.objects.filter(person=person).first()
        return PersonContacts(
            addresses, identifiers, safe_contact, sees_victim_contact=True
        )
    return PersonContacts(
        addresses=[a for a in addresses if not a.is_restricted],
        identifiers=[i for i in identifiers if not i.is_restricted],
        safe_contact=None,
        sees_victim_contact=False,
        masked=sealed.masked,
        safe_contact_hidden=sealed.masked
        and SafeContactPreference.objects.filter(person=person).exists(),
        withheld_addresses=sum(a.is_restricted for a in addresses),
        withheld_identifiers=sum(i.is_restricted for i in identifiers),
    )


def people_with_identifier_in_case(
    *, case: Case, case_access: CaseAccess, kind: str, value: str
) -> list[Person]:
    """The case's people holding this identifier (phone, email...), matched
    exactly through its blind index: the sealed values are neither filtered nor
    opened. Restricted identifiers match only for users who see the victim's
    contact details, so a search cannot confirm a number the user may not see."""
    index = identifier_index(kind, value)
    if not index:
        return []
    identifiers = PersonIdentifier.objects.filter(kind=kind, value_index=index)
    if not case_access.sees(Compartment.VICTIM_CONTACT):
        identifiers = identifiers.exclude(confidentiality=Confidentiality.RESTRICTED)
    return list(
        Person.objects.filter(
            participations__case=case,
            pk__in=identifiers.values("person_id"),
        )
        .distinct()
        .order_by("family_name", "given_name", "id")
    )


def safe_contact_get(*, person: Person) -> SafeContactPreference | None:
    """Safe-contact preferences; callers must have checked the compartment."""
    return SafeContactPreference.objects.filter(person=person).first()


def _channel_labels(values: list[str]) -> list[str]:
    return [str(Channel(v).label) for v in values if v in Channel.values]


def _count_label(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"
