"""Identity matching at intake: who may be told what about a possible match.

The cast's case (led by Police A) has Avery Testvictim (with a restricted
phone number, 07700 900123) and Blake Testperp on it.
"""

import datetime as dt

import pytest
from django.db import connection

from masip.access.policy import Access
from masip.cases.models import CaseStaffInvolvement
from masip.cases.tests.factories import CaseParticipantFactory
from masip.isolation.testing import as_role, make_app_role, reach_of
from masip.people.models import Confidentiality, DatePrecision, Person, PersonAlias
from masip.people.tests.factories import PersonIdentifierFactory
from masip.referrals.matching import (
    ELSEWHERE,
    Probe,
    case_hits,
    find_matches,
    normalise_name,
    probe_matches,
)

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row-level security exists on PostgreSQL only.",
)


def _victim(**extra):
    values = {"label": "The victim", "given_name": "Avery", "family_name": "Testvictim"}
    values.update(extra)
    return Probe(**values)


def _perp(**extra):
    values = {"label": "The person who stalks"}
    values.update(extra)
    return Probe(**values)


def _reasons(matches):
    return [list(c.reasons) for c in matches.candidates]


def test_normalise_name_ignores_case_and_spacing():
    assert normalise_name("  Avery   TESTVICTIM ") == "avery testvictim"


def test_a_same_name_match_in_reach_shows_the_person_and_case(cast):
    matches = probe_matches(
        _victim(given_name=" avery", family_name="TESTVICTIM "),
        access=Access(cast.lead_worker),
    )

    (candidate,) = matches.candidates
    assert candidate.person_name == "Avery Testvictim"
    assert candidate.role_label == "Victim"
    assert candidate.case_reference == cast.case.reference
    assert candidate.lead_agency_name == "Police A"
    assert candidate.reasons == ("Same name",)
    assert matches.elsewhere == []


def test_aliases_match_both_ways(cast):
    PersonAlias.objects.create(person=cast.perpetrator, name="Bee Testperp")
    access = Access(cast.lead_worker)

    recorded_alias = probe_matches(
        _perp(given_name="Bee", family_name="Testperp"), access=access
    )
    given_alias = probe_matches(
        _perp(given_name="Unknown", aliases=("Blake  Testperp",)), access=access
    )

    assert _reasons(recorded_alias) == [["Same name as a recorded alias"]]
    assert _reasons(given_alias) == [["Same name"]]


def test_a_date_of_birth_counts_only_with_the_family_name(cast):
    Person.objects.filter(pk=cast.perpetrator.pk).update(
        date_of_birth=dt.date(1980, 2, 3), birth_date_precision=DatePrecision.EXACT
    )
    access = Access(cast.lead_worker)
    born = dt.date(1980, 2, 3)

    same_family = probe_matches(
        _perp(given_name="Blakey", family_name="testperp", date_of_birth=born),
        access=access,
    )
    other_family = probe_matches(
        _perp(given_name="Blakey", family_name="Otherperp", date_of_birth=born),
        access=access,
    )

    assert _reasons(same_family) == [["Same date of birth and family name"]]
    assert not other_family.found


def test_an_approximate_date_of_birth_does_not_match(cast):
    Person.objects.filter(pk=cast.perpetrator.pk).update(
        date_of_birth=dt.date(1980, 1, 1),
        birth_date_precision=DatePrecision.APPROXIMATE,
    )

    matches = probe_matches(
        _perp(family_name="Testperp", date_of_birth=dt.date(1980, 1, 1)),
        access=Access(cast.lead_worker),
    )

    assert not matches.found


def test_identifiers_match_through_the_blind_index(cast):
    PersonIdentifierFactory(
        person=cast.perpetrator,
        kind="social_media",
        value="@Testperp_Handle",
        confidentiality=Confidentiality.STANDARD,
    )
    PersonIdentifierFactory(
        person=cast.perpetrator,
        kind="phone",
        value="07700 900777",
        confidentiality=Confidentiality.STANDARD,
    )

    matches = probe_matches(
        _perp(
            given_name="Blake",
            family_name="Testperp",
            identifiers=(
                ("phone", "+44 7700 900777"),
                ("social_media", "@testperp_handle"),
            ),
        ),
        access=Access(cast.lead_worker),
    )

    assert _reasons(matches) == [
        ["Same name", "Same phone number", "Same social media handle"]
    ]


def test_out_of_reach_matches_name_only_the_lead_agency(cast):
    matches = probe_matches(_victim(), access=Access(cast.outsider))

    assert matches.candidates == []
    assert matches.elsewhere == ["Police A"]
    assert matches.notices == [
        "A possible match exists on a case led by Police A. "
        "Contact them before going further."
    ]
    assert ELSEWHERE.format(agency="Police A") == matches.notices[0]


def test_several_cases_of_one_agency_are_one_notice(cast):
    from masip.cases.tests.factories import CaseFactory

    second = CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)
    CaseParticipantFactory(case=second, person=cast.victim, added_by=cast.lead_worker)

    matches = probe_matches(_victim(), access=Access(cast.outsider))

    assert matches.elsewhere == ["Police A"]


def test_a_person_on_cases_in_and_out_of_reach_shows_both_ways(cast):
    CaseParticipantFactory(
        case=cast.other_case, person=cast.victim, added_by=cast.outsider
    )

    matches = probe_matches(_victim(), access=Access(cast.lead_worker))

    assert [c.case_reference for c in matches.candidates] == [cast.case.reference]
    assert matches.elsewhere == ["Police B"]


def test_a_restricted_identifier_is_not_a_reason_without_the_compartment(cast):
    probe = _perp(identifiers=(("phone", "07700900123"),))  # the victim's, restricted

    probation = probe_matches(probe, access=Access(cast.partner_worker))
    advocacy = probe_matches(probe, access=Access(cast.advocate))

    assert probation.candidates == []
    assert probation.elsewhere == ["Police A"]
    assert _reasons(advocacy) == [["Same phone number"]]


def test_the_coordinator_sees_candidates_on_the_sites_cases(cast):
    matches = probe_matches(_victim(), access=Access(cast.panel_coordinator))

    assert [c.person_name for c in matches.candidates] == ["Avery Testvictim"]


def test_a_case_blocked_as_staff_involved_is_not_even_hinted_at(cast):
    CaseStaffInvolvement.objects.create(
        case=cast.case,
        agency=cast.police_a,
        reason="The suspect is a serving officer.",
        marked_by=cast.lead_manager,
    )

    police_a = probe_matches(_victim(), access=Access(cast.lead_worker))
    police_b = probe_matches(_victim(), access=Access(cast.outsider))

    assert not police_a.found
    assert police_b.elsewhere == ["Police A"]


def test_an_empty_probe_matches_nothing(cast):
    assert case_hits(_perp(), access=Access(cast.lead_worker)) == []


def test_find_matches_groups_by_person_and_counts(cast):
    report = find_matches(
        Access(cast.lead_worker),
        [_victim(), _perp(given_name="Blake", family_name="Testperp")],
    )

    assert [g.label for g in report.groups] == ["The victim", "The person who stalks"]
    assert report.found
    assert report.count == 2


# Row-level security (PostgreSQL) ------------------------------------------------------


@postgres_only
def test_under_row_level_security_an_out_of_reach_match_is_still_reported(cast):
    role = make_app_role()

    with as_role(role), reach_of(cast.outsider):
        hidden = Person.objects.filter(family_name="Testvictim").exists()
        matches = probe_matches(_victim(), access=Access(cast.outsider))

    assert not hidden  # the person is invisible to Police B...
    assert matches.candidates == []
    assert matches.elsewhere == ["Police A"]  # ...but the possible match is not


@postgres_only
def test_under_row_level_security_in_reach_matches_name_the_person(cast):
    role = make_app_role()

    with as_role(role), reach_of(cast.lead_worker):
        matches = probe_matches(_victim(), access=Access(cast.lead_worker))

    assert [c.person_name for c in matches.candidates] == ["Avery Testvictim"]


@postgres_only
def test_the_matching_function_returns_no_content(cast):
    role = make_app_role()

    with as_role(role), reach_of(cast.outsider), connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM masip_referral_matches("
            "%s::text[], %s::text, %s::date, %s::text[])",
            [["avery testvictim"], "testvictim", None, []],
        )
        columns = [c.name for c in cursor.description]
        rows = cursor.fetchall()

    assert columns == ["case_id", "lead_agency_id", "matched"]
    assert rows == [(cast.case.pk, cast.police_a.pk, ["name"])]


@postgres_only
def test_the_matching_function_leaves_out_cases_blocked_for_the_user(cast):
    CaseStaffInvolvement.objects.create(
        case=cast.case,
        agency=cast.police_a,
        reason="The suspect is a serving officer.",
        marked_by=cast.lead_manager,
    )
    role = make_app_role()

    with as_role(role), reach_of(cast.lead_worker):
        police_a = probe_matches(_victim(), access=Access(cast.lead_worker))
    with as_role(role), reach_of(cast.outsider):
        police_b = probe_matches(_victim(), access=Access(cast.outsider))

    assert not police_a.found
    assert police_b.elsewhere == ["Police A"]
