"""Staff home addresses: recorded by the user or an agency admin, sealed, unseen."""

import pytest
from django.urls import reverse

from masip.accounts.models import Membership, StaffHomeAddress
from masip.accounts.tests.factories import StaffHomeAddressFactory
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.crypto.blind import postcode_index

pytestmark = pytest.mark.django_db

OWN = reverse("accounts:home-address")
ADDRESS = {"line_1": "12 Larch Avenue", "postcode": "zz99 1aa"}


def _admin_url(user):
    membership = Membership.objects.get(user=user)
    return reverse("accounts:staff-home-address", args=[membership.pk])


def test_own_home_address_page_says_none_is_on_record(cast, client_for):
    response = client_for("lead_worker").get(OWN)

    assert response.status_code == 200
    assert "No address is on record." in response.content.decode()


def test_own_home_address_is_saved_sealed_with_its_blind_index(cast, client_for):
    response = client_for("lead_worker").post(OWN, ADDRESS)

    assert response.status_code == 302
    address = StaffHomeAddress.objects.get(user=cast.lead_worker)
    assert (address.line_1, address.postcode) == ("12 Larch Avenue", "ZZ99 1AA")
    assert address.postcode_index == postcode_index("ZZ991AA")
    stored = StaffHomeAddress.objects.values_list("line_1", "postcode").get()
    assert all(value.startswith("v1.") for value in stored)
    event = AuditEvent.objects.get(event_type=EventType.STAFF_HOME_ADDRESS_SET)
    assert event.actor_id == cast.lead_worker.pk
    assert event.target_id == str(cast.lead_worker.pk)
    assert event.changed_fields == ["line_1", "postcode"]


def test_own_home_address_page_never_shows_the_address(cast, client_for):
    StaffHomeAddressFactory(
        user=cast.lead_worker, line_1="12 Larch Avenue", postcode="ZZ99 1AA"
    )

    page = client_for("lead_worker").get(OWN).content.decode()

    assert "An address is on record" in page
    assert "Larch" not in page
    assert "ZZ99" not in page


def test_own_home_address_replaces_the_one_on_record(cast, client_for):
    StaffHomeAddressFactory(user=cast.lead_worker, postcode="ZZ98 2ZZ")

    client_for("lead_worker").post(OWN, ADDRESS)

    assert StaffHomeAddress.objects.get(user=cast.lead_worker).postcode == "ZZ99 1AA"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"line_1": "", "postcode": "ZZ99 1AA"}, "Enter the first line"),
        ({"line_1": "1 Road", "postcode": "12345"}, "Enter a real postcode"),
        ({"line_1": "1 Road", "postcode": ""}, "Enter the postcode."),
    ],
)
def test_own_home_address_refuses_bad_input(cast, client_for, data, error):
    response = client_for("lead_worker").post(OWN, data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not StaffHomeAddress.objects.exists()


def test_own_home_address_can_be_removed(cast, client_for):
    StaffHomeAddressFactory(user=cast.lead_worker)

    response = client_for("lead_worker").post(OWN, {"action": "remove"})

    assert response.status_code == 302
    assert not StaffHomeAddress.objects.exists()
    assert AuditEvent.objects.filter(
        event_type=EventType.STAFF_HOME_ADDRESS_REMOVED
    ).exists()


def test_agency_admin_records_a_member_s_home_address(cast, client_for):
    response = client_for("agency_admin").post(_admin_url(cast.lead_worker), ADDRESS)

    assert response.status_code == 302
    assert StaffHomeAddress.objects.get(user=cast.lead_worker).postcode == "ZZ99 1AA"
    event = AuditEvent.objects.get(event_type=EventType.STAFF_HOME_ADDRESS_SET)
    assert event.actor_id == cast.agency_admin.pk


def test_agency_admin_page_never_shows_the_address(cast, client_for):
    StaffHomeAddressFactory(
        user=cast.lead_worker, line_1="12 Larch Avenue", postcode="ZZ99 1AA"
    )

    page = client_for("agency_admin").get(_admin_url(cast.lead_worker))

    assert page.status_code == 200
    assert "Larch" not in page.content.decode()


def test_agency_admin_of_another_agency_gets_404(cast, client_for):
    url = _admin_url(cast.outsider)  # Police B; the admin is Police A's

    client = client_for("agency_admin")

    assert client.get(url).status_code == 404
    assert client.post(url, ADDRESS).status_code == 404
    assert not StaffHomeAddress.objects.exists()


def test_staff_without_the_verb_cannot_set_a_colleague_s_address(cast, client_for):
    response = client_for("lead_manager").post(_admin_url(cast.lead_worker), ADDRESS)

    assert response.status_code == 403
    assert not StaffHomeAddress.objects.exists()
