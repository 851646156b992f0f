"""The case list's search through the name indexes: the same cases as the plain
``icontains`` filter, plus cases found by an identifier anyone on them may see."""

import random

from django.db.models import Q, QuerySet

from masip.access.policy import Access
from masip.cases.models import Case, CaseParticipant
from masip.cases.selectors import case_list_for
from masip.cases.tests.factories import CaseFactory, CaseParticipantFactory
from masip.people.models import Confidentiality, PersonAlias
from masip.people.tests.factories import PersonFactory, PersonIdentifierFactory

SYLLABLES = ["an", "ber", "cal", "dra", "el", "fin", "gor", "ha", "is", "jo", "ka"]


def _old_search(cases: QuerySet[Case], q: str) -> QuerySet[Case]:
    """The case list's ``_search`` as it was before the indexes (the reference)."""
    words = q.split()
    if not words:
        return cases
    by_name = Q()
    for word in words:
        by_name &= Q(person__given_name__icontains=word) | Q(
            person__family_name__icontains=word
        )
    named = CaseParticipant.objects.filter(
        by_name | Q(person__aliases__name__icontains=q.strip())
    )
    return cases.filter(
        Q(reference__istartswith=q.strip()) | Q(pk__in=named.values("case_id"))
    )


def _name(rng: random.Random) -> str:
    return "".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))).title()


def _generated_cases(cast, count: int = 20) -> list[Case]:
    rng = random.Random(35)
    cases = [cast.case]
    for i in range(count):
        case = CaseFactory(
            lead_agency=cast.police_a if i % 5 else cast.police_b,
            created_by=cast.lead_worker,
        )
        for _ in range(2):
            person = PersonFactory(given_name=_name(rng), family_name=_name(rng))
            CaseParticipantFactory(case=case, person=person)
            if rng.random() < 0.4:
                PersonAlias.objects.create(
                    person=person, name=f"{_name(rng)} {_name(rng)}"
                )
        cases.append(case)
    return cases


def _queries(cases: list[Case]) -> list[str]:
    rng = random.Random(36)
    queries = ["an", "a b", "ber cal", "STK", "stk-", "zz", "%", "_", "Ó", "an  ber"]
    for case in cases[:12]:
        queries += [case.reference, case.reference[:6].lower(), case.reference[2:9]]
    for participant in CaseParticipant.objects.select_related("person")[:20]:
        person = participant.person
        full = f"{person.given_name} {person.family_name}"
        start = rng.randrange(len(full) - 2)
        queries += [full, full[start : start + 3], full[start : start + 7].upper()]
        queries.append(f"{person.family_name[1:4]} {person.given_name[:2]}")
    for alias in PersonAlias.objects.all():
        queries += [alias.name, alias.name[2:9].lower()]
    return [q for q in queries if q.strip()]


def test_case_search_finds_the_same_cases_as_the_plain_filter(cast):
    cases = _generated_cases(cast)
    access = Access(cast.lead_worker)
    queries = _queries(cases)

    def new(q: str) -> list[str]:
        return sorted(case_list_for(access, q=q).values_list("reference", flat=True))

    def old(q: str) -> list[str]:
        found = _old_search(access.visible_cases(), q)
        return sorted(found.values_list("reference", flat=True))

    differences = {q: (new(q), old(q)) for q in queries if new(q) != old(q)}

    assert len(queries) > 100
    assert differences == {}
    assert sum(bool(old(q)) for q in queries) > len(queries) // 2


def test_case_search_by_lower_case_reference_prefix(cast):
    access = Access(cast.lead_worker)

    found = case_list_for(access, q=cast.case.reference[:7].lower())

    assert cast.case in found


def test_case_search_by_a_standard_identifier(cast):
    PersonIdentifierFactory(
        person=cast.perpetrator,
        kind="email",
        value="Blake@Example.org",
        confidentiality=Confidentiality.STANDARD,
    )

    found = case_list_for(Access(cast.partner_worker), q=" blake@example.org ")
    outsider = case_list_for(Access(cast.outsider), q="blake@example.org")

    assert list(found) == [cast.case]
    assert list(outsider) == []


def test_case_search_never_matches_a_restricted_identifier(cast):
    # The victim's phone number is restricted: the case list takes no account
    # of compartments, so it never finds a case by it, for anyone.
    for persona in ("lead_worker", "partner_worker"):
        found = case_list_for(Access(getattr(cast, persona)), q="07700 900123")

        assert list(found) == [], persona
