"""A perpetrator's subject access request discloses nothing about the victim.

The threat (SECURITY.md §10, DOMAIN.md §6.4): a person who stalks asks, under
UK GDPR Art 15 or DPA 2018 s.45, for "everything you hold about me", hoping
the file names the victim's new address, phone or the places they go. The
whole journey runs through the pages, as the staff would: record, verify,
link, draft, review, release, download.
"""

import datetime as dt
import re

import pytest
from django.test import Client

from masip.accounts import mfa
from masip.accounts.tests.factories import authenticator_for, totp_code
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.models import CaseNote, ParticipantRole
from masip.cases.tests.factories import CaseNoteFactory, CaseParticipantFactory
from masip.disclosure.models import (
    DefaultDecision,
    DisclosureItem,
    ItemCategory,
    RequestStatus,
    SubjectAccessRequest,
)
from masip.disclosure.tests.pdf_text import pdf_text
from masip.incidents.tests.factories import IncidentFactory
from masip.people.models import PersonIdentifier
from masip.people.tests.factories import (
    AddressFactory,
    PersonFactory,
    PersonIdentifierFactory,
)
from tests.personas import Cast

PERP_DOB = dt.date(1984, 2, 29)


@pytest.fixture
def scenario(cast: Cast) -> dict[str, list[str]]:
    """The cast's case made richer: a witness, more incidents, more victim details.

    Returns the needles: every victim identifier and location, and the witness's.
    """
    cast.perpetrator.date_of_birth = PERP_DOB
    cast.perpetrator.birth_date_precision = "exact"
    cast.perpetrator.save()
    AddressFactory(
        person=cast.perpetrator, line_1="2 Requester Road", town="Ownton", postcode=""
    )
    PersonIdentifierFactory(
        person=cast.perpetrator,
        kind=PersonIdentifier.Kind.VEHICLE,
        value="PERP 123",
    )
    victim_home = AddressFactory(
        person=cast.victim,
        line_1="Flat 3, 27 Quillon Mews",
        line_2="Upper Brackley",
        town="Harrowgate Vale",
        postcode="QX7 2LP",
    )
    PersonIdentifierFactory(
        person=cast.victim,
        kind=PersonIdentifier.Kind.EMAIL,
        value="avery.private@example.test",
    )
    witness = PersonFactory(
        given_name="Morgan",
        family_name="Testwitness",
        created_by=cast.lead_worker,
        created_by_agency=cast.police_a,
    )
    AddressFactory(person=witness, line_1="8 Witness Row", postcode="WW1 1WW")
    CaseParticipantFactory(
        case=cast.case,
        person=witness,
        role=ParticipantRole.WITNESS,
        added_by=cast.lead_worker,
    )
    IncidentFactory(
        case=cast.case,
        location="Car park of Wrenfield Library",
        narrative=(
            "Followed Avery Testvictim from Wrenfield Library to Quillon Mews; "
            "Morgan Testwitness saw it happen."
        ),
        impact="Avery no longer uses the library.",
        recorded_by=cast.lead_worker,
        recorded_by_agency=cast.police_a,
    )
    CaseNoteFactory(
        case=cast.case,
        kind=CaseNote.Kind.GENERAL,
        text="Avery has moved to Harrowgate Vale; new number 07700 900456.",
        author=cast.lead_worker,
        agency=cast.police_a,
    )
    victim_addresses = [*cast.victim.addresses.all()]
    assert victim_home in victim_addresses
    needles = [cast.victim.given_name, cast.victim.family_name, "07700 900456"]
    for address in victim_addresses:
        needles += [address.line_1, address.line_2, address.town, address.postcode]
    needles += [i.value for i in cast.victim.identifiers.all()]
    needles += [i.location for i in cast.case.incidents.all()]
    safe = cast.victim.safe_contact
    needles += [safe.code_word, safe.safe_times]
    needles += ["Morgan", "Testwitness", "8 Witness Row", "WW1 1WW"]
    return {"needles": [n for n in needles if n]}


def _found(text: str, needles: list[str]) -> list[str]:
    """The needles present in ``text``, as whole words, ignoring case and spacing."""
    flat = " ".join(text.split()).lower()
    found = []
    for needle in needles:
        pattern = r"\b" + r"\s+".join(map(re.escape, needle.lower().split())) + r"\b"
        if re.search(pattern, flat):
            found.append(needle)
    return found


def _record_and_link(client: Client, cast: Cast) -> SubjectAccessRequest:
    response = client.post(
        "/subject-access/new/",
        {
            "agency": str(cast.police_a.pk),
            "regime": "law_enforcement",
            "requester_given_name": "Blake",
            "requester_family_name": "Testperp",
            "requester_date_of_birth_day": PERP_DOB.day,
            "requester_date_of_birth_month": PERP_DOB.month,
            "requester_date_of_birth_year": PERP_DOB.year,
            "received_on_day": "1",
            "received_on_month": "3",
            "received_on_year": "2025",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    return SubjectAccessRequest.objects.get()


def _url(sar: SubjectAccessRequest, tail: str = "") -> str:
    return f"/subject-access/{sar.public_id}/{tail}"


def _verify_link_and_build(client: Client, cast: Cast) -> SubjectAccessRequest:
    sar = _record_and_link(client, cast)
    client.post(
        _url(sar, "identity/"),
        {"method": "in_person", "evidence": "Passport; name and birth date match."},
    )
    page = client.get(_url(sar, "records/")).content.decode()
    assert "Blake Testperp" in page
    assert "Testvictim" not in page
    client.post(_url(sar, "records/"), {"people": [str(cast.perpetrator.pk)]})
    response = client.post(_url(sar, "draft/"))
    assert response.status_code == 302
    sar.refresh_from_db()
    assert sar.status == RequestStatus.IN_REVIEW
    return sar


def test_the_draft_holds_no_victim_identifier_or_location_by_default(
    cast, client_for, scenario
):
    sar = _verify_link_and_build(client_for("lead_manager"), cast)

    items = list(DisclosureItem.objects.filter(request=sar))

    assert len(items) >= 20
    leaks = {
        item.position: _found(f"{item.label}\n{item.text}", scenario["needles"])
        for item in items
    }
    assert not {k: v for k, v in leaks.items() if v}
    # The requester's own data is there, included; nothing else is.
    own = [i for i in items if i.default_decision == DefaultDecision.INCLUDE]
    assert any("Blake Testperp" in i.text for i in own)
    assert any("PERP 123" in i.text for i in own)
    assert all(i.category == ItemCategory.OWN for i in own)
    assert not any("Requester Road" in i.text for i in items)
    by_field = {(i.source_type, i.field, i.subject) for i in items}
    assert ("participant", "identity", "third_party") in by_field
    for item in items:
        if item.category in (ItemCategory.IDENTITY, ItemCategory.LOCATION):
            assert item.default_decision == DefaultDecision.EXCLUDE, item.label
        if item.category == ItemCategory.FREE_TEXT:
            assert item.default_decision == DefaultDecision.REVIEW, item.label
    # No decision has been taken for the reviewer.
    assert not any(i.decision for i in items)


def test_no_draft_before_identity_is_verified(cast, client_for, scenario):
    client = client_for("lead_manager")
    sar = _record_and_link(client, cast)
    client.post(_url(sar, "records/"), {"people": [str(cast.perpetrator.pk)]})

    response = client.post(_url(sar, "draft/"), follow=True)

    assert "Verify the requester" in response.content.decode()
    assert not DisclosureItem.objects.filter(request=sar).exists()
    sar.refresh_from_db()
    assert sar.status == RequestStatus.RECEIVED


def _release(client: Client, sar: SubjectAccessRequest, **extra: str):
    return client.post(_url(sar, "release/"), {"confirm": "on", **extra})


def test_release_is_refused_until_every_item_is_reviewed_and_the_factor_is_fresh(
    cast, client_for, scenario
):
    sar = _verify_link_and_build(client_for("lead_manager"), cast)
    reviewer = client_for("agency_admin")
    device = authenticator_for(cast.agency_admin)

    # Nothing reviewed, fresh code given: refused for the undecided items.
    response = _release(reviewer, sar, step_up_code=totp_code(device))
    assert response.status_code == 200
    assert "still to review" in response.content.decode()
    sar.refresh_from_db()
    assert sar.status == RequestStatus.IN_REVIEW

    # Defaults accepted: free text still waits for its review.
    reviewer.post(_url(sar, "items/defaults/"))
    undecided = DisclosureItem.objects.filter(request=sar, decision="")
    assert undecided.exists()
    assert set(undecided.values_list("category", flat=True)) == {"free_text"}
    assert (
        "still to review"
        in _release(reviewer, sar, step_up_code=totp_code(device)).content.decode()
    )

    # A location cannot be included as recorded: its content is never shown.
    location = DisclosureItem.objects.filter(request=sar, field="location").first()
    response = reviewer.post(
        _url(sar, f"items/{location.pk}/"), {"decision": "include"}
    )
    assert response.status_code == 200
    assert "Select a decision from the list." in response.content.decode()

    # Review the free text: one narrative redacted, the rest withheld.
    narrative = undecided.filter(field="narrative").first()
    reviewer.post(
        _url(sar, f"items/{narrative.pk}/"),
        {
            "decision": "include_redacted",
            "redacted_text": "You were seen following another person one evening.",
        },
    )
    for item in DisclosureItem.objects.filter(request=sar, decision=""):
        reviewer.post(
            _url(sar, f"items/{item.pk}/"),
            {"decision": "withhold", "exemption": "protect_others"},
        )
    assert not DisclosureItem.objects.filter(request=sar, decision="").exists()

    # Everything decided, but the second factor is stale: refused, and audited.
    session = reviewer.session
    session[mfa.FACTOR_AT_SESSION_KEY] = 0
    session.save()
    response = _release(reviewer, sar)
    assert response.status_code == 200
    assert "Enter the code from your authenticator app" in response.content.decode()
    response = _release(reviewer, sar, step_up_code="000000")
    assert "The code is not correct" in response.content.decode()
    sar.refresh_from_db()
    assert sar.status == RequestStatus.IN_REVIEW
    refusals = AuditEvent.objects.filter(event_type=EventType.SAR_RELEASE_REFUSED)
    assert {f for e in refusals for f in e.changed_fields} >= {"undecided_items"}

    # A fresh code: released, audited. (The wrong code started django-otp's
    # back-off; a real user waits a second, the test clears it.)
    device.refresh_from_db()
    device.throttle_reset()
    response = _release(reviewer, sar, step_up_code=totp_code(device))
    assert response.status_code == 302
    sar.refresh_from_db()
    assert sar.status == RequestStatus.RELEASED
    assert sar.released_by == cast.agency_admin
    released = AuditEvent.objects.get(event_type=EventType.SAR_RELEASED)
    assert released.actor_id == cast.agency_admin.pk
    assert released.target_id == sar.reference


def test_the_person_who_built_the_draft_cannot_review_or_release_it(
    cast, client_for, scenario
):
    # The agency admin holds both verbs; building the draft rules them out.
    client = client_for("agency_admin")
    session = client.session
    mfa_stamp = int(dt.datetime.now(dt.UTC).timestamp())
    session[mfa.FACTOR_AT_SESSION_KEY] = mfa_stamp
    session.save()
    sar = _verify_link_and_build(client, cast)
    item = DisclosureItem.objects.filter(request=sar).first()

    client.post(_url(sar, f"items/{item.pk}/"), {"decision": "include"})
    client.post(_url(sar, "items/defaults/"))
    response = _release(client, sar)

    assert not DisclosureItem.objects.filter(request=sar).exclude(decision="").exists()
    assert "someone else must release it" in response.content.decode()
    sar.refresh_from_db()
    assert sar.status == RequestStatus.IN_REVIEW


def test_the_released_pdf_contains_none_of_the_victims_data(cast, client_for, scenario):
    sar = _verify_link_and_build(client_for("lead_manager"), cast)
    reviewer = client_for("agency_admin")
    reviewer.post(_url(sar, "items/defaults/"))
    for item in DisclosureItem.objects.filter(request=sar, decision=""):
        reviewer.post(
            _url(sar, f"items/{item.pk}/"),
            {"decision": "withhold", "exemption": "third_party"},
        )
    _release(
        reviewer, sar, step_up_code=totp_code(authenticator_for(cast.agency_admin))
    )

    response = reviewer.get(_url(sar, "document/"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{sar.reference}.pdf"'
    )
    text = pdf_text(response.content)
    assert "Blake Testperp" in text
    assert "PERP 123" in text
    assert cast.case.reference in text
    assert _found(text, scenario["needles"]) == []
    assert "Requester Road" not in text  # addresses are withheld by default
    download = AuditEvent.objects.get(event_type=EventType.SAR_DOCUMENT_DOWNLOADED)
    assert download.actor_id == cast.agency_admin.pk
    # The builder has no release verb, so cannot download it.
    assert client_for("lead_manager").get(_url(sar, "document/")).status_code == 403


def test_risk_assessments_are_drafted_for_review_and_leak_nothing(
    cast, client_for, scenario
):
    from masip.people.tests.factories import actor_for
    from masip.risk.instruments import registry
    from masip.risk.services import assessment_record

    assessment_record(
        actor=actor_for(cast.advocate),
        case=cast.case,
        instrument=registry().get("victim-check-in"),
        answers={
            "feeling_safe": 1,
            "feeling_supported": 3,
            "feeling_listened_to": 3,
            "fear": 9,
            "note_to_worker": "I have moved to Harrowgate Vale.",
        },
    )

    sar = _verify_link_and_build(client_for("lead_manager"), cast)

    items = DisclosureItem.objects.filter(request=sar, source_type="assessment")
    assert {i.field for i in items} == {"result", "answers"}
    for item in items:
        assert item.default_decision == DefaultDecision.REVIEW
        assert not _found(f"{item.label}\n{item.text}", scenario["needles"])
