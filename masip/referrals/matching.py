"""Identity matching at intake: who on record may be the person being referred.

Before a referral's people become people on a case, the referrer (on the
"check your answers" page) and the coordinator (on the triage page) are shown
likely existing people and the cases they are on (ADR 0027). A person is a
candidate when:

* their name (given and family, case and spacing ignored) is the probe's
  name or one of its aliases, or one of their recorded aliases is ("name",
  "alias");
* their exact date of birth and family name are the probe's ("birth"; a
  birthday alone would list one person in 365);
* one of their phone numbers, email addresses, social media handles or
  vehicles has the probe's blind index (the values stay sealed).

Two steps, so that nothing crosses the user's reach:

1. Which cases hold a candidate, and which agency leads each
   (``case_hits``): on PostgreSQL through the SQL function
   ``masip_referral_matches`` (migration 0002), the one narrow door past
   row-level security, which returns only case ids, lead agency ids and what
   matched; on SQLite the same query through the ORM.
2. For the cases the user reaches (``access.visible_cases()``) the people are
   read through the ordinary queries, so the user sees the person's name, the
   case reference and the reasons. For any other case the user learns only
   "A possible match exists on a case led by <agency>. Contact them before
   going further." (once per agency): never a name, a reference or content.

A match through a restricted identifier (the victim location and contact
compartment) on a case where the user does not see that compartment is shown
the second way too: the reason would tell them the sealed value.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet, Value
from django.db.models.functions import Concat, Lower, Trim

from masip.access.permissions import Compartment, Permission
from masip.access.policy import Access
from masip.accounts.models import Agency
from masip.cases.models import Case, CaseParticipant
from masip.crypto.blind import identifier_index
from masip.people.models import (
    Confidentiality,
    DatePrecision,
    Person,
    PersonAlias,
    PersonIdentifier,
)

REASON_LABELS = {
    "name": "Same name",
    "alias": "Same name as a recorded alias",
    "birth": "Same date of birth and family name",
    "phone": "Same phone number",
    "email": "Same email address",
    "social_media": "Same social media handle",
    "vehicle": "Same vehicle registration",
}
# The order reasons are listed in (strongest first).
_REASON_ORDER = list(REASON_LABELS)
IDENTIFIER_REASONS = frozenset({"phone", "email", "social_media", "vehicle"})

ELSEWHERE = (
    "A possible match exists on a case led by {agency}. "
    "Contact them before going further."
)


def normalise_name(name: str) -> str:
    """Case and spacing do not matter: ``"  Ada  LOVELACE "`` -> ``"ada lovelace"``."""
    return " ".join(name.split()).lower()


@dataclass(frozen=True)
class Probe:
    """One person as the referral describes them."""

    label: str
    given_name: str = ""
    family_name: str = ""
    date_of_birth: dt.date | None = None
    aliases: tuple[str, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()  # (kind, value)

    @property
    def names(self) -> list[str]:
        full = normalise_name(f"{self.given_name} {self.family_name}")
        found = [full, *(normalise_name(a) for a in self.aliases)]
        return sorted({name for name in found if name})

    @property
    def family(self) -> str:
        return normalise_name(self.family_name)

    @property
    def indexes(self) -> list[str]:
        found = (identifier_index(kind, value) for kind, value in self.identifiers)
        return sorted({index for index in found if index})

    @property
    def is_empty(self) -> bool:
        birth = self.date_of_birth is not None and bool(self.family)
        return not (self.names or self.indexes or birth)


@dataclass(frozen=True)
class CaseHit:
    """What the cross-case door answers: a case, its lead, what matched."""

    case_id: int
    lead_agency_id: int
    matched: frozenset[str]


@dataclass(frozen=True)
class Candidate:
    """A person on a case the user reaches who may be the probe."""

    person_name: str
    role_label: str
    case_reference: str
    case_status_label: str
    lead_agency_name: str
    reasons: tuple[str, ...]


@dataclass
class ProbeMatches:
    label: str
    candidates: list[Candidate] = field(default_factory=list)
    # Agencies leading a matching case the user does not reach (once each).
    elsewhere: list[str] = field(default_factory=list)

    @property
    def notices(self) -> list[str]:
        return [ELSEWHERE.format(agency=name) for name in self.elsewhere]

    @property
    def found(self) -> bool:
        return bool(self.candidates or self.elsewhere)


@dataclass
class MatchReport:
    groups: list[ProbeMatches]

    @property
    def found(self) -> bool:
        return any(group.found for group in self.groups)

    @property
    def count(self) -> int:
        return sum(len(g.candidates) + len(g.elsewhere) for g in self.groups)


# Step 1: which cases ---------------------------------------------------------


def case_hits(probe: Probe, *, access: Access) -> list[CaseHit]:
    """Every case with a participant matching ``probe``, whatever the reach,
    less the cases blocked for the user as staff-involved."""
    if probe.is_empty:
        return []
    if connection.vendor == "postgresql":
        hits = _case_hits_sql(probe)
    else:
        hits = _case_hits_orm(probe)
    if not hits:
        return []
    hidden = set(
        access.match_hidden_cases()
        .filter(case_id__in=[h.case_id for h in hits])
        .values_list("case_id", flat=True)
    )
    return [hit for hit in hits if hit.case_id not in hidden]


def _case_hits_sql(probe: Probe) -> list[CaseHit]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT case_id, lead_agency_id, matched FROM "
            "masip_referral_matches(%s::text[], %s::text, %s::date, %s::text[]) "
            "ORDER BY case_id",
            [probe.names, probe.family, probe.date_of_birth, probe.indexes],
        )
        rows = cursor.fetchall()
    return [CaseHit(row[0], row[1], frozenset(row[2])) for row in rows]


def _case_hits_orm(probe: Probe) -> list[CaseHit]:
    """The SQL function's query through the ORM (SQLite: no row-level security)."""
    people = _person_hits(probe, Person.objects.all())
    if not people:
        return []
    matched: dict[int, set[str]] = defaultdict(set)
    leads: dict[int, int] = {}
    participants = CaseParticipant.objects.filter(person_id__in=people).values_list(
        "case_id", "case__lead_agency_id", "person_id"
    )
    for case_id, lead_id, person_id in participants:
        matched[case_id] |= {reason for reason, _ in people[person_id]}
        leads[case_id] = lead_id
    return [
        CaseHit(case_id, leads[case_id], frozenset(reasons))
        for case_id, reasons in sorted(matched.items())
    ]


# (reason, whether it came from a restricted identifier)
type Hit = tuple[str, bool]


def _person_hits(probe: Probe, people: QuerySet[Person]) -> dict[int, set[Hit]]:
    """The people among ``people`` matching ``probe``, with why."""
    hits: dict[int, set[Hit]] = defaultdict(set)
    names = probe.names
    if names:
        full = Lower(Trim(Concat("given_name", Value(" "), "family_name")))
        named = people.annotate(masip_full=full).filter(masip_full__in=names)
        for pk in named.values_list("pk", flat=True):
            hits[pk].add(("name", False))
        aliases = (
            PersonAlias.objects.filter(person__in=people)
            .annotate(masip_alias=Lower(Trim("name")))
            .filter(masip_alias__in=names)
        )
        for pk in aliases.values_list("person_id", flat=True):
            hits[pk].add(("alias", False))
    if probe.date_of_birth is not None and probe.family:
        born = people.annotate(masip_family=Lower("family_name")).filter(
            masip_family=probe.family,
            date_of_birth=probe.date_of_birth,
            birth_date_precision=DatePrecision.EXACT,
        )
        for pk in born.values_list("pk", flat=True):
            hits[pk].add(("birth", False))
    indexes = probe.indexes
    if indexes:
        found = PersonIdentifier.objects.filter(
            person__in=people, value_index__in=indexes
        ).values_list("person_id", "kind", "confidentiality")
        for pk, kind, confidentiality in found:
            hits[pk].add((kind, confidentiality == Confidentiality.RESTRICTED))
    return dict(hits)


# Step 2: what the user may be told --------------------------------------------


def _ordered(reasons: Iterable[str]) -> tuple[str, ...]:
    unique = set(reasons)
    return tuple(
        REASON_LABELS[r]
        for r in sorted(unique, key=_REASON_ORDER.index)
        if r in REASON_LABELS
    )


def probe_matches(probe: Probe, *, access: Access) -> ProbeMatches:
    """What the user may be told about the people matching ``probe``."""
    result = ProbeMatches(label=probe.label)
    hits = case_hits(probe, access=access)
    if not hits:
        return result
    reached = set(
        access.visible_cases()
        .filter(pk__in=[h.case_id for h in hits])
        .values_list("pk", flat=True)
    )
    elsewhere_ids = {h.lead_agency_id for h in hits if h.case_id not in reached}
    if reached:
        candidates, withheld = _candidates(probe, access=access, case_ids=reached)
        result.candidates = candidates
        elsewhere_ids |= withheld
    if elsewhere_ids:
        result.elsewhere = list(
            Agency.objects.filter(pk__in=elsewhere_ids)
            .order_by("name")
            .values_list("name", flat=True)
        )
    return result


def _candidates(
    probe: Probe, *, access: Access, case_ids: set[int]
) -> tuple[list[Candidate], set[int]]:
    """Candidates on cases the user reaches, and the lead agencies of matches
    there they may learn only as "a possible match exists"."""
    participants = list(
        CaseParticipant.objects.filter(case_id__in=case_ids)
        .select_related("person", "case", "case__lead_agency")
        .order_by("case__reference", "role", "id")
    )
    people = _person_hits(
        probe, Person.objects.filter(pk__in={p.person_id for p in participants})
    )
    candidates: list[Candidate] = []
    withheld: set[int] = set()
    cases: dict[int, Case] = {}
    for participant in participants:
        hits = people.get(participant.person_id)
        if not hits:
            continue
        case = cases.setdefault(participant.case_id, participant.case)
        case_access = access.case_access(case)
        sees_contact = case_access.sees(Compartment.VICTIM_CONTACT)
        reasons = [r for r, restricted in hits if sees_contact or not restricted]
        if not reasons or not case_access.can(Permission.PERSON_VIEW):
            withheld.add(case.lead_agency_id)
            continue
        candidates.append(
            Candidate(
                person_name=participant.person.full_name,
                role_label=str(participant.get_role_display()),
                case_reference=case.reference,
                case_status_label=str(case.get_status_display()),
                lead_agency_name=case.lead_agency.name,
                reasons=_ordered(reasons),
            )
        )
    candidates.sort(key=lambda c: (-len(c.reasons), c.case_reference))
    return candidates, withheld


def find_matches(access: Access, probes: Sequence[Probe]) -> MatchReport:
    """Matches for each of a referral's people (see the module docstring)."""
    return MatchReport(groups=[probe_matches(p, access=access) for p in probes])
