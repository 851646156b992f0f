"""People selectors: found only through cases the user reaches."""

import uuid

import pytest
from django.http import Http404

from masip.access import reveal
from masip.access.policy import Access
from masip.access.tests.factories import reveal_for
from masip.cases.models import ParticipantRole
from masip.cases.tests.factories import CaseFactory, CaseParticipantFactory
from masip.people import selectors
from masip.people.models import Confidentiality, PersonAlias
from masip.people.tests.factories import (
    AddressFactory,
    PersonFactory,
    PersonIdentifierFactory,
)


def test_participant_groups_split_victims_perpetrators_and_others(cast):
    witness = PersonFactory(given_name="Wren")
    CaseParticipantFactory(case=cast.case, person=witness, role=ParticipantRole.WITNESS)

    groups = {g.key: g for g in selectors.participant_groups(case=cast.case)}

    assert [p.person for p in groups["victims"].participants] == [cast.victim]
    assert [p.person for p in groups["perpetrators"].participants] == [cast.perpetrator]
    assert [p.person for p in groups["others"].participants] == [witness]


def test_person_get_in_case_refuses_a_person_of_another_case(cast):
    stranger = PersonFactory()
    CaseParticipantFactory(case=cast.other_case, person=stranger)

    with pytest.raises(Http404):
        selectors.person_get_in_case(case=cast.case, public_id=stranger.public_id)
    with pytest.raises(Http404):
        selectors.person_get_in_case(case=cast.case, public_id=uuid.uuid4())


def test_person_search_visible_matches_name_and_alias_on_visible_cases(cast):
    PersonAlias.objects.create(person=cast.perpetrator, name="Shadowfax")
    access = Access(cast.lead_worker)

    by_alias = selectors.person_search_visible(access=access, query="shadow")
    by_names = selectors.person_search_visible(access=access, query="blake testperp")

    assert by_alias == [cast.perpetrator]
    assert by_names == [cast.perpetrator]


def test_person_search_visible_never_finds_people_out_of_reach(cast):
    hidden = PersonFactory(given_name="Blake", family_name="Hiddenperp")
    CaseParticipantFactory(case=cast.other_case, person=hidden)
    unattached = PersonFactory(given_name="Blake", family_name="Nocase")

    found = selectors.person_search_visible(
        access=Access(cast.lead_worker), query="Blake"
    )

    assert hidden not in found
    assert unattached not in found
    assert cast.perpetrator in found


def test_person_search_visible_with_blank_query_finds_nobody(cast):
    assert (
        selectors.person_search_visible(access=Access(cast.lead_worker), query=" ")
        == []
    )


def test_person_get_visible_returns_none_out_of_reach(cast):
    hidden = PersonFactory()
    CaseParticipantFactory(case=cast.other_case, person=hidden)
    access = Access(cast.lead_worker)

    assert (
        selectors.person_get_visible(access=access, public_id=str(hidden.public_id))
        is None
    )
    assert selectors.person_get_visible(access=access, public_id="not-a-uuid") is None
    assert (
        selectors.person_get_visible(
            access=access, public_id=str(cast.victim.public_id)
        )
        == cast.victim
    )


def test_person_other_cases_lists_only_visible_cases(cast):
    visible = CaseFactory(lead_agency=cast.police_a)
    CaseParticipantFactory(case=visible, person=cast.perpetrator, role="perpetrator")
    CaseParticipantFactory(
        case=cast.other_case, person=cast.perpetrator, role="perpetrator"
    )

    others = selectors.person_other_cases(
        access=Access(cast.lead_worker), case=cast.case, person=cast.perpetrator
    )

    assert list(others) == [visible]


def test_person_contacts_without_compartment_counts_instead_of_returning(cast):
    AddressFactory(person=cast.victim, confidentiality=Confidentiality.STANDARD)
    AddressFactory(person=cast.victim)
    PersonIdentifierFactory(
        person=cast.victim, confidentiality=Confidentiality.STANDARD
    )
    sealed = reveal.victim_contact(Access(cast.partner_worker), cast.case)

    contacts = selectors.person_contacts(person=cast.victim, sealed=sealed)

    assert not contacts.masked
    assert not contacts.anything_hidden
    assert all(not a.is_restricted for a in contacts.addresses)
    assert len(contacts.addresses) == 1
    assert contacts.withheld_addresses_label == "2 addresses"
    assert contacts.withheld_identifiers_label == "1 identifier"
    assert contacts.safe_contact is None


def test_person_contacts_with_compartment_but_no_reveal_are_masked(cast):
    sealed = reveal.victim_contact(Access(cast.advocate), cast.case)

    contacts = selectors.person_contacts(person=cast.victim, sealed=sealed)

    assert contacts.masked
    assert contacts.anything_hidden
    assert contacts.addresses == contacts.identifiers == []
    assert contacts.withheld_addresses_label == "1 address"
    assert contacts.safe_contact is None
    assert contacts.safe_contact_hidden


def test_person_contacts_masked_with_nothing_sealed_hides_nothing(cast):
    sealed = reveal.victim_contact(Access(cast.advocate), cast.case)

    contacts = selectors.person_contacts(person=cast.perpetrator, sealed=sealed)

    assert contacts.masked
    assert not contacts.anything_hidden


def test_person_contacts_revealed_returns_everything(cast):
    reveal_for(cast.advocate, cast.case)
    sealed = reveal.victim_contact(Access(cast.advocate), cast.case)

    contacts = selectors.person_contacts(person=cast.victim, sealed=sealed)

    assert [a.line_1 for a in contacts.addresses] == ["1 Sealed Street"]
    assert contacts.safe_contact.code_word == "Bluebell"
    assert contacts.safe_channel_labels == ["Phone call"]
    assert contacts.forbidden_channel_labels == ["Letter or post"]
    assert contacts.withheld_addresses == 0
