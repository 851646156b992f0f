"""People pages: happy paths, reach, compartments and lost updates."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from masip.access.tests.factories import reveal_for
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.models import CaseParticipant
from masip.cases.tests.factories import CaseFactory, CaseParticipantFactory
from masip.crypto.blind import postcode_index
from masip.people import services
from masip.people.models import (
    Address,
    Person,
    PersonAlias,
    PersonIdentifier,
    SafeContactPreference,
)
from masip.people.tests.factories import PersonFactory, actor_for

SEALED = ("1 Sealed Street", "07700 900123", "Bluebell")
PERSON_URL_NAMES = (
    "person-detail",
    "person-edit",
    "address-add",
    "identifier-add",
    "safe-contact-edit",
)


def _url(name, case, person=None, query=""):
    kwargs = {"reference": case.reference}
    if person is not None:
        kwargs["public_id"] = person.public_id
    return reverse(f"people:{name}", kwargs=kwargs) + query


def _all_urls(cast, person=None):
    person = person or cast.victim
    return [_url("person-list", cast.case), _url("person-add", cast.case)] + [
        _url(name, cast.case, person) for name in PERSON_URL_NAMES
    ]


def _edit_data(person, **overrides):
    data = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "aliases": "",
        "birth_date_precision": "exact",
        "gender": person.gender,
        "interpreter_language": person.interpreter_language,
        "version": str(person.version),
    }
    data.update(overrides)
    return data


# Reach ----------------------------------------------------------------------


def test_outsider_gets_404_on_every_people_url(cast, client_for):
    client = client_for("outsider")

    for url in _all_urls(cast):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_person_of_another_case_gives_404_under_this_case(cast, client_for):
    stranger = PersonFactory()
    CaseParticipantFactory(case=cast.other_case, person=stranger)
    client = client_for("lead_worker")

    for name in PERSON_URL_NAMES:
        url = _url(name, cast.case, stranger)
        assert client.get(url).status_code == 404, url
        if name != "person-detail":  # GET only: a POST there is 405 for anyone
            assert client.post(url, {}).status_code == 404, url


def test_partner_without_compartment_gets_403_on_safe_contact(cast, client_for):
    client = client_for("partner_worker")
    url = _url("safe-contact-edit", cast.case, cast.victim)

    assert client.get(url).status_code == 403
    assert client.post(url, {"code_word": "Changed"}).status_code == 403
    assert SafeContactPreference.objects.get(person=cast.victim).code_word == "Bluebell"


def test_panel_coordinator_cannot_add_people(cast, client_for):
    client = client_for("panel_coordinator")

    response = client.get(_url("person-add", cast.case))

    assert response.status_code == 403


# Compartments ---------------------------------------------------------------


def test_partner_never_sees_victim_contact_on_any_people_page(cast, client_for):
    client = client_for("partner_worker")

    for url in _all_urls(cast)[:-1]:  # the safe-contact page itself is a 403
        html = client.get(url).content.decode()
        for secret in SEALED:
            assert secret not in html, (url, secret)


@pytest.mark.parametrize("persona", ["lead_worker", "advocate"])
def test_victim_contact_holders_see_contact_details_once_revealed(
    cast, client_for, persona
):
    client = client_for(persona)
    reveal_for(cast.persona(persona), cast.case)

    html = client.get(_url("person-detail", cast.case, cast.victim)).content.decode()

    for secret in SEALED:
        assert secret in html


@pytest.mark.parametrize("persona", ["lead_worker", "advocate"])
def test_victim_contact_holders_see_them_masked_until_revealed(
    cast, client_for, persona
):
    client = client_for(persona)

    html = client.get(_url("person-detail", cast.case, cast.victim)).content.decode()

    for secret in SEALED:
        assert secret not in html
    assert "Reveal victim location and contact details" in html
    assert "1 address hidden" in html
    assert "1 identifier hidden" in html
    assert "Safe-contact preferences hidden" in html
    assert "not granted this compartment" not in html


def test_person_with_nothing_sealed_offers_no_reveal(cast, client_for):
    html = (
        client_for("advocate")
        .get(_url("person-detail", cast.case, cast.perpetrator))
        .content.decode()
    )

    assert "Reveal victim location and contact details" not in html


def test_revealed_person_page_offers_end_reveal(cast, client_for):
    reveal_for(cast.advocate, cast.case)

    html = (
        client_for("advocate")
        .get(_url("person-detail", cast.case, cast.victim))
        .content.decode()
    )

    assert "End reveal" in html
    assert "Reveal victim location and contact details" not in html


def test_safe_contact_edit_before_reveal_goes_to_the_reveal_page(cast, client_for):
    client = client_for("advocate")
    url = _url("safe-contact-edit", cast.case, cast.victim)

    shown = client.get(url)
    saved = client.post(url, _safe_contact_data(code_word="Foxglove"))

    reveal_url = reverse("cases:reveal", kwargs={"reference": cast.case.reference})
    assert shown.status_code == saved.status_code == 302
    assert shown.url.startswith(reveal_url + "?next=")
    assert saved.url.startswith(reveal_url + "?next=")
    assert SafeContactPreference.objects.get(person=cast.victim).code_word == (
        "Bluebell"
    )


def test_person_detail_without_compartment_shows_withheld_counts(cast, client_for):
    client = client_for("partner_worker")

    html = client.get(_url("person-detail", cast.case, cast.victim)).content.decode()

    assert "1 address withheld" in html
    assert "1 identifier withheld" in html
    assert "Safe-contact preferences withheld" in html


def test_address_form_without_compartment_offers_only_standard(cast, client_for):
    client = client_for("partner_worker")
    url = _url("address-add", cast.case, cast.victim)

    html = client.get(url).content.decode()
    response = client.post(
        url, {"line_1": "9 Open Road", "town": "Town", "confidentiality": "restricted"}
    )

    assert 'value="restricted"' not in html
    assert response.status_code == 200
    assert "9 Open Road" not in [a.line_1 for a in Address.objects.all()]


# Person list ----------------------------------------------------------------


def test_person_list_groups_people_by_role(cast, client_for):
    PersonAlias.objects.create(person=cast.perpetrator, name="The Night Owl")

    response = client_for("lead_worker").get(_url("person-list", cast.case))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Victims") < html.index("Avery Testvictim")
    assert html.index("People who stalk") < html.index("Blake Testperp")
    assert "The Night Owl" in html
    assert _url("person-detail", cast.case, cast.victim) in html


def _person_list_queries(client, case):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(_url("person-list", case)).status_code == 200
    return len(ctx.captured_queries)


def test_person_list_query_count_is_constant(cast, client_for):
    client = client_for("lead_worker")
    few = _person_list_queries(client, cast.case)
    for n in range(18):
        person = PersonFactory()
        PersonAlias.objects.create(person=person, name=f"Alias {n}")
        CaseParticipantFactory(case=cast.case, person=person, role="witness")

    many = _person_list_queries(client, cast.case)

    assert many == few


# Add a person -----------------------------------------------------------------


def test_person_add_new_person_redirects_to_their_page(cast, client_for):
    client = client_for("lead_worker")

    response = client.post(
        _url("person-add", cast.case),
        {
            "mode": "new",
            "role": "witness",
            "given_name": "Morgan",
            "family_name": "Neighbour",
            "aliases": "Mo",
            "date_of_birth_day": "4",
            "date_of_birth_month": "7",
            "date_of_birth_year": "1979",
            "birth_date_precision": "approximate",
            "gender": "female",
            "interpreter_language": "",
        },
    )

    person = Person.objects.get(family_name="Neighbour")
    assert response.status_code == 302
    assert response["Location"] == _url("person-detail", cast.case, person)
    assert person.birth_date_display == "About 1979"
    assert CaseParticipant.objects.filter(case=cast.case, person=person, role="witness")
    page = client.get(response["Location"]).content.decode()
    assert "Morgan Neighbour added to the case." in page


def test_person_add_with_errors_rerenders_with_messages(cast, client_for):
    response = client_for("lead_worker").post(
        _url("person-add", cast.case), {"mode": "new", "given_name": ""}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter the person&#x27;s given name." in html


def test_person_add_search_lists_people_from_visible_cases_only(cast, client_for):
    known = PersonFactory(given_name="Jordan", family_name="Seenbefore")
    CaseParticipantFactory(
        case=CaseFactory(lead_agency=cast.police_a), person=known, role="perpetrator"
    )
    hidden = PersonFactory(given_name="Jordan", family_name="Otherforce")
    CaseParticipantFactory(case=cast.other_case, person=hidden, role="perpetrator")

    html = (
        client_for("lead_worker")
        .get(_url("person-add", cast.case, query="?search=jordan"))
        .content.decode()
    )

    assert "Jordan Seenbefore" in html
    assert "Otherforce" not in html


def test_person_add_existing_person_links_them_to_this_case(cast, client_for):
    known = PersonFactory(given_name="Jordan", family_name="Seenbefore")
    CaseParticipantFactory(
        case=CaseFactory(lead_agency=cast.police_a), person=known, role="perpetrator"
    )

    response = client_for("lead_worker").post(
        _url("person-add", cast.case, query="?search=Seenbefore"),
        {
            "mode": "existing",
            "existing-person": str(known.public_id),
            "existing-role": "perpetrator",
        },
    )

    assert response.status_code == 302
    assert CaseParticipant.objects.filter(
        case=cast.case, person=known, role="perpetrator"
    ).exists()


def test_person_add_cannot_pick_a_person_out_of_reach(cast, client_for):
    hidden = PersonFactory(given_name="Jordan", family_name="Otherforce")
    CaseParticipantFactory(case=cast.other_case, person=hidden, role="perpetrator")

    response = client_for("lead_worker").post(
        _url("person-add", cast.case, query="?search=Otherforce"),
        {
            "mode": "existing",
            "existing-person": str(hidden.public_id),
            "existing-role": "perpetrator",
        },
    )

    assert response.status_code == 200
    assert not CaseParticipant.objects.filter(case=cast.case, person=hidden).exists()


def test_person_add_same_person_same_role_gives_form_error(cast, client_for):
    response = client_for("lead_worker").post(
        _url("person-add", cast.case, query="?search=Avery"),
        {
            "mode": "existing",
            "existing-person": str(cast.victim.public_id),
            "existing-role": "victim",
        },
    )

    assert response.status_code == 200
    assert "Avery Testvictim is already on this case as victim." in (
        response.content.decode()
    )
    assert (
        CaseParticipant.objects.filter(case=cast.case, person=cast.victim).count() == 1
    )


# Person page ----------------------------------------------------------------


def test_person_detail_shows_roles_and_records_a_view(cast, client_for):
    response = client_for("lead_worker").get(
        _url("person-detail", cast.case, cast.victim)
    )

    html = response.content.decode()
    event = AuditEvent.objects.order_by("-seq").first()
    assert response.status_code == 200
    assert "Avery Testvictim" in html
    assert "Victim" in html
    assert event.event_type == EventType.PERSON_VIEWED
    assert event.target_id == str(cast.victim.public_id)
    assert event.case_reference == cast.case.reference


def test_person_detail_lists_only_other_cases_the_user_can_open(cast, client_for):
    visible = CaseFactory(lead_agency=cast.police_a)
    CaseParticipantFactory(case=visible, person=cast.perpetrator, role="perpetrator")
    CaseParticipantFactory(
        case=cast.other_case, person=cast.perpetrator, role="perpetrator"
    )

    html = (
        client_for("lead_worker")
        .get(_url("person-detail", cast.case, cast.perpetrator))
        .content.decode()
    )

    assert visible.reference in html
    assert cast.other_case.reference not in html


# Edit -----------------------------------------------------------------------


def test_person_edit_saves_and_redirects(cast, client_for):
    client = client_for("lead_worker")
    url = _url("person-edit", cast.case, cast.perpetrator)

    form_html = client.get(url).content.decode()
    response = client.post(
        url,
        _edit_data(cast.perpetrator, family_name="Newname", aliases="BT\nBlakey"),
    )

    person = Person.objects.get(pk=cast.perpetrator.pk)
    assert 'name="version" value="1"' in form_html
    assert response.status_code == 302
    assert person.family_name == "Newname"
    assert person.version == 2
    assert sorted(a.name for a in person.aliases.all()) == ["BT", "Blakey"]


def test_person_edit_conflict_keeps_input_and_shows_the_other_version(cast, client_for):
    person = cast.perpetrator
    services.person_update(
        actor=actor_for(cast.lead_manager),
        case=cast.case,
        person=person,
        version=person.version,
        family_name="TheirSurname",
    )
    client = client_for("lead_worker")
    url = _url("person-edit", cast.case, person)

    response = client.post(
        url, _edit_data(person, family_name="MySurname", version="1")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "masip-conflict" in html
    assert "TheirSurname" in html
    assert 'value="MySurname"' in html
    assert 'name="version" value="2"' in html
    assert Person.objects.get(pk=person.pk).family_name == "TheirSurname"

    again = client.post(url, _edit_data(person, family_name="MySurname", version="2"))

    assert again.status_code == 302
    assert Person.objects.get(pk=person.pk).family_name == "MySurname"


def test_person_edit_invalid_input_rerenders(cast, client_for):
    response = client_for("lead_worker").post(
        _url("person-edit", cast.case, cast.victim),
        _edit_data(cast.victim, given_name=""),
    )

    assert response.status_code == 200
    assert "Enter the person&#x27;s given name." in response.content.decode()


# Contact details ------------------------------------------------------------


def test_address_add_saves_normalised_postcode(cast, client_for):
    response = client_for("advocate").post(
        _url("address-add", cast.case, cast.victim),
        {
            "line_1": "3 Quiet Close",
            "town": "Exampleton",
            "postcode": "zz99   9zz",
            "is_current": "on",
            "confidentiality": "restricted",
        },
    )

    # Sealed columns cannot be filtered: exact matches use the blind index.
    matches = Address.objects.filter(postcode_index=postcode_index("zz99 9zz"))
    (address,) = [a for a in matches if a.line_1 == "3 Quiet Close"]
    assert response.status_code == 302
    assert address.postcode == "ZZ99 9ZZ"
    assert address.is_restricted
    assert AuditEvent.objects.order_by("-seq").first().event_type == (
        EventType.PERSON_CONTACT_ADDED
    )


def test_address_add_bad_postcode_shows_error(cast, client_for):
    response = client_for("lead_worker").post(
        _url("address-add", cast.case, cast.victim),
        {
            "line_1": "3 Quiet Close",
            "town": "T",
            "postcode": "XYZ",
            "confidentiality": "restricted",
        },
    )

    assert response.status_code == 200
    assert "Enter a real postcode, like SW1A 1AA." in response.content.decode()


def test_identifier_add_saves_a_standard_identifier(cast, client_for):
    response = client_for("partner_worker").post(
        _url("identifier-add", cast.case, cast.perpetrator),
        {"kind": "probation_ref", "value": "X123456", "confidentiality": "standard"},
    )

    assert response.status_code == 302
    assert PersonIdentifier.objects.get(person=cast.perpetrator).value == "X123456"


def test_identifier_add_bad_phone_shows_error(cast, client_for):
    response = client_for("lead_worker").post(
        _url("identifier-add", cast.case, cast.victim),
        {"kind": "phone", "value": "12", "confidentiality": "restricted"},
    )

    assert response.status_code == 200
    assert "Enter a phone number" in response.content.decode()


def test_safe_contact_edit_shows_current_and_saves(cast, client_for):
    client = client_for("advocate")
    reveal_for(cast.advocate, cast.case)
    url = _url("safe-contact-edit", cast.case, cast.victim)

    form_html = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "safe_channels": ["email"],
            "forbidden_channels": ["letter", "phone"],
            "safe_times": "Evenings",
            "code_word": "Foxglove",
            "notes": "",
            "version": "1",
        },
    )

    stored = SafeContactPreference.objects.get(person=cast.victim)
    assert 'value="Bluebell"' in form_html
    assert 'name="version" value="1"' in form_html
    assert response.status_code == 302
    assert stored.code_word == "Foxglove"
    assert stored.version == 2
    assert stored.no_voicemail is False
    assert stored.forbidden_channels == ["letter", "phone"]


def test_safe_contact_edit_both_safe_and_forbidden_shows_error(cast, client_for):
    reveal_for(cast.lead_worker, cast.case)
    response = client_for("lead_worker").post(
        _url("safe-contact-edit", cast.case, cast.victim),
        {"safe_channels": ["phone"], "forbidden_channels": ["phone"], "version": "1"},
    )

    assert response.status_code == 200
    assert "Phone call cannot be both safe and forbidden." in response.content.decode()


def _safe_contact_data(**overrides):
    data = {
        "safe_channels": ["phone"],
        "forbidden_channels": ["letter"],
        "safe_times": "Weekdays 10am to 2pm",
        "no_voicemail": "on",
        "code_word": "Bluebell",
        "notes": "",
        "version": "1",
    }
    data.update(overrides)
    return data


def _their_safe_contact_save(cast, person, version, **overrides):
    values = {
        "safe_channels": ["phone"],
        "forbidden_channels": ["letter"],
        "safe_times": "Weekdays 10am to 2pm",
        "no_voicemail": True,
        "code_word": "Bluebell",
        "notes": "",
    }
    values.update(overrides)
    services.safe_contact_update(
        actor=actor_for(cast.lead_manager),
        case=cast.case,
        person=person,
        version=version,
        **values,
    )


def test_safe_contact_edit_without_preferences_has_a_blank_version(cast, client_for):
    client = client_for("advocate")
    reveal_for(cast.advocate, cast.case)
    url = _url("safe-contact-edit", cast.case, cast.perpetrator)

    form_html = client.get(url).content.decode()
    response = client.post(url, _safe_contact_data(code_word="Primrose", version=""))

    stored = SafeContactPreference.objects.get(person=cast.perpetrator)
    assert 'type="hidden" name="version" id="id_version"' in form_html
    assert response.status_code == 302
    assert stored.code_word == "Primrose"
    assert stored.version == 1


def test_safe_contact_edit_conflict_keeps_input_and_shows_the_other_version(
    cast, client_for
):
    _their_safe_contact_save(
        cast,
        cast.victim,
        1,
        safe_channels=["email"],
        code_word="TheirWord",
        notes="Their note",
    )
    client = client_for("advocate")
    reveal_for(cast.advocate, cast.case)
    url = _url("safe-contact-edit", cast.case, cast.victim)
    mine = _safe_contact_data(
        safe_channels=["text"], code_word="MyWord", notes="My note", version="1"
    )

    response = client.post(url, mine)

    html = response.content.decode()
    editable = html.index('<form method="post" novalidate>')
    conflict = html[html.index("masip-conflict") : editable]
    form = html[editable:]
    assert response.status_code == 200
    assert "TheirWord" in conflict
    assert "Their note" in conflict
    assert "Email" in conflict
    assert 'value="MyWord"' in form
    assert "My note" in form
    assert 'value="text" checked' in form
    assert "TheirWord" not in form
    assert 'name="version" value="2"' in form
    stored = SafeContactPreference.objects.get(person=cast.victim)
    assert stored.code_word == "TheirWord"
    assert stored.version == 2

    again = client.post(url, {**mine, "version": "2"})

    stored = SafeContactPreference.objects.get(person=cast.victim)
    assert again.status_code == 302
    assert stored.code_word == "MyWord"
    assert stored.safe_channels == ["text"]
    assert stored.version == 3


def test_safe_contact_edit_first_save_after_someone_else_created_shows_conflict(
    cast, client_for
):
    client = client_for("advocate")
    reveal_for(cast.advocate, cast.case)
    url = _url("safe-contact-edit", cast.case, cast.perpetrator)
    _their_safe_contact_save(cast, cast.perpetrator, None, code_word="TheirWord")

    response = client.post(url, _safe_contact_data(code_word="MyWord", version=""))

    html = response.content.decode()
    assert response.status_code == 200
    assert "masip-conflict" in html
    assert "TheirWord" in html
    assert 'value="MyWord"' in html
    assert 'name="version" value="1"' in html
    stored = SafeContactPreference.objects.get(person=cast.perpetrator)
    assert stored.code_word == "TheirWord"

    again = client.post(url, _safe_contact_data(code_word="MyWord", version="1"))

    assert again.status_code == 302
    assert SafeContactPreference.objects.get(person=cast.perpetrator).code_word == (
        "MyWord"
    )


def test_partner_without_compartment_gets_403_not_a_conflict_on_safe_contact(
    cast, client_for
):
    _their_safe_contact_save(cast, cast.victim, 1, code_word="TheirWord")

    response = client_for("partner_worker").post(
        _url("safe-contact-edit", cast.case, cast.victim),
        _safe_contact_data(code_word="Changed", version="1"),
    )

    assert response.status_code == 403
    assert b"TheirWord" not in response.content
    assert b"masip-conflict" not in response.content
    assert SafeContactPreference.objects.get(person=cast.victim).code_word == (
        "TheirWord"
    )


def test_safe_contact_edit_saves_days_window_and_letter_addresses(cast, client_for):
    client = client_for("advocate")
    reveal_for(cast.advocate, cast.case)
    address = Address.objects.get(person=cast.victim)
    url = _url("safe-contact-edit", cast.case, cast.victim)

    form_html = client.get(url).content.decode()
    response = client.post(
        url,
        _safe_contact_data(
            contact_days=["0", "1", "2", "3", "4"],
            contact_from="10:00",
            contact_until="2pm",
            letter_addresses=[str(address.pk)],
        ),
    )

    stored = SafeContactPreference.objects.get(person=cast.victim)
    assert "Addresses safe to send letters to" in form_html
    assert "1 Sealed Street" in form_html  # revealed: the address is named
    assert response.status_code == 302
    assert stored.contact_days == [0, 1, 2, 3, 4]
    assert stored.contact_window_display == "Between 10am and 2pm"
    assert Address.objects.get(pk=address.pk).safe_to_write is True


def test_safe_contact_edit_window_past_midnight_shows_error(cast, client_for):
    reveal_for(cast.lead_worker, cast.case)

    response = client_for("lead_worker").post(
        _url("safe-contact-edit", cast.case, cast.victim),
        _safe_contact_data(contact_from="22:00", contact_until="06:00"),
    )

    assert response.status_code == 200
    assert "The window cannot run past midnight." in response.content.decode()


def test_person_detail_shows_contact_days_hours_and_safe_to_write(cast, client_for):
    SafeContactPreference.objects.filter(person=cast.victim).update(
        contact_days=[5, 6], contact_from=dt.time(9), contact_until=dt.time(12)
    )
    Address.objects.filter(person=cast.victim).update(safe_to_write=True)
    reveal_for(cast.lead_worker, cast.case)

    html = (
        client_for("lead_worker")
        .get(_url("person-detail", cast.case, cast.victim))
        .content.decode()
    )

    assert "Saturday and Sunday" in html
    assert "Between 9am and midday" in html
    assert "Safe to send letters to" in html


def test_person_detail_hides_contact_rules_until_revealed(cast, client_for):
    SafeContactPreference.objects.filter(person=cast.victim).update(contact_days=[5, 6])

    html = (
        client_for("lead_worker")
        .get(_url("person-detail", cast.case, cast.victim))
        .content.decode()
    )

    assert "Saturday and Sunday" not in html
