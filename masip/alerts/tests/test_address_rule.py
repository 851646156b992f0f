"""The shared-address detector: fires on a synthetic scenario, quiet on near misses.

The standard cast's victim has an address "1 Sealed Street, ZZ99 9ZZ"
(synthetic); lead_worker has the case allocated, lead_manager does not.
"""

import pytest

from masip.accounts.tests.factories import StaffHomeAddressFactory
from masip.alerts import engine
from masip.alerts.models import Alert, RuleCode
from masip.alerts.rules.base import EventContext
from masip.alerts.rules.casework import AddressMatchRule
from masip.alerts.tests.support import act, record_at
from masip.audit.events import EventType as E
from masip.people.models import Address
from masip.people.tests.factories import AddressFactory

pytestmark = pytest.mark.django_db


def _alerts():
    return list(Alert.objects.filter(rule=RuleCode.ADDRESS_MATCH))


def test_address_match_fires_when_the_whole_address_matches_even_when_allocated(
    cast,
):
    # Written differently from the victim's: case, spacing and punctuation.
    StaffHomeAddressFactory(
        user=cast.lead_worker, line_1="1, sealed  STREET", postcode="zz999zz"
    )

    act(E.CASE_VIEWED, cast.lead_worker, case_reference=cast.case.reference)

    (alert,) = _alerts()
    assert alert.subject == cast.lead_worker
    assert alert.case_reference == cast.case.reference
    assert alert.summary == (
        f"Opened case {cast.case.reference}, where an address held for the "
        "victim matches the user's recorded home address."
    )


def test_address_match_never_puts_the_address_in_the_alert(cast):
    StaffHomeAddressFactory(
        user=cast.lead_worker, line_1="1 Sealed Street", postcode="ZZ99 9ZZ"
    )

    act(E.PERSON_VIEWED, cast.lead_worker, case_reference=cast.case.reference)

    (alert,) = _alerts()
    for secret in ("Sealed", "ZZ99", "9ZZ", "Testvictim"):
        assert secret not in alert.summary


def test_address_match_on_the_postcode_alone_fires_outside_allocation(cast):
    StaffHomeAddressFactory(
        user=cast.lead_manager, line_1="3 Sealed Street", postcode="ZZ99 9ZZ"
    )

    act(E.CASE_PAGE_OPENED, cast.lead_manager, case_reference=cast.case.reference)

    (alert,) = _alerts()
    assert alert.summary.endswith(
        "an address held for the victim is at the user's recorded home postcode."
    )


def test_address_match_on_the_postcode_alone_is_quiet_on_allocated_work(cast):
    StaffHomeAddressFactory(
        user=cast.lead_worker, line_1="3 Sealed Street", postcode="ZZ99 9ZZ"
    )

    act(E.CASE_VIEWED, cast.lead_worker, case_reference=cast.case.reference)

    assert _alerts() == []


def test_address_match_is_quiet_for_an_address_elsewhere(cast):
    StaffHomeAddressFactory(
        user=cast.lead_manager, line_1="1 Sealed Street", postcode="ZZ98 1ZZ"
    )

    act(E.CASE_VIEWED, cast.lead_manager, case_reference=cast.case.reference)

    assert _alerts() == []


def test_address_match_is_quiet_for_staff_with_no_address_on_record(cast):
    act(E.CASE_VIEWED, cast.lead_manager, case_reference=cast.case.reference)

    assert _alerts() == []


def test_address_match_covers_former_addresses_and_names_the_role(cast):
    AddressFactory(
        person=cast.perpetrator,
        line_1="7 Old Road",
        postcode="ZZ97 7ZZ",
        is_current=False,
    )
    StaffHomeAddressFactory(
        user=cast.lead_worker, line_1="7 Old Road", postcode="ZZ97 7ZZ"
    )

    act(E.INCIDENT_VIEWED, cast.lead_worker, case_reference=cast.case.reference)

    (alert,) = _alerts()
    assert "held for the person who stalks matches" in alert.summary


def test_address_match_ignores_people_on_other_cases(cast):
    other = AddressFactory(line_1="9 Far Away", postcode="ZZ96 6ZZ")
    StaffHomeAddressFactory(
        user=cast.lead_manager, line_1="9 Far Away", postcode="ZZ96 6ZZ"
    )

    act(E.CASE_VIEWED, cast.lead_manager, case_reference=cast.case.reference)

    assert other.person.participations.count() == 0
    assert _alerts() == []


def test_address_match_matches_through_the_blind_index_not_the_sealed_column(
    cast, django_assert_max_num_queries
):
    home = StaffHomeAddressFactory(
        user=cast.lead_worker, line_1="1 Sealed Street", postcode="ZZ99 9ZZ"
    )
    event = record_at(
        E.CASE_VIEWED, cast.lead_worker, case_reference=cast.case.reference
    )
    victim_address = Address.objects.get(person=cast.victim)

    with django_assert_max_num_queries(4) as captured:
        finding = AddressMatchRule().evaluate(EventContext(event))

    assert finding is not None
    assert home.postcode_index == victim_address.postcode_index != ""
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    # The keyed index is what the query compares; no sealed token or
    # plaintext postcode is ever sent to the database.
    assert home.postcode_index in sql
    assert "ZZ99" not in sql
    assert "v1." not in sql


def test_address_match_costs_one_query_for_staff_with_no_address(
    cast, django_assert_num_queries
):
    event = record_at(
        E.CASE_VIEWED, cast.lead_worker, case_reference=cast.case.reference
    )

    with django_assert_num_queries(1):
        assert AddressMatchRule().evaluate(EventContext(event)) is None


def test_address_match_replayed_twice_raises_one_alert(cast):
    StaffHomeAddressFactory(
        user=cast.lead_worker, line_1="1 Sealed Street", postcode="ZZ99 9ZZ"
    )
    event = record_at(
        E.CASE_VIEWED, cast.lead_worker, case_reference=cast.case.reference
    )

    assert engine.evaluate(event) == 1
    assert engine.evaluate(event) == 0

    assert len(_alerts()) == 1
