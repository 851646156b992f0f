"""Exact matches on sealed identifiers go through the blind index, and never
confirm a restricted value to someone who may not see it."""

from masip.access.permissions import Compartment
from masip.access.policy import Access
from masip.people.models import Confidentiality
from masip.people.selectors import people_with_identifier_in_case
from masip.people.tests.factories import PersonIdentifierFactory
from tests.personas import PERSONAS


def _case_access(cast, persona):
    return Access(cast.persona(persona)).case_access(cast.case)


def test_people_with_identifier_in_case_matches_any_written_form(cast):
    PersonIdentifierFactory(person=cast.victim, kind="phone", value="07700 900555")

    found = people_with_identifier_in_case(
        case=cast.case,
        case_access=_case_access(cast, "lead_worker"),
        kind="phone",
        value="+44 7700 900 555",
    )

    assert found == [cast.victim]


def test_people_with_identifier_in_case_needs_the_same_kind_and_value(cast):
    PersonIdentifierFactory(person=cast.victim, kind="phone", value="07700 900555")
    access = _case_access(cast, "lead_worker")

    assert (
        people_with_identifier_in_case(
            case=cast.case, case_access=access, kind="phone", value="07700 900556"
        )
        == []
    )
    assert (
        people_with_identifier_in_case(
            case=cast.case, case_access=access, kind="other", value="07700 900555"
        )
        == []
    )
    assert (
        people_with_identifier_in_case(
            case=cast.case, case_access=access, kind="phone", value="  "
        )
        == []
    )


def test_people_with_identifier_in_case_hides_restricted_matches_without_compartment(
    cast,
):
    PersonIdentifierFactory(
        person=cast.victim,
        kind="email",
        value="hidden@example.org",
        confidentiality=Confidentiality.RESTRICTED,
    )
    PersonIdentifierFactory(
        person=cast.perpetrator,
        kind="email",
        value="open@example.org",
        confidentiality=Confidentiality.STANDARD,
    )
    persona = next(
        p
        for p in PERSONAS
        if not _case_access(cast, p).sees(Compartment.VICTIM_CONTACT)
    )
    access = _case_access(cast, persona)

    def search(value):
        return people_with_identifier_in_case(
            case=cast.case, case_access=access, kind="email", value=value
        )

    assert search("Hidden@Example.org") == []
    assert search("open@example.org") == [cast.perpetrator]
