"""People services: what they write, what they audit, and what they refuse."""

import datetime as dt

import pytest
from django.db.models.query import QuerySet

from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.models import CaseParticipant, ParticipantRole
from masip.core.errors import DomainError, StaleEditError
from masip.people import services
from masip.people.models import (
    Address,
    Confidentiality,
    DatePrecision,
    Gender,
    Person,
    SafeContactPreference,
)
from masip.people.tests.factories import (
    AddressFactory,
    SafeContactPreferenceFactory,
    actor_for,
)


def _last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()


def test_person_add_to_case_new_person_creates_participant_and_audits(cast):
    actor = actor_for(cast.lead_worker)

    person = services.person_add_to_case(
        actor=actor,
        case=cast.case,
        role=ParticipantRole.THIRD_PARTY,
        given_name=" Casey ",
        family_name="Proxyperson",
        aliases=["Case", "case", " ", "C. Proxy"],
        date_of_birth=dt.date(1990, 5, 17),
        birth_date_precision=DatePrecision.EXACT,
        gender=Gender.NON_BINARY,
        interpreter_language="Polish",
    )

    assert person.given_name == "Casey"
    assert person.created_by == cast.lead_worker
    assert person.created_by_agency == cast.police_a
    assert sorted(a.name for a in person.aliases.all()) == ["C. Proxy", "Case"]
    assert CaseParticipant.objects.filter(
        case=cast.case, person=person, role=ParticipantRole.THIRD_PARTY
    ).exists()
    event = _last_event()
    assert event.event_type == EventType.PERSON_ADDED
    assert event.target_type == "person"
    assert event.target_id == str(person.public_id)
    assert event.case_reference == cast.case.reference


def test_person_add_to_case_existing_person_adds_another_role(cast):
    actor = actor_for(cast.lead_worker)

    services.person_add_to_case(
        actor=actor, case=cast.case, role=ParticipantRole.WITNESS, person=cast.victim
    )

    roles = set(
        CaseParticipant.objects.filter(case=cast.case, person=cast.victim).values_list(
            "role", flat=True
        )
    )
    assert roles == {ParticipantRole.VICTIM, ParticipantRole.WITNESS}


def test_person_add_to_case_same_role_twice_raises_domain_error(cast):
    actor = actor_for(cast.lead_worker)
    events_before = AuditEvent.objects.count()

    with pytest.raises(services.DuplicateParticipantError):
        services.person_add_to_case(
            actor=actor, case=cast.case, role=ParticipantRole.VICTIM, person=cast.victim
        )

    assert AuditEvent.objects.count() == events_before


def test_person_add_to_case_without_a_name_raises(cast):
    with pytest.raises(DomainError):
        services.person_add_to_case(
            actor=actor_for(cast.lead_worker),
            case=cast.case,
            role=ParticipantRole.VICTIM,
            given_name="  ",
        )


def test_person_update_bumps_version_and_audits_changed_field_names(cast):
    person = cast.perpetrator
    version = person.version

    updated = services.person_update(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        person=person,
        version=version,
        given_name="Blake",
        family_name="Renamed",
        gender=Gender.MALE,
        aliases=["B. Renamed"],
    )

    assert updated.version == version + 1
    assert Person.objects.get(pk=person.pk).family_name == "Renamed"
    event = _last_event()
    assert event.event_type == EventType.PERSON_UPDATED
    assert event.changed_fields == ["aliases", "family_name", "gender"]
    assert "Renamed" not in str(event.changed_fields)


def test_person_update_with_stale_version_raises_and_saves_nothing(cast):
    person = cast.perpetrator
    services.person_update(
        actor=actor_for(cast.lead_manager),
        case=cast.case,
        person=person,
        version=person.version,
        family_name="FirstSave",
    )

    with pytest.raises(StaleEditError) as caught:
        services.person_update(
            actor=actor_for(cast.lead_worker),
            case=cast.case,
            person=person,
            version=person.version,
            family_name="SecondSave",
        )

    assert caught.value.current_version == person.version + 1
    assert caught.value.current["family_name"] == "FirstSave"
    assert Person.objects.get(pk=person.pk).family_name == "FirstSave"


def test_person_update_without_changes_keeps_version_and_writes_no_audit(cast):
    person = cast.perpetrator
    events_before = AuditEvent.objects.count()

    updated = services.person_update(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        person=person,
        version=person.version,
        given_name=person.given_name,
        aliases=[],
    )

    assert updated.version == person.version
    assert AuditEvent.objects.count() == events_before


def test_person_update_clearing_date_of_birth_makes_precision_unknown(cast):
    person = cast.perpetrator
    Person.objects.filter(pk=person.pk).update(
        date_of_birth=dt.date(1980, 1, 1),
        birth_date_precision=DatePrecision.APPROXIMATE,
    )

    updated = services.person_update(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        person=person,
        version=person.version,
        date_of_birth=None,
    )

    assert updated.birth_date_precision == DatePrecision.UNKNOWN


def test_person_update_refuses_fields_that_are_not_editable(cast):
    with pytest.raises(TypeError):
        services.person_update(
            actor=actor_for(cast.lead_worker),
            case=cast.case,
            person=cast.victim,
            version=cast.victim.version,
            created_by=cast.outsider,
        )


def test_address_add_audits_without_the_address(cast):
    address = services.address_add(
        actor=actor_for(cast.advocate),
        case=cast.case,
        person=cast.victim,
        line_1="2 Hidden Lane",
        town="Exampleton",
        postcode="ZZ99 9ZZ",
    )

    assert address.confidentiality == Confidentiality.RESTRICTED
    event = _last_event()
    assert event.event_type == EventType.PERSON_CONTACT_ADDED
    assert event.target_id == str(cast.victim.public_id)
    assert event.agency_label == "Advocacy A"
    assert "Hidden" not in str(event.changed_fields)


def test_identifier_add_audits_the_kind_only(cast):
    services.identifier_add(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        person=cast.victim,
        kind="email",
        value="avery@example.test",
        confidentiality=Confidentiality.STANDARD,
    )

    event = _last_event()
    assert event.event_type == EventType.PERSON_CONTACT_ADDED
    assert event.changed_fields == ["identifier.email"]


def _safe_contact_values(**overrides):
    values = {
        "safe_channels": ["phone"],
        "forbidden_channels": ["letter"],
        "safe_times": "Weekdays 10am to 2pm",
        "no_voicemail": True,
        "code_word": "Bluebell",
        "notes": "",
    }
    values.update(overrides)
    return values


def test_safe_contact_update_changes_fields_and_audits_their_names(cast):
    services.safe_contact_update(
        actor=actor_for(cast.advocate),
        case=cast.case,
        person=cast.victim,
        version=1,
        safe_channels=["email"],
        forbidden_channels=["letter"],
        safe_times="Weekdays 10am to 2pm",
        no_voicemail=True,
        code_word="Snowdrop",
        notes="",
    )

    stored = SafeContactPreference.objects.get(person=cast.victim)
    assert stored.code_word == "Snowdrop"
    event = _last_event()
    assert event.event_type == EventType.PERSON_SAFE_CONTACT_UPDATED
    assert event.changed_fields == ["code_word", "safe_channels"]


def test_safe_contact_update_creates_preferences_for_a_new_person(cast):
    services.safe_contact_update(
        actor=actor_for(cast.advocate),
        case=cast.case,
        person=cast.perpetrator,
        version=None,
        safe_channels=["phone"],
        forbidden_channels=[],
    )

    stored = SafeContactPreference.objects.get(person=cast.perpetrator)
    assert stored.safe_channels == ["phone"]
    assert stored.version == 1


def test_safe_contact_update_refuses_a_channel_both_safe_and_forbidden(cast):
    with pytest.raises(DomainError):
        services.safe_contact_update(
            actor=actor_for(cast.advocate),
            case=cast.case,
            person=cast.victim,
            version=1,
            safe_channels=["phone"],
            forbidden_channels=["phone"],
        )


def test_safe_contact_update_with_changes_bumps_the_version(cast):
    updated = services.safe_contact_update(
        actor=actor_for(cast.advocate),
        case=cast.case,
        person=cast.victim,
        **_safe_contact_values(code_word="Snowdrop"),
        version=1,
    )

    stored = SafeContactPreference.objects.get(person=cast.victim)
    assert updated.version == 2
    assert stored.version == 2
    assert stored.code_word == "Snowdrop"


def test_safe_contact_update_stale_version_raises_and_saves_nothing(cast):
    actor = actor_for(cast.advocate)
    services.safe_contact_update(
        actor=actor,
        case=cast.case,
        person=cast.victim,
        **_safe_contact_values(code_word="FirstSave"),
        version=1,
    )
    events_before = AuditEvent.objects.count()

    with pytest.raises(StaleEditError) as caught:
        services.safe_contact_update(
            actor=actor_for(cast.lead_worker),
            case=cast.case,
            person=cast.victim,
            **_safe_contact_values(code_word="SecondSave", notes="Mine"),
            version=1,
        )

    stored = SafeContactPreference.objects.get(person=cast.victim)
    assert caught.value.current_version == 2
    assert caught.value.current["code_word"] == "FirstSave"
    assert stored.code_word == "FirstSave"
    assert stored.notes == ""
    assert stored.version == 2
    assert AuditEvent.objects.count() == events_before


def test_safe_contact_update_without_changes_keeps_version_and_writes_no_audit(cast):
    SafeContactPreference.objects.filter(person=cast.victim).update(
        safe_channels=["text", "phone"]
    )
    events_before = AuditEvent.objects.count()

    updated = services.safe_contact_update(
        actor=actor_for(cast.advocate),
        case=cast.case,
        person=cast.victim,
        **_safe_contact_values(safe_channels=["phone", "text"]),
        version=1,
    )

    assert updated.version == 1
    assert SafeContactPreference.objects.get(person=cast.victim).version == 1
    assert AuditEvent.objects.count() == events_before


def test_safe_contact_update_first_save_after_someone_else_created_raises(cast):
    services.safe_contact_update(
        actor=actor_for(cast.advocate),
        case=cast.case,
        person=cast.perpetrator,
        **_safe_contact_values(code_word="Theirs"),
        version=None,
    )

    with pytest.raises(StaleEditError) as caught:
        services.safe_contact_update(
            actor=actor_for(cast.lead_worker),
            case=cast.case,
            person=cast.perpetrator,
            **_safe_contact_values(code_word="Mine"),
            version=None,
        )

    assert caught.value.current_version == 1
    assert caught.value.current["code_word"] == "Theirs"
    assert SafeContactPreference.objects.get(person=cast.perpetrator).code_word == (
        "Theirs"
    )


def test_safe_contact_update_concurrent_first_save_raises_stale_not_500(
    cast, monkeypatch
):
    """The other first save lands between our lookup and our insert: the
    unique person key refuses our row, and we get theirs as a conflict.

    (Here their row is written inside our transaction, so our rollback takes
    it away again; in life it was committed by theirs.)"""
    real_get = QuerySet.get
    raced = []

    def racing_get(self, *args, **kwargs):
        if self.model is SafeContactPreference and not raced:
            raced.append(True)
            SafeContactPreferenceFactory(person=cast.perpetrator, code_word="Theirs")
            raise SafeContactPreference.DoesNotExist
        return real_get(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "get", racing_get)

    with pytest.raises(StaleEditError) as caught:
        services.safe_contact_update(
            actor=actor_for(cast.advocate),
            case=cast.case,
            person=cast.perpetrator,
            **_safe_contact_values(code_word="Mine"),
            version=None,
        )

    assert raced
    assert caught.value.current_version == 1
    assert caught.value.current["code_word"] == "Theirs"


def test_safe_contact_update_refuses_fields_that_are_not_safe_contact(cast):
    with pytest.raises(TypeError):
        services.safe_contact_update(
            actor=actor_for(cast.advocate),
            case=cast.case,
            person=cast.victim,
            version=1,
            person_id=cast.perpetrator.pk,
        )


def test_safe_contact_update_saves_days_and_window_and_audits_their_names(cast):
    services.safe_contact_update(
        actor=actor_for(cast.advocate),
        case=cast.case,
        person=cast.victim,
        version=1,
        **_safe_contact_values(
            contact_days=[4, 0, 0],
            contact_from=dt.time(10),
            contact_until=dt.time(14),
        ),
    )

    stored = SafeContactPreference.objects.get(person=cast.victim)
    assert stored.contact_days == [0, 4]
    assert stored.contact_days_display == "Monday and Friday"
    assert stored.contact_window_display == "Between 10am and 2pm"
    assert _last_event().changed_fields == [
        "contact_days",
        "contact_from",
        "contact_until",
    ]


def test_safe_contact_update_refuses_a_window_past_midnight(cast):
    with pytest.raises(DomainError):
        services.safe_contact_update(
            actor=actor_for(cast.advocate),
            case=cast.case,
            person=cast.victim,
            version=1,
            **_safe_contact_values(contact_from=dt.time(22), contact_until=dt.time(6)),
        )

    assert SafeContactPreference.objects.get(person=cast.victim).contact_from is None


def test_safe_contact_update_marks_exactly_the_chosen_letter_addresses(cast):
    first = Address.objects.get(person=cast.victim)
    second = AddressFactory(person=cast.victim, safe_to_write=True)

    updated = services.safe_contact_update(
        actor=actor_for(cast.advocate),
        case=cast.case,
        person=cast.victim,
        version=1,
        letter_addresses=[first.pk],
        **_safe_contact_values(),
    )

    assert Address.objects.get(pk=first.pk).safe_to_write is True
    assert Address.objects.get(pk=second.pk).safe_to_write is False
    assert updated.version == 2
    assert _last_event().changed_fields == ["letter_addresses"]
    assert services.safe_contact_current_values(updated)["letter_addresses"] == [
        first.pk
    ]


def test_safe_contact_update_refuses_a_letter_address_not_current_or_not_theirs(
    cast,
):
    old = AddressFactory(person=cast.victim, is_current=False)
    theirs = AddressFactory(person=cast.perpetrator)

    for address in (old, theirs):
        with pytest.raises(DomainError):
            services.safe_contact_update(
                actor=actor_for(cast.advocate),
                case=cast.case,
                person=cast.victim,
                version=1,
                letter_addresses=[address.pk],
                **_safe_contact_values(),
            )
        assert Address.objects.get(pk=address.pk).safe_to_write is False


def test_address_add_can_mark_it_safe_to_write_to(cast):
    address = services.address_add(
        actor=actor_for(cast.advocate),
        case=cast.case,
        person=cast.victim,
        line_1="3 Letter Lane",
        town="Exampleton",
        safe_to_write=True,
    )

    assert Address.objects.get(pk=address.pk).safe_to_write is True
