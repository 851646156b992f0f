"""The write paths still work when the application connects as its own role.

Creating a case (in the agency's name, or as a referral for another agency),
adding a new person with an alias and an address, and breaking the glass all
insert rows that the policies must accept, including rows not yet visible to
the statement that checks them. PostgreSQL only.
"""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from masip.access.actors import Actor
from masip.access.policy import Access
from masip.accounts.models import Membership
from masip.accounts.tests.stepup_helpers import factor_proved
from masip.cases import services as case_services
from masip.cases.models import Case
from masip.isolation.testing import as_role, make_app_role, reach_of
from masip.people import services as people_services
from masip.people.models import Address, Person

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row-level security exists on PostgreSQL only; SQLite relies on "
        "the application policy alone.",
    ),
]


def _actor(user) -> Actor:
    return Actor(user=user, membership=Membership.objects.get(user=user))


def _create(actor: Actor, lead_agency) -> Case:
    return case_services.case_create(
        actor=actor,
        lead_agency=lead_agency,
        summary="Synthetic referral",
        relationship_type="ex_partner",
        referral_source="police",
        referred_on=dt.date(2026, 3, 2),
    )


def test_cases_are_created_in_the_agencys_name_and_as_referrals(cast):
    role = make_app_role()
    with as_role(role):
        with reach_of(cast.lead_worker):
            led = _create(_actor(cast.lead_worker), cast.police_a)
            own = set(Case.objects.values_list("pk", flat=True))
        with reach_of(cast.helpline_adviser):
            referred = _create(_actor(cast.helpline_adviser), cast.police_b)
            referrals = set(Case.objects.values_list("pk", flat=True))

    assert own == {cast.case.pk, led.pk}
    assert referrals == {referred.pk}
    assert referrals == set(
        Access(cast.helpline_adviser).visible_cases().values_list("pk", flat=True)
    )


def test_a_new_person_is_added_with_aliases_and_an_address(cast):
    role = make_app_role()
    actor = _actor(cast.lead_worker)
    with as_role(role), reach_of(cast.lead_worker):
        person = people_services.person_add_to_case(
            actor=actor,
            case=cast.case,
            role="witness",
            given_name="Casey",
            family_name="Synthetic",
            aliases=["CJ"],
        )
        people_services.address_add(
            actor=actor,
            case=cast.case,
            person=person,
            line_1="4 Example Row",
            town="Testtown",
        )
        seen = Person.objects.filter(pk=person.pk).exists()
        addresses = [(a.line_1,) for a in Address.objects.filter(person=person)]

    assert seen
    assert addresses == [("4 Example Row",)]


def test_breaking_the_glass_through_the_page_opens_the_case(cast, client_for):
    client = client_for("outsider_manager")
    factor_proved(client)  # break-the-glass needs a fresh second factor
    detail = reverse("cases:case-detail", kwargs={"reference": cast.case.reference})
    role = make_app_role()

    with as_role(role):
        before = client.get(detail).status_code
        response = client.post(
            reverse("cases:break-glass"),
            {
                "reference": cast.case.reference,
                "reason": "Caller reports the perpetrator is outside the home now.",
                "confirm": "on",
            },
        )
        after = client.get(detail).status_code

    assert (before, response.status_code, after) == (404, 302, 200)
    assert response.url == detail
