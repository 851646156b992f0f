"""Searching people through the trigram indexes (PostgreSQL) or FTS5 (SQLite):
the same people as the plain ``icontains`` filter, found by the index."""

import random

import pytest
from django.db import connection
from django.db.models import Q, QuerySet
from django.test.utils import CaptureQueriesContext

from masip.access.policy import Access
from masip.cases.tests.factories import CaseParticipantFactory
from masip.people import search, selectors
from masip.people.models import Confidentiality, Person, PersonAlias
from masip.people.tests.factories import PersonFactory, PersonIdentifierFactory

SYLLABLES = ["an", "ber", "cal", "dra", "el", "fin", "gor", "ha", "is", "jo", "ka"]
ODD_NAMES = [
    ("Zoë", "Ó Súilleabháin"),
    ("ÉLODIE", "Łukasiewicz"),
    ("Mary Ann", "O'Neil-Smith"),
    ("Per_cent", "Fifty%Off"),
    ('Quote"d', "Back\\slash"),
]


def _old_search(access: Access, query: str, limit: int) -> list[Person]:
    """``person_search_visible`` as it was before the indexes (the reference)."""
    from masip.cases.models import CaseParticipant

    words = query.split()
    if not words:
        return []
    people: QuerySet[Person] = Person.objects.filter(
        pk__in=CaseParticipant.objects.filter(case__in=access.visible_cases()).values(
            "person_id"
        )
    )
    for word in words[:5]:
        people = people.filter(
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(
                pk__in=PersonAlias.objects.filter(name__icontains=word).values(
                    "person_id"
                )
            )
        )
    return list(people.order_by("family_name", "given_name", "id")[:limit])


def _name(rng: random.Random) -> str:
    return "".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))).title()


def generated_people(cast, count: int = 40) -> list[Person]:
    """Names built from a few syllables (so words overlap), odd names, aliases;
    most on the cast's case, some on a case out of the lead worker's reach."""
    rng = random.Random(33)
    names = [(_name(rng), _name(rng)) for _ in range(count)] + ODD_NAMES
    people = []
    for i, (given, family) in enumerate(names):
        person = PersonFactory(given_name=given, family_name=family)
        case = cast.other_case if i % 7 == 0 else cast.case
        CaseParticipantFactory(case=case, person=person)
        if i % 3 == 0:
            PersonAlias.objects.create(person=person, name=f"{_name(rng)} {_name(rng)}")
        people.append(person)
    return people


def generated_queries(people: list[Person]) -> list[str]:
    rng = random.Random(34)
    queries = [
        "an",
        "a",
        "AN",
        "ber cal",
        "zz",
        "%",
        "_",
        '"',
        "ë",
        "É",
        "o'neil",
        "mary ann",
        "fifty%",
        "per_c",
        'quote"',
        "slash",
        "an be ca dr el",
        "an be ca dr el fin",  # only the first five words count
    ]
    for person in people[:25]:
        full = f"{person.given_name} {person.family_name}"
        start = rng.randrange(len(full))
        for length in (1, 2, 3, 4, 6):
            queries.append(full[start : start + length])
        queries.append(f"{person.family_name[:3].upper()} {person.given_name[-2:]}")
    for alias in PersonAlias.objects.all()[:10]:
        queries.append(alias.name[1:5].lower())
    return [q for q in queries if q.strip()]


def test_person_search_finds_the_same_people_as_the_plain_filter(cast, monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_LIMIT", 1000)
    people = generated_people(cast)
    access = Access(cast.lead_worker)
    queries = generated_queries(people)

    differences = {
        q: (selectors.person_search_visible(access=access, query=q), expected)
        for q in queries
        if selectors.person_search_visible(access=access, query=q)
        != (expected := _old_search(access, q, 1000))
    }

    assert len(queries) > 150
    assert differences == {}
    found = sum(bool(_old_search(access, q, 1000)) for q in queries)
    assert found > len(queries) // 2  # the queries do find people


def test_person_search_keeps_the_first_twenty_in_name_order(cast):
    generated_people(cast, count=80)
    access = Access(cast.lead_worker)

    for query in ("a", "an"):
        found = selectors.person_search_visible(access=access, query=query)

        assert len(found) == selectors.SEARCH_LIMIT
        assert found == _old_search(access, query, selectors.SEARCH_LIMIT)


def test_person_search_follows_renames_and_deleted_aliases(cast):
    access = Access(cast.lead_worker)
    alias = PersonAlias.objects.create(person=cast.perpetrator, name="Nightjar")
    cast.perpetrator.family_name = "Renamedperp"
    cast.perpetrator.save()

    by_new_name = selectors.person_search_visible(access=access, query="renamed")
    by_old_name = selectors.person_search_visible(access=access, query="testperp")
    by_alias = selectors.person_search_visible(access=access, query="nightj")
    alias.delete()
    after_delete = selectors.person_search_visible(access=access, query="nightj")

    assert by_new_name == [cast.perpetrator]
    assert by_old_name == []
    assert by_alias == [cast.perpetrator]
    assert after_delete == []


def test_person_search_finds_people_inserted_in_bulk(cast):
    rows = [
        Person(
            given_name="Bulkfirst",
            family_name=f"Bulkrow{i}",
            created_by=cast.lead_worker,
            created_by_agency=cast.police_a,
        )
        for i in range(3)
    ]
    Person.objects.bulk_create(rows)
    for person in Person.objects.filter(given_name="Bulkfirst"):
        CaseParticipantFactory(case=cast.case, person=person)
    with connection.cursor() as cursor:  # as the national seeder writes: no ORM
        cursor.executemany(
            "INSERT INTO people_personalias (person_id, name, kind, created_at, "
            "updated_at) VALUES (%s, %s, 'alias', %s, %s)",
            [(cast.victim.pk, "Kestrelwing", "2026-01-01", "2026-01-01")],
        )
    access = Access(cast.lead_worker)

    bulk = selectors.person_search_visible(access=access, query="bulkrow bulkfirst")
    aliased = selectors.person_search_visible(access=access, query="kestrel")

    assert [p.family_name for p in bulk] == ["Bulkrow0", "Bulkrow1", "Bulkrow2"]
    assert aliased == [cast.victim]


def test_short_words_narrow_after_the_long_ones(cast):
    access = Access(cast.lead_worker)

    found = selectors.person_search_visible(access=access, query="av testvictim")
    missed = selectors.person_search_visible(access=access, query="zq testvictim")

    assert found == [cast.victim]
    assert missed == []


def test_name_search_is_answered_from_the_index(cast):
    people = Person.objects.all()
    query = search.with_every_word(people, ["testvictim"])

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            sql, params = query.query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "people_person_family_trgm" in plan
            assert "people_alias_name_trgm" in plan
        else:
            sql, params = query.query.sql_with_params()
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            assert "VIRTUAL TABLE INDEX" in plan
            assert "people_person_fts" in plan
    assert list(query) == [cast.victim]


# Identifiers --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("07700 900123", "phone"),
        ("+44 7700 900123", "phone"),
        ("someone@example.org", "email"),
        ("@handle_name", "social_media"),
        ("AB12 CDE", "vehicle"),
        ("CRN X123456", "probation_ref"),
        ("01/123456X", "police_ref"),
    ],
)
def test_identifier_kinds_recognise_the_shapes(text, kind):
    assert kind in search.identifier_kinds(text)


@pytest.mark.parametrize("text", ["Avery", "Mary Ann", "O'Neil-Smith", "an"])
def test_identifier_kinds_see_no_identifier_in_a_name(text):
    assert search.identifier_kinds(text) == []


def test_restricted_identifier_finds_the_person_only_with_victim_contact(cast):
    # The victim's phone number is restricted (the persona's default).
    for persona in ("lead_worker", "advocate"):
        found = selectors.person_search_visible(
            access=Access(getattr(cast, persona)), query="+44 7700 900123"
        )
        assert found == [cast.victim], persona
    for persona in ("partner_worker", "clinician", "outsider"):
        found = selectors.person_search_visible(
            access=Access(getattr(cast, persona)), query="07700 900123"
        )
        assert found == [], persona


def test_standard_identifier_finds_the_person_for_anyone_on_the_case(cast):
    PersonIdentifierFactory(
        person=cast.perpetrator,
        kind="vehicle",
        value="AB12 CDE",
        confidentiality=Confidentiality.STANDARD,
    )

    partner = selectors.person_search_visible(
        access=Access(cast.partner_worker), query="ab12cde"
    )
    outsider = selectors.person_search_visible(
        access=Access(cast.outsider), query="AB12 CDE"
    )

    assert partner == [cast.perpetrator]
    assert outsider == []


def test_identifier_matches_join_the_name_matches(cast):
    stranger = PersonFactory(given_name="Ab12cde", family_name="Plate")
    CaseParticipantFactory(case=cast.case, person=stranger)
    PersonIdentifierFactory(
        person=cast.perpetrator,
        kind="vehicle",
        value="AB12CDE",
        confidentiality=Confidentiality.STANDARD,
    )

    found = selectors.person_search_visible(
        access=Access(cast.lead_worker), query="ab12cde"
    )

    assert found == [stranger, cast.perpetrator]  # by family name: Plate, Testperp


def test_identifier_search_of_a_person_on_another_sites_case_finds_nothing(cast):
    hidden = PersonFactory()
    CaseParticipantFactory(case=cast.other_case, person=hidden)
    PersonIdentifierFactory(
        person=hidden,
        value="07700 900777",
        confidentiality=Confidentiality.STANDARD,
    )

    found = selectors.person_search_visible(
        access=Access(cast.lead_worker), query="07700900777"
    )

    assert found == []


def test_person_search_query_count_is_constant(cast):
    access = Access(cast.lead_worker)

    def queries_for(query: str, people: int) -> int:
        for i in range(people):
            person = PersonFactory(given_name="Countme", family_name=f"Row{i}")
            CaseParticipantFactory(case=cast.case, person=person)
            PersonAlias.objects.create(person=person, name=f"Countalias {i}")
        with CaptureQueriesContext(connection) as captured:
            selectors.person_search_visible(
                access=Access(cast.lead_worker), query=query
            )
        return len(captured)

    few = queries_for("countme", 2)
    many = queries_for("countme", 18)

    # The memberships (with whether the user declared a conflict), the
    # break-the-glass grants; on PostgreSQL, the word through the trigram
    # function (people 0006); the people matching the words, their
    # participations, which of those cases are visible; the people and their
    # aliases.
    expected = 8 if connection.vendor == "postgresql" else 7
    assert few == many == expected
    assert len(selectors.person_search_visible(access=access, query="countme")) == 20
