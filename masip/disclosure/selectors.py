"""Reading subject access requests, and gathering what a draft holds.

Requests are reached only through the ``Access`` object: a user sees the
requests of the agencies in which a membership grants the verb, and a request
of any other agency answers 404, exactly like one that does not exist.

The controller of a case's records, for subject access, is the agency that
leads the case (ADR 0016): ``controlled_cases`` are the cases the handling
agency leads, and nothing outside them is ever gathered.

An agency administrator reaches no case, so on PostgreSQL row-level security
would show the draft nothing. The reads of a draft's records (building it, and
a reviewer reading an item's source) therefore run inside
``isolation.context.subject_access``: the database then admits, for reading
only, the cases the agency leads on which a linked person appears and the
linked people's own records, and only for a request whose identity is
verified and not yet released, in an agency where the user manages requests
(ADR 0021). Other people's person records stay closed.
"""

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.accounts.models import Agency, Membership
from masip.cases.models import Case, CaseAllocation, CaseNote, CaseParticipant
from masip.disclosure.models import (
    DataSubject,
    DefaultDecision,
    DisclosureItem,
    ItemCategory,
    RequestSubject,
    SourceType,
    SubjectAccessRequest,
)
from masip.incidents.models import Incident
from masip.isolation import context
from masip.people.models import (
    Address,
    Channel,
    Person,
    PersonAlias,
    PersonIdentifier,
    SafeContactPreference,
)
from masip.risk.models import Assessment
from masip.risk.selectors import instrument_of

CANDIDATE_LIMIT = 20


# Requests -------------------------------------------------------------------


def request_list(*, access: Access) -> QuerySet[SubjectAccessRequest]:
    """Open requests first, soonest due first, of the user's SAR agencies."""
    agencies = [m.agency_id for m in access.memberships_with(Permission.SAR_MANAGE)]
    return (
        SubjectAccessRequest.objects.filter(agency_id__in=agencies)
        .select_related("agency")
        .defer("document")
        .order_by(F("released_at").asc(nulls_first=True), "due_on", "id")
    )


def request_get(
    *, access: Access, public_id: uuid.UUID, need: Permission
) -> tuple[SubjectAccessRequest, Membership]:
    """The request, and the membership in its agency that grants ``need``.

    ``Http404`` when the request does not exist or belongs to an agency in
    which the user holds no such membership: the two cannot be told apart.
    """
    memberships = {m.agency_id: m for m in access.memberships_with(need)}
    sar = (
        SubjectAccessRequest.objects.filter(
            public_id=public_id, agency_id__in=list(memberships)
        )
        .select_related(
            "agency",
            "recorded_by",
            "identity_verified_by",
            "draft_built_by",
            "released_by",
            "extended_by",
        )
        .defer("document")
        .first()
    )
    if sar is None:
        raise Http404("No subject access request found.")
    return sar, memberships[sar.agency_id]


def document_bytes(sar: SubjectAccessRequest) -> bytes:
    row = SubjectAccessRequest.objects.values_list("document", flat=True).get(pk=sar.pk)
    return bytes(row) if row is not None else b""


def handling_agencies(*, access: Access) -> list[Agency]:
    """The agencies in whose name the user may record a request."""
    return [m.agency for m in access.memberships_with(Permission.SAR_MANAGE)]


# The cases and people of a request -----------------------------------------


def controlled_cases(agency: Agency) -> QuerySet[Case]:
    """The cases whose records the agency controls: the cases it leads."""
    return Case.objects.filter(lead_agency=agency)


def _on_controlled_cases(agency: Agency) -> QuerySet[Person]:
    """People on at least one case the agency leads (may repeat: ``distinct``)."""
    return Person.objects.filter(participations__case__in=controlled_cases(agency))


def _linked_person_ids(sar: SubjectAccessRequest) -> QuerySet[RequestSubject, Any]:
    """The ids of the people linked to the request, as a subquery."""
    return RequestSubject.objects.filter(request=sar).values("person")


def linked_people(sar: SubjectAccessRequest) -> list[Person]:
    return list(Person.objects.filter(pk__in=_linked_person_ids(sar)).order_by("id"))


@dataclass(frozen=True)
class Candidate:
    """A person record that may be the requester, and why it was offered."""

    person: Person
    matched_on: str
    case_count: int


def _name_q(given: str, family: str) -> Q:
    return Q(given_name__iexact=given, family_name__iexact=family) | Q(
        aliases__name__iexact=f"{given} {family}"
    )


def subject_candidates(sar: SubjectAccessRequest) -> list[Candidate]:
    """People on the agency's cases matching the requester's name and birth date.

    A person is offered when the full name (or an alias) and the date of birth
    both match, or when one of them matches exactly and the other is not
    recorded; an exact date of birth with the family name alone is offered too
    (a changed given name). The officer confirms; nothing is linked here.
    """
    given = sar.requester_given_name.strip()
    family = sar.requester_family_name.strip()
    dob = sar.requester_date_of_birth
    on_cases = _on_controlled_cases(sar.agency)
    name = _name_q(given, family)
    if dob is not None:
        match = (name & (Q(date_of_birth=dob) | Q(date_of_birth__isnull=True))) | (
            Q(family_name__iexact=family, date_of_birth=dob)
        )
    else:
        match = name
    people = list(
        on_cases.filter(match)
        .exclude(pk__in=_linked_person_ids(sar))
        .distinct()
        .order_by("family_name", "given_name", "id")[:CANDIDATE_LIMIT]
    )
    case_counts = _case_counts(sar.agency, people)
    return [
        Candidate(
            person=p,
            matched_on=_matched_on(p, given, family, dob),
            case_count=case_counts.get(p.pk, 0),
        )
        for p in people
    ]


def _case_counts(agency: Agency, people: list[Person]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for person_id in CaseParticipant.objects.filter(
        person__in=people, case__in=controlled_cases(agency)
    ).values_list("person_id", flat=True):
        counts[person_id] = counts.get(person_id, 0) + 1
    return counts


def _matched_on(person: Person, given: str, family: str, dob: dt.date | None) -> str:
    same_name = (
        person.given_name.lower() == given.lower()
        and person.family_name.lower() == family.lower()
    )
    parts = ["name" if same_name else "family name or another name"]
    if dob is not None and person.date_of_birth == dob:
        parts.append("date of birth")
    elif person.date_of_birth is None:
        parts.append("no date of birth recorded")
    return " and ".join(parts)


def linkable_people(sar: SubjectAccessRequest, ids: Iterable[int]) -> list[Person]:
    """The chosen candidates, limited again to people on the agency's cases."""
    return list(_on_controlled_cases(sar.agency).filter(pk__in=list(ids)).distinct())


# Items ----------------------------------------------------------------------


def item_list(sar: SubjectAccessRequest) -> QuerySet[DisclosureItem]:
    return DisclosureItem.objects.filter(request=sar).select_related("decided_by")


def item_get(sar: SubjectAccessRequest, item_id: int) -> DisclosureItem:
    item = DisclosureItem.objects.filter(request=sar, pk=item_id).first()
    if item is None:
        raise Http404("No item found.")
    return item


@dataclass(frozen=True)
class ItemCounts:
    total: int
    decided: int
    released: int

    @property
    def undecided(self) -> int:
        return self.total - self.decided


def item_counts(sar: SubjectAccessRequest) -> ItemCounts:
    items = list(DisclosureItem.objects.filter(request=sar).values_list("decision"))
    decided = [d for (d,) in items if d]
    released = [d for d in decided if d != "withhold"]
    return ItemCounts(total=len(items), decided=len(decided), released=len(released))


def released_items(sar: SubjectAccessRequest) -> list[DisclosureItem]:
    return [i for i in DisclosureItem.objects.filter(request=sar) if i.is_released]


# Gathering the draft ----------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """One item of the draft before it is saved."""

    source_type: SourceType
    source_id: int
    field: str
    label: str
    subject: DataSubject
    category: ItemCategory
    default_decision: DefaultDecision
    case_reference: str = ""
    subject_role: str = ""
    recorded_by_agency: str = ""
    text: str = ""


_DEFAULTS = {
    ItemCategory.OWN: DefaultDecision.INCLUDE,
    ItemCategory.IDENTITY: DefaultDecision.EXCLUDE,
    ItemCategory.LOCATION: DefaultDecision.EXCLUDE,
    ItemCategory.FREE_TEXT: DefaultDecision.REVIEW,
}


def _draft(source: object, source_type: SourceType, field: str, **kwargs: str) -> Draft:
    """A draft item; its text is filled only when it is included by default."""
    category = ItemCategory(kwargs.pop("category"))
    default = _DEFAULTS[category]
    text = source_text(source_type, source, field) if default == "include" else ""
    return Draft(
        source_type=source_type,
        source_id=int(getattr(source, "pk")),  # noqa: B009 - any model
        field=field,
        label=kwargs.pop("label"),
        subject=DataSubject(kwargs.pop("subject")),
        category=category,
        default_decision=default,
        text=text,
        **kwargs,
    )


def draft_items(sar: SubjectAccessRequest) -> list[Draft]:
    """Every record about the linked people on the cases the agency controls.

    The requester's own facts are included by default. Every other person's
    identity (victims, witnesses, others; staff names), every address,
    incident location and safe-contact detail, and every piece of free text
    are excluded until a reviewer decides. Other people's person records are
    never read: their items are pointers labelled by their part in the case.
    """
    with context.subject_access(sar.pk):
        return _draft_items(sar)


def _draft_items(sar: SubjectAccessRequest) -> list[Draft]:
    people = linked_people(sar)
    person_ids = {p.pk for p in people}
    cases = list(
        controlled_cases(sar.agency)
        .filter(participants__person__in=people)
        .distinct()
        .order_by("referred_on", "id")
        .prefetch_related(
            "participants",
            Prefetch(
                "incidents",
                queryset=Incident.objects.select_related("recorded_by_agency").order_by(
                    "occurred_at", "id"
                ),
            ),
            Prefetch(
                "notes",
                queryset=CaseNote.objects.select_related("agency").order_by(
                    "created_at", "id"
                ),
            ),
            Prefetch(
                "allocations",
                queryset=CaseAllocation.objects.select_related("user"),
            ),
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("agency").order_by(
                    "completed_at", "id"
                ),
            ),
        )
    )
    drafts: list[Draft] = []
    for person in (
        Person.objects.filter(pk__in=person_ids)
        .prefetch_related("aliases", "identifiers", "addresses")
        .order_by("id")
    ):
        drafts.extend(_person_drafts(person))
    for case in cases:
        drafts.extend(_case_drafts(case, person_ids))
    return drafts


def _person_drafts(person: Person) -> list[Draft]:
    own = {"subject": DataSubject.REQUESTER}
    drafts = [
        _draft(
            person,
            SourceType.PERSON,
            "details",
            label="Your name and personal details",
            category=ItemCategory.OWN,
            **own,
        )
    ]
    drafts += [
        _draft(
            alias,
            SourceType.ALIAS,
            "name",
            label="Another name recorded for you",
            category=ItemCategory.OWN,
            **own,
        )
        for alias in person.aliases.all()
    ]
    drafts += [
        _draft(
            identifier,
            SourceType.IDENTIFIER,
            "value",
            label=f"{identifier.get_kind_display()} recorded for you",
            category=ItemCategory.OWN,
            **own,
        )
        for identifier in person.identifiers.all()
    ]
    drafts += [
        _draft(
            address,
            SourceType.ADDRESS,
            "address",
            label="An address recorded for you",
            category=ItemCategory.LOCATION,
            **own,
        )
        for address in person.addresses.all()
    ]
    safe = SafeContactPreference.objects.filter(person=person).first()
    if safe is not None:
        drafts.append(
            _draft(
                safe,
                SourceType.SAFE_CONTACT,
                "preferences",
                label="Safe-contact preferences recorded for you",
                category=ItemCategory.LOCATION,
                **own,
            )
        )
    return drafts


def _case_drafts(case: Case, person_ids: set[int]) -> list[Draft]:
    ref = {"case_reference": case.reference}
    drafts: list[Draft] = []
    for participant in case.participants.all():
        role = participant.get_role_display()
        if participant.person_id in person_ids:
            drafts.append(
                _draft(
                    participant,
                    SourceType.PARTICIPANT,
                    "role",
                    label="Your part in the case",
                    category=ItemCategory.OWN,
                    subject=DataSubject.REQUESTER,
                    **ref,
                )
            )
        else:
            drafts.append(
                _draft(
                    participant,
                    SourceType.PARTICIPANT,
                    "identity",
                    label=f"Another person on the case ({role.lower()})",
                    category=ItemCategory.IDENTITY,
                    subject=DataSubject.THIRD_PARTY,
                    subject_role=role,
                    **ref,
                )
            )
    drafts.append(
        _draft(
            case,
            SourceType.CASE,
            "facts",
            label="The case record",
            category=ItemCategory.OWN,
            subject=DataSubject.REQUESTER,
            **ref,
        )
    )
    drafts.append(
        _draft(
            case,
            SourceType.CASE,
            "summary",
            label="Summary of the case",
            category=ItemCategory.FREE_TEXT,
            subject=DataSubject.MIXED,
            **ref,
        )
    )
    drafts.append(
        _draft(
            case,
            SourceType.CASE,
            "relationship",
            label="Relationship recorded between the people on the case",
            category=ItemCategory.FREE_TEXT,
            subject=DataSubject.MIXED,
            **ref,
        )
    )
    if case.allocations.all():
        drafts.append(
            _draft(
                case,
                SourceType.CASE,
                "staff",
                label="Staff working on the case",
                category=ItemCategory.IDENTITY,
                subject=DataSubject.STAFF,
                subject_role="Staff",
                **ref,
            )
        )
    for incident in case.incidents.all():
        drafts.extend(_incident_drafts(incident, ref))
    for assessment in case.assessments.all():
        drafts.extend(_assessment_drafts(assessment, ref))
    for note in case.notes.all():
        drafts.append(
            _draft(
                note,
                SourceType.NOTE,
                "text",
                label=f"{note.get_kind_display()} note of {note.created_at:%-d %B %Y}",
                category=ItemCategory.FREE_TEXT,
                subject=DataSubject.MIXED,
                recorded_by_agency=note.agency.name,
                **ref,
            )
        )
    return drafts


def _assessment_drafts(assessment: Assessment, ref: dict[str, str]) -> list[Draft]:
    """A risk assessment: its result, and its answers (both for review: they
    are about the requester and the victim, and may be withheld where
    disclosure would prejudice the prevention of crime)."""
    instrument = instrument_of(assessment)
    title = instrument.title if instrument else assessment.instrument_code
    when = f"{assessment.completed_at:%-d %B %Y}"
    common = {"recorded_by_agency": assessment.agency.name, **ref}
    return [
        _draft(
            assessment,
            SourceType.ASSESSMENT,
            "result",
            label=f"{title} of {when}: the result",
            category=ItemCategory.FREE_TEXT,
            subject=DataSubject.MIXED,
            **common,
        ),
        _draft(
            assessment,
            SourceType.ASSESSMENT,
            "answers",
            label=f"{title} of {when}: the answers",
            category=ItemCategory.FREE_TEXT,
            subject=DataSubject.MIXED,
            **common,
        ),
    ]


def _assessment_result(assessment: Assessment) -> str:
    lines = [f"Level: {assessment.level or 'none'}"]
    if assessment.overridden:
        lines.append(f"The answers gave: {assessment.scored_level or 'none'}")
        lines.append(f"Why the level differs: {assessment.override_rationale}")
    total = assessment.result.get("total")
    if total is not None:
        lines.append(f"Score: {total:g}")
    return "\n".join(lines)


def _assessment_answers(assessment: Assessment) -> str:
    instrument = instrument_of(assessment)
    answers = assessment.answers
    if instrument is None:
        return "\n".join(f"{key}: {value}" for key, value in sorted(answers.items()))
    return "\n".join(
        f"{item.text or item.topic}: {answers.get(item.id, 'Not answered')}"
        for item in instrument.items
    )


def _incident_drafts(incident: Incident, ref: dict[str, str]) -> list[Draft]:
    when = f"{incident.occurred_at:%-d %B %Y}"
    common = {"recorded_by_agency": incident.recorded_by_agency.name, **ref}
    drafts = [
        _draft(
            incident,
            SourceType.INCIDENT,
            "facts",
            label=f"Incident of {when}: what was recorded about you",
            category=ItemCategory.OWN,
            subject=DataSubject.REQUESTER,
            **common,
        ),
        _draft(
            incident,
            SourceType.INCIDENT,
            "narrative",
            label=f"Incident of {when}: what happened",
            category=ItemCategory.FREE_TEXT,
            subject=DataSubject.MIXED,
            **common,
        ),
    ]
    if incident.impact:
        drafts.append(
            _draft(
                incident,
                SourceType.INCIDENT,
                "impact",
                label=f"Incident of {when}: the effect on the other person",
                category=ItemCategory.FREE_TEXT,
                subject=DataSubject.THIRD_PARTY,
                subject_role="Victim",
                **common,
            )
        )
    if incident.location:
        drafts.append(
            _draft(
                incident,
                SourceType.INCIDENT,
                "location",
                label=f"Incident of {when}: where it happened",
                category=ItemCategory.LOCATION,
                subject=DataSubject.MIXED,
                **common,
            )
        )
    drafts.append(
        _draft(
            incident,
            SourceType.INCIDENT,
            "staff",
            label=f"Incident of {when}: member of staff who recorded it",
            category=ItemCategory.IDENTITY,
            subject=DataSubject.STAFF,
            subject_role="Staff",
            **common,
        )
    )
    return drafts


# The content of one source field ------------------------------------------------


def _lines(*pairs: tuple[str, object]) -> str:
    return "\n".join(
        f"{label}: {value}" for label, value in pairs if value not in ("", None)
    )


def _day(value: dt.date | dt.datetime | None) -> str:
    return f"{value:%-d %B %Y}" if value is not None else ""


def _address(a: Address) -> str:
    return _lines(("Address", str(a)), ("Current", "Yes" if a.is_current else "No"))


def _safe_contact(s: SafeContactPreference) -> str:
    return _lines(
        ("Safe ways to contact", _channels(s.safe_channels)),
        ("Never contact by", _channels(s.forbidden_channels)),
        ("Safe times", s.safe_times),
        ("Notes", s.notes),
    )


def _person(p: Person) -> str:
    return _lines(
        ("Name", p.full_name),
        ("Date of birth", p.birth_date_display),
        ("Gender", p.get_gender_display()),
        ("Interpreter language", p.interpreter_language),
    )


def _other_participant(cp: CaseParticipant) -> str:
    return _lines(
        ("Name", cp.person.full_name),
        ("Recorded as", cp.get_role_display()),
        ("Date of birth", cp.person.birth_date_display),
    )


def _case_facts(c: Case) -> str:
    return _lines(
        ("Case reference", c.reference),
        ("Status", c.get_status_display()),
        ("Risk level", c.get_risk_level_display()),
        ("Referred on", _day(c.referred_on)),
        ("Closed on", _day(c.closed_on)),
    )


def _case_staff(c: Case) -> str:
    names = sorted({a.user.full_name for a in c.allocations.select_related("user")})
    return _lines(("Staff", ", ".join(names)))


def _incident_facts(i: Incident) -> str:
    return _lines(
        ("Date", _day(i.occurred_at)),
        ("Behaviour", ", ".join(i.behaviour_labels())),
        ("How", ", ".join(i.channel_labels())),
        ("Reported to the police", "Yes" if i.reported_to_police else "No"),
        ("Crime reference", i.crime_reference),
        ("Recorded by", i.recorded_by_agency.name),
    )


# How each field of each kind of source reads as text.
_RENDERERS: dict[tuple[str, str], Callable[[Any], str]] = {
    (SourceType.PERSON, "details"): _person,
    (SourceType.ALIAS, "name"): lambda a: _lines((a.get_kind_display(), a.name)),
    (SourceType.IDENTIFIER, "value"): lambda i: _lines((i.get_kind_display(), i.value)),
    (SourceType.ADDRESS, "address"): _address,
    (SourceType.SAFE_CONTACT, "preferences"): _safe_contact,
    (SourceType.PARTICIPANT, "role"): lambda cp: _lines(
        ("Recorded as", cp.get_role_display()), ("Since", _day(cp.added_at))
    ),
    (SourceType.PARTICIPANT, "identity"): _other_participant,
    (SourceType.CASE, "facts"): _case_facts,
    (SourceType.CASE, "summary"): lambda c: c.summary,
    (SourceType.CASE, "relationship"): lambda c: _lines(
        ("Relationship", c.get_relationship_type_display())
    ),
    (SourceType.CASE, "staff"): _case_staff,
    (SourceType.INCIDENT, "facts"): _incident_facts,
    (SourceType.INCIDENT, "narrative"): lambda i: i.narrative,
    (SourceType.INCIDENT, "impact"): lambda i: i.impact,
    (SourceType.INCIDENT, "location"): lambda i: i.location,
    (SourceType.INCIDENT, "staff"): lambda i: _lines(
        ("Recorded by", i.recorded_by.full_name)
    ),
    (SourceType.NOTE, "text"): lambda n: n.text,
    (SourceType.ASSESSMENT, "result"): _assessment_result,
    (SourceType.ASSESSMENT, "answers"): _assessment_answers,
}


def source_text(source_type: str, source: object, field: str) -> str:
    """The recorded content of one field of one source, as plain text."""
    return str(_RENDERERS[(source_type, field)](source))


def _channels(values: list[str]) -> str:
    return ", ".join(str(Channel(v).label) for v in values if v in Channel.values)


def item_source(item: DisclosureItem) -> object | None:
    """The record an item came from, found only within the agency's cases.

    ``None`` when it has since been removed, or no longer sits on a case the
    agency controls (the item can then only be withheld). On PostgreSQL,
    also ``None`` for another person's identity when the reviewer reaches no
    case (an agency administrator): the subject access window never opens a
    third party's person record (ADR 0021).
    """
    with context.subject_access(item.request_id):
        return _item_source(item)


def _item_source(item: DisclosureItem) -> object | None:
    sar = item.request
    if item.source_type in _PERSON_SOURCES:
        people = Person.objects.filter(pk__in=_linked_person_ids(sar))
        if item.source_type == SourceType.PERSON:
            return people.filter(pk=item.source_id).first()
        model = _PERSON_SOURCES[SourceType(item.source_type)]
        found: object | None = model.objects.filter(
            pk=item.source_id, person__in=people
        ).first()
        return found
    return _case_source(item, controlled_cases(sar.agency))


# Records of the linked people themselves, found through them.
_PERSON_SOURCES: dict[SourceType, type[Any]] = {
    SourceType.PERSON: Person,
    SourceType.ALIAS: PersonAlias,
    SourceType.IDENTIFIER: PersonIdentifier,
    SourceType.ADDRESS: Address,
    SourceType.SAFE_CONTACT: SafeContactPreference,
}


def _case_source(item: DisclosureItem, cases: QuerySet[Case]) -> object | None:
    """Records found through the cases the agency controls."""
    match item.source_type:
        case SourceType.PARTICIPANT:
            return (
                CaseParticipant.objects.filter(pk=item.source_id, case__in=cases)
                .select_related("person")
                .first()
            )
        case SourceType.CASE:
            return cases.filter(pk=item.source_id).first()
        case SourceType.INCIDENT:
            return (
                Incident.objects.filter(pk=item.source_id, case__in=cases)
                .select_related("recorded_by", "recorded_by_agency")
                .first()
            )
        case SourceType.NOTE:
            return CaseNote.objects.filter(pk=item.source_id, case__in=cases).first()
        case SourceType.ASSESSMENT:
            return (
                Assessment.objects.filter(pk=item.source_id, case__in=cases)
                .select_related("agency")
                .first()
            )
    return None


def item_content(item: DisclosureItem) -> str | None:
    """The recorded content for the reviewer, or ``None`` if it is not shown."""
    if not item.reviewer_sees_content:
        return None
    source = item_source(item)
    if source is None:
        return None
    return source_text(item.source_type, source, item.field)
