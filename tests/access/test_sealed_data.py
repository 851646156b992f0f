"""Sealed compartments never leave the server for anyone not granted them.

Every page of the URL map is fetched as every persona, and the HTML is
searched for canary values planted in each compartment of the standard
cast's case: the victim's restricted address and phone number and safe-contact
code word (victim location and contact), a health note, and a police
intelligence note. A persona may see a canary only if the policy grants them
its compartment on that case.
"""

import pytest

from masip.access.actors import PURPOSE_SESSION_PREFIX
from masip.access.permissions import Compartment
from masip.access.policy import Access
from masip.cases.models import CaseNote
from masip.incidents.models import Incident
from masip.people.models import Confidentiality
from tests.access.test_url_matrix import ALL_URLS, _fill
from tests.personas import PERSONAS

CANARIES = {
    Compartment.VICTIM_CONTACT: (
        b"1 Sealed Street",
        b"07700 900123",
        b"Bluebell",
        b"Behind the sealed bus shelter",
    ),
    Compartment.HEALTH: (b"sealed health text",),
    Compartment.POLICE_INTEL: (b"sealed police text",),
}


@pytest.fixture
def sealed_cast(cast):
    # Saved through the model: the location column is sealed at rest.
    incident = Incident.objects.get(pk=cast.incident.pk)
    incident.location = "Behind the sealed bus shelter"
    incident.location_confidentiality = Confidentiality.RESTRICTED
    incident.save(update_fields=["location", "location_confidentiality"])
    assert CaseNote.objects.filter(case=cast.case).count() == 2
    return cast


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_shows_a_compartment_the_persona_is_not_granted(
    sealed_cast, client_for, persona
):
    client = client_for(persona)
    granted = Access(sealed_cast.persona(persona)).case_access(sealed_cast.case)
    if granted.requires_purpose:
        session = client.session
        session[PURPOSE_SESSION_PREFIX + sealed_cast.case.reference] = "Quality audit"
        session.save()
    leaks = []

    for name, route, _ in ALL_URLS:
        response = client.get(_fill(route, sealed_cast))
        for compartment, canaries in CANARIES.items():
            if granted.sees(compartment):
                continue
            leaks.extend(
                f"{name}: {canary.decode()}"
                for canary in canaries
                if canary in response.content
            )

    assert not leaks, leaks


def test_canaries_are_visible_to_those_granted(sealed_cast, client_for):
    """The test above can fail: the lead worker does see contact and intelligence."""
    client = client_for("lead_worker")
    ref, victim = sealed_cast.case.reference, sealed_cast.victim.public_id

    person = client.get(f"/cases/{ref}/people/{victim}/").content
    notes = client.get(f"/cases/{ref}/notes/").content
    timeline = client.get(f"/cases/{ref}/incidents/").content

    assert b"1 Sealed Street" in person
    assert b"Bluebell" in person
    assert b"Behind the sealed bus shelter" in timeline
    assert b"sealed police text" in notes
    assert b"sealed health text" not in notes
