"""Sealed compartments never leave the server for anyone not granted them, and
victim location and contact details stay masked until revealed.

Every page of the URL map is fetched as every persona, and the HTML is
searched for canary values planted in each compartment of the standard
cast's case: the victim's restricted address and phone number and safe-contact
code word, and a restricted incident location (victim location and contact),
a health note, and a police intelligence note. A persona may see a health or
police canary only if the policy grants them its compartment on that case; a
victim-contact canary only if it is granted *and* they have revealed it for
that case, within the last ``MASIP_REVEAL_MINUTES``, in this sign-in.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from masip.access import reveal
from masip.access.actors import PURPOSE_SESSION_PREFIX
from masip.access.models import SealedReveal
from masip.access.permissions import Compartment
from masip.access.policy import Access
from masip.access.tests.factories import reveal_for
from masip.accounts.tests.factories import authenticator_for, totp_code
from masip.accounts.tests.stepup_helpers import factor_proved
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.models import CaseNote
from masip.cases.tests.factories import CaseFactory
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
DETAIL = "Calling the victim about the hearing on Monday."


@pytest.fixture
def sealed_cast(cast):
    # Saved through the model: the location column is sealed at rest.
    incident = Incident.objects.get(pk=cast.incident.pk)
    incident.location = "Behind the sealed bus shelter"
    incident.location_confidentiality = Confidentiality.RESTRICTED
    incident.save(update_fields=["location", "location_confidentiality"])
    assert CaseNote.objects.filter(case=cast.case).count() == 2
    return cast


def _client(cast, client_for, persona):
    client = client_for(persona)
    if Access(cast.persona(persona)).case_access(cast.case).requires_purpose:
        session = client.session
        session[PURPOSE_SESSION_PREFIX + cast.case.reference] = "Quality audit"
        session.save()
    return client


def _walk(client, cast):
    """Every page of the URL map, as (name, html)."""
    for name, route, _ in ALL_URLS:
        response = client.get(_fill(route, cast))
        # Evidence downloads stream; read them whole like any page.
        if response.streaming:
            yield name, b"".join(response.streaming_content)
        else:
            yield name, response.content


def _victim_canaries_on(pages):
    return {
        canary
        for _, html in pages
        for canary in CANARIES[Compartment.VICTIM_CONTACT]
        if canary in html
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_shows_a_compartment_the_persona_is_not_granted(
    sealed_cast, client_for, persona
):
    client = _client(sealed_cast, client_for, persona)
    granted = Access(sealed_cast.persona(persona)).case_access(sealed_cast.case)
    leaks = []

    for name, html in _walk(client, sealed_cast):
        for compartment, canaries in CANARIES.items():
            if granted.sees(compartment) and compartment != Compartment.VICTIM_CONTACT:
                continue
            # Victim contact: masked even when granted, until revealed.
            leaks.extend(
                f"{name}: {canary.decode()}" for canary in canaries if canary in html
            )

    assert not leaks, leaks


@pytest.mark.parametrize("persona", PERSONAS)
def test_after_a_reveal_only_the_granted_see_victim_details(
    sealed_cast, client_for, persona
):
    client = _client(sealed_cast, client_for, persona)
    reveal_for(sealed_cast.persona(persona), sealed_cast.case)
    granted = (
        Access(sealed_cast.persona(persona))
        .case_access(sealed_cast.case)
        .sees(Compartment.VICTIM_CONTACT)
    )

    seen = _victim_canaries_on(_walk(client, sealed_cast))

    expected = set(CANARIES[Compartment.VICTIM_CONTACT]) if granted else set()
    assert seen == expected


def test_canaries_are_visible_to_those_granted(sealed_cast, client_for):
    """The tests above can fail: the lead worker does see contact and intelligence."""
    client = client_for("lead_worker")
    reveal_for(sealed_cast.lead_worker, sealed_cast.case)
    ref, victim = sealed_cast.case.reference, sealed_cast.victim.public_id

    person = client.get(f"/cases/{ref}/people/{victim}/").content
    notes = client.get(f"/cases/{ref}/notes/").content
    timeline = client.get(f"/cases/{ref}/incidents/").content

    assert b"1 Sealed Street" in person
    assert b"Bluebell" in person
    assert b"Behind the sealed bus shelter" in timeline
    assert b"sealed police text" in notes
    assert b"sealed health text" not in notes


# The reveal page ---------------------------------------------------------------


def _person_url(cast):
    return reverse(
        "people:person-detail",
        kwargs={"reference": cast.case.reference, "public_id": cast.victim.public_id},
    )


def _reveal_url(cast):
    return reverse("cases:reveal", kwargs={"reference": cast.case.reference})


def _reveal(client, cast, **overrides):
    data = {
        "reason": "contact_victim",
        "detail": DETAIL,
        "next": _person_url(cast),
        **overrides,
    }
    return client.post(_reveal_url(cast), data)


def test_reveal_with_a_reason_and_a_code_shows_the_details(sealed_cast, client_for):
    client = client_for("advocate")
    code = totp_code(authenticator_for(sealed_cast.advocate))

    form = client.get(f"{_reveal_url(sealed_cast)}?next={_person_url(sealed_cast)}")
    response = _reveal(client, sealed_cast, step_up_code=code)
    person = client.get(_person_url(sealed_cast)).content

    assert "Code from your authenticator app" in form.text
    assert response.status_code == 302
    assert response.url == _person_url(sealed_cast)
    assert b"1 Sealed Street" in person
    assert b"End reveal" in person
    row = SealedReveal.objects.get()
    assert (row.user, row.case, row.reason) == (
        sealed_cast.advocate,
        sealed_cast.case,
        "contact_victim",
    )
    assert row.detail == DETAIL
    assert row.agency == sealed_cast.advocacy_a
    assert row.expires_at - row.revealed_at == dt.timedelta(minutes=15)
    event = AuditEvent.objects.get(event_type=EventType.SEALED_REVEALED)
    assert event.case_reference == sealed_cast.case.reference
    assert event.target_id == str(row.pk)
    assert AuditEvent.objects.filter(
        event_type=EventType.STEP_UP_VERIFIED,
        case_reference=sealed_cast.case.reference,
    ).exists()


def test_the_reason_is_never_in_the_audit_trail(sealed_cast, client_for):
    client = client_for("advocate")
    factor_proved(client)

    _reveal(client, sealed_cast)

    for values in AuditEvent.objects.values():
        assert not any(DETAIL in str(value) for value in values.values())


def test_reveal_with_a_wrong_code_reveals_nothing(sealed_cast, client_for):
    client = client_for("advocate")

    response = _reveal(client, sealed_cast, step_up_code="123456")

    assert response.status_code == 200
    assert "The code is not correct." in response.text
    assert not SealedReveal.objects.exists()
    assert AuditEvent.objects.filter(event_type=EventType.STEP_UP_FAILED).exists()
    assert b"1 Sealed Street" not in client.get(_person_url(sealed_cast)).content


def test_reveal_with_a_fresh_factor_asks_only_for_the_reason(sealed_cast, client_for):
    client = client_for("advocate")
    factor_proved(client, ago=dt.timedelta(minutes=4))

    form = client.get(_reveal_url(sealed_cast))
    response = _reveal(client, sealed_cast)

    assert "Code from your authenticator app" not in form.text
    assert response.status_code == 302
    assert SealedReveal.objects.count() == 1


def test_reveal_needs_a_reason_and_details(sealed_cast, client_for):
    client = client_for("advocate")
    factor_proved(client)

    response = _reveal(client, sealed_cast, reason="", detail="short")

    assert response.status_code == 200
    assert "Select why you need to see the victim&#x27;s details." in response.text
    assert "Details must be 10 characters or more." in response.text
    assert not SealedReveal.objects.exists()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_reveal_never_redirects_off_site(sealed_cast, client_for, target):
    client = client_for("advocate")
    factor_proved(client)

    response = _reveal(client, sealed_cast, next=target)

    assert response.status_code == 302
    assert response.url == f"/cases/{sealed_cast.case.reference}/"


def test_reveal_lasts_the_configured_minutes(sealed_cast, client_for, settings):
    settings.MASIP_REVEAL_MINUTES = 7
    client = client_for("advocate")
    factor_proved(client)

    _reveal(client, sealed_cast)

    row = SealedReveal.objects.get()
    assert row.expires_at - row.revealed_at == dt.timedelta(minutes=7)


def test_revealing_again_replaces_the_reveal(sealed_cast, client_for):
    client = client_for("advocate")
    factor_proved(client)

    _reveal(client, sealed_cast)
    _reveal(client, sealed_cast)

    assert SealedReveal.objects.count() == 2
    assert SealedReveal.objects.filter(ended_at__isnull=True).count() == 1


@pytest.mark.parametrize("persona", ["partner_worker", "clinician"])
def test_roles_without_the_compartment_cannot_reveal(sealed_cast, client_for, persona):
    client = client_for(persona)
    factor_proved(client)

    page = client.get(_reveal_url(sealed_cast))
    response = _reveal(client, sealed_cast)
    person = client.get(_person_url(sealed_cast)).text

    assert page.status_code == response.status_code == 403
    assert not SealedReveal.objects.exists()
    assert "not granted this compartment" in person
    assert "Reveal victim location and contact details" not in person


def test_reveal_page_is_404_out_of_reach(sealed_cast, client_for):
    client = client_for("outsider")

    assert client.get(_reveal_url(sealed_cast)).status_code == 404
    assert _reveal(client, sealed_cast).status_code == 404


# How a reveal ends ---------------------------------------------------------------


def _shown(cast, persona):
    return reveal.victim_contact(Access(cast.persona(persona)), cast.case).shown


def test_a_reveal_expires(sealed_cast, client_for):
    reveal_for(sealed_cast.advocate, sealed_cast.case)
    client = client_for("advocate")
    assert b"1 Sealed Street" in client.get(_person_url(sealed_cast)).content

    past = timezone.now() - dt.timedelta(seconds=1)
    SealedReveal.objects.update(
        revealed_at=past - dt.timedelta(minutes=15), expires_at=past
    )

    assert b"1 Sealed Street" not in client.get(_person_url(sealed_cast)).content


def test_another_users_reveal_does_not_count(sealed_cast, client_for):
    reveal_for(sealed_cast.lead_worker, sealed_cast.case)

    html = client_for("advocate").get(_person_url(sealed_cast)).content

    assert b"1 Sealed Street" not in html
    assert b"Reveal victim location and contact details" in html


def test_another_cases_reveal_does_not_count(sealed_cast, client_for):
    other = CaseFactory(
        lead_agency=sealed_cast.police_a, created_by=sealed_cast.lead_worker
    )
    reveal_for(sealed_cast.lead_worker, other)

    html = client_for("lead_worker").get(_person_url(sealed_cast)).content

    assert b"1 Sealed Street" not in html


def test_end_reveal_hides_the_details_again(sealed_cast, client_for):
    reveal_for(sealed_cast.advocate, sealed_cast.case)
    client = client_for("advocate")
    end = reverse("cases:reveal-end", kwargs={"reference": sealed_cast.case.reference})

    response = client.post(end, {"next": _person_url(sealed_cast)})
    again = client.post(end, {"next": _person_url(sealed_cast)})

    assert response.status_code == again.status_code == 302
    assert response.url == _person_url(sealed_cast)
    assert not _shown(sealed_cast, "advocate")
    assert b"1 Sealed Street" not in client.get(_person_url(sealed_cast)).content
    assert (
        AuditEvent.objects.filter(event_type=EventType.SEALED_REVEAL_ENDED).count() == 1
    )


def test_signing_out_ends_the_reveal(sealed_cast, client_for):
    reveal_for(sealed_cast.advocate, sealed_cast.case)
    assert _shown(sealed_cast, "advocate")

    client_for("advocate").post(reverse("accounts:sign-out"))

    assert not _shown(sealed_cast, "advocate")
    fresh = client_for("advocate").get(_person_url(sealed_cast)).content
    assert b"1 Sealed Street" not in fresh
