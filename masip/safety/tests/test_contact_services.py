"""Logging, scheduling, completing and cancelling contacts with the victim."""

import datetime as dt

import pytest

from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.core.errors import StaleEditError
from masip.people.models import Address, SafeContactPreference
from masip.people.tests.factories import AddressFactory, actor_for
from masip.safety import services
from masip.safety.contact_rules import ContactMethod, Rule
from masip.safety.models import VictimContact
from masip.safety.tests.clock import frozen_at, uk
from masip.safety.tests.factories import VictimContactFactory

# Wednesday 18 March 2026, midday in the UK.
NOW = uk(2026, 3, 18, 12)


@pytest.fixture
def clock():
    with frozen_at(NOW) as now:
        yield now


def _log(cast, user=None, **overrides):
    values = {
        "actor": actor_for(user or cast.lead_worker),
        "case": cast.case,
        "victim": cast.victim,
        "method": ContactMethod.CALL,
        "occurred_at": NOW - dt.timedelta(hours=1),
        "summary": "Told her the hearing is on Monday.",
    }
    values.update(overrides)
    return services.victim_contact_log(**values)


def _schedule(cast, user=None, **overrides):
    values = {
        "actor": actor_for(user or cast.lead_worker),
        "case": cast.case,
        "victim": cast.victim,
        "method": ContactMethod.CALL,
        "scheduled_for": NOW + dt.timedelta(days=1),
        "summary": "Tell her the hearing has moved.",
    }
    values.update(overrides)
    return services.victim_contact_schedule(**values)


def _events(event_type):
    return list(AuditEvent.objects.filter(event_type=event_type).order_by("seq"))


def _rules(cast, **values):
    SafeContactPreference.objects.filter(person=cast.victim).update(**values)


# Logging ---------------------------------------------------------------------


def test_victim_contact_log_saves_what_the_victim_was_told_and_audits(cast, clock):
    contact = _log(cast, victim_view="She wants texts only.")

    stored = VictimContact.objects.get(pk=contact.pk)
    assert stored.status == VictimContact.Status.DONE
    assert stored.summary == "Told her the hearing is on Monday."
    assert stored.victim_view == "She wants texts only."
    assert stored.agency == cast.police_a
    assert stored.recorded_by == cast.lead_worker
    [event] = _events(EventType.VICTIM_CONTACT_LOGGED)
    assert event.target_id == str(contact.public_id)
    assert event.case_reference == cast.case.reference
    assert event.changed_fields == []


def test_victim_contact_log_forbidden_channel_is_refused_and_audited(cast, clock):
    with pytest.raises(services.SafeContactRefused) as refused:
        _log(cast, method=ContactMethod.TEXT)

    assert refused.value.reasons == [
        "Text message is not one of the ways the victim has said are safe. Safe "
        "ways: phone."
    ]
    assert not VictimContact.objects.exists()
    [event] = _events(EventType.VICTIM_CONTACT_REFUSED)
    assert event.target_id == str(cast.victim.public_id)
    assert event.changed_fields == [Rule.NOT_A_SAFE_CHANNEL]


def test_victim_contact_log_voicemail_refused_when_the_victim_wants_none(cast, clock):
    with pytest.raises(services.SafeContactRefused) as refused:
        _log(cast, method=ContactMethod.VOICEMAIL)

    assert refused.value.rules == [Rule.NO_VOICEMAIL]
    assert not VictimContact.objects.exists()


def test_victim_contact_log_outside_the_hours_is_refused(cast, clock):
    _rules(cast, contact_from=dt.time(9), contact_until=dt.time(10))

    with pytest.raises(services.SafeContactRefused) as refused:
        _log(cast, occurred_at=uk(2026, 3, 18, 10, 30))

    assert refused.value.rules == [Rule.HOURS]
    assert _log(cast, occurred_at=uk(2026, 3, 18, 9, 30)).pk


def test_victim_contact_log_the_victim_getting_in_touch_is_never_refused(cast, clock):
    """She texted at 9pm, a channel and hour her rules keep agencies from."""
    _rules(cast, contact_from=dt.time(9), contact_until=dt.time(10))
    late = uk(2026, 3, 17, 21)

    contact = _log(
        cast, method=ContactMethod.TEXT, occurred_at=late, initiated_by_victim=True
    )

    stored = VictimContact.objects.get(pk=contact.pk)
    assert stored.initiated_by_victim
    assert stored.status == VictimContact.Status.DONE
    assert not _events(EventType.VICTIM_CONTACT_REFUSED)
    [event] = _events(EventType.VICTIM_CONTACT_LOGGED)
    assert event.changed_fields == ["initiated_by_victim"]
    # The same text sent by the agency at that hour is still refused.
    with pytest.raises(services.SafeContactRefused):
        _log(cast, method=ContactMethod.TEXT, occurred_at=late)


def test_victim_contact_log_from_the_victim_has_no_unanswered_outcome(cast, clock):
    with pytest.raises(services.VictimContactError) as error:
        _log(
            cast,
            initiated_by_victim=True,
            outcome=VictimContact.Status.ATTEMPTED_NO_ANSWER,
        )

    assert error.value.field == "outcome"
    assert not VictimContact.objects.exists()


def test_victim_contact_log_letter_from_the_victim_keeps_no_address(cast, clock):
    address = AddressFactory(person=cast.victim, safe_to_write=False)

    contact = _log(
        cast, method=ContactMethod.LETTER, address=address, initiated_by_victim=True
    )

    assert VictimContact.objects.get(pk=contact.pk).address is None


def test_victim_contact_log_in_the_future_is_refused(cast, clock):
    with pytest.raises(services.VictimContactError) as error:
        _log(cast, occurred_at=NOW + dt.timedelta(minutes=5))

    assert error.value.field == "occurred_at"
    assert not _events(EventType.VICTIM_CONTACT_REFUSED)


def test_victim_contact_log_needs_a_summary(cast, clock):
    with pytest.raises(services.VictimContactError) as error:
        _log(cast, summary="   ")

    assert error.value.field == "summary"


@pytest.mark.parametrize("persona", ["partner_worker", "clinician"])
def test_victim_contact_log_without_the_compartment_is_refused(cast, clock, persona):
    with pytest.raises(services.VictimContactError):
        _log(cast, user=cast.persona(persona))

    assert not VictimContact.objects.exists()


def test_victim_contact_log_by_the_advocate_is_allowed(cast, clock):
    contact = _log(cast, user=cast.advocate)

    assert contact.agency == cast.advocacy_a


def test_victim_contact_log_about_someone_not_a_victim_is_refused(cast, clock):
    with pytest.raises(services.VictimContactError):
        _log(cast, victim=cast.perpetrator)


def test_victim_contact_log_letter_only_to_a_current_safe_address(cast, clock):
    _rules(cast, forbidden_channels=[], safe_channels=[])
    unsafe = Address.objects.get(person=cast.victim)
    safe = AddressFactory(person=cast.victim, safe_to_write=True)

    with pytest.raises(services.SafeContactRefused) as no_address:
        _log(cast, method=ContactMethod.LETTER)
    with pytest.raises(services.SafeContactRefused) as not_safe:
        _log(cast, method=ContactMethod.LETTER, address=unsafe)
    letter = _log(cast, method=ContactMethod.LETTER, address=safe)

    assert no_address.value.rules == [Rule.NO_ADDRESS]
    assert not_safe.value.rules == [Rule.ADDRESS_NOT_SAFE]
    assert letter.address == safe


def test_victim_contact_log_letter_to_someone_elses_address_is_refused(cast, clock):
    _rules(cast, forbidden_channels=[])
    theirs = AddressFactory(person=cast.perpetrator, safe_to_write=True)

    with pytest.raises(services.VictimContactError) as error:
        _log(cast, method=ContactMethod.LETTER, address=theirs)

    assert error.value.field == "address"


def test_victim_contact_log_keeps_no_address_for_other_methods(cast, clock):
    safe = AddressFactory(person=cast.victim, safe_to_write=True)

    contact = _log(cast, address=safe)

    assert contact.address is None


# Scheduling ------------------------------------------------------------------


def test_victim_contact_schedule_saves_a_scheduled_contact(cast, clock):
    contact = _schedule(cast)

    assert contact.status == VictimContact.Status.SCHEDULED
    assert contact.scheduled_for == NOW + dt.timedelta(days=1)
    assert contact.occurred_at is None
    assert len(_events(EventType.VICTIM_CONTACT_SCHEDULED)) == 1


def test_victim_contact_schedule_on_a_forbidden_day_is_refused(cast, clock):
    _rules(cast, contact_days=[0, 1, 2, 3, 4])

    with pytest.raises(services.SafeContactRefused) as refused:
        _schedule(cast, scheduled_for=uk(2026, 3, 21, 11))  # a Saturday

    assert refused.value.rules == [Rule.DAY]
    assert not VictimContact.objects.exists()


def test_victim_contact_schedule_in_the_past_is_refused(cast, clock):
    with pytest.raises(services.VictimContactError) as error:
        _schedule(cast, scheduled_for=NOW - dt.timedelta(minutes=1))

    assert error.value.field == "scheduled_for"


# Completing and cancelling ---------------------------------------------------


def _scheduled(cast, **values):
    fields = {
        "case": cast.case,
        "victim": cast.victim,
        "agency": cast.police_a,
        "recorded_by": cast.lead_worker,
        "scheduled_for": NOW - dt.timedelta(hours=2),
    }
    fields.update(values)
    return VictimContactFactory(**fields)


def _complete(cast, contact, user=None, **overrides):
    values = {
        "actor": actor_for(user or cast.lead_worker),
        "contact": contact,
        "version": contact.version,
        "occurred_at": NOW - dt.timedelta(hours=1),
        "summary": "Told her the hearing moved to Friday.",
    }
    values.update(overrides)
    return services.victim_contact_complete(**values)


def test_victim_contact_complete_records_what_happened(cast, clock):
    contact = _scheduled(cast)

    done = _complete(cast, contact, victim_view="She is relieved.")

    stored = VictimContact.objects.get(pk=contact.pk)
    assert done.status == stored.status == VictimContact.Status.DONE
    assert stored.occurred_at == NOW - dt.timedelta(hours=1)
    assert stored.summary == "Told her the hearing moved to Friday."
    assert stored.version == 2
    [event] = _events(EventType.VICTIM_CONTACT_UPDATED)
    assert "status" in event.changed_fields


def test_victim_contact_complete_rechecks_the_rules_at_the_time_it_happened(
    cast, clock
):
    contact = _scheduled(cast)
    _rules(cast, contact_from=dt.time(8), contact_until=dt.time(10))

    with pytest.raises(services.SafeContactRefused) as refused:
        _complete(cast, contact, occurred_at=uk(2026, 3, 18, 11))

    assert refused.value.rules == [Rule.HOURS]
    stored = VictimContact.objects.get(pk=contact.pk)
    assert stored.status == VictimContact.Status.SCHEDULED
    assert stored.occurred_at is None
    assert len(_events(EventType.VICTIM_CONTACT_REFUSED)) == 1


def test_victim_contact_complete_by_another_agency_is_refused(cast, clock):
    contact = _scheduled(cast)

    with pytest.raises(services.VictimContactError):
        _complete(cast, contact, user=cast.advocate)

    assert VictimContact.objects.get(pk=contact.pk).status == "scheduled"


def test_victim_contact_complete_with_a_stale_version_saves_nothing(cast, clock):
    contact = _scheduled(cast)
    VictimContact.objects.filter(pk=contact.pk).update(version=2)

    with pytest.raises(StaleEditError):
        _complete(cast, contact, version=1)

    assert VictimContact.objects.get(pk=contact.pk).status == "scheduled"


def test_victim_contact_complete_no_answer_is_kept_as_tried(cast, clock):
    contact = _scheduled(cast)

    _complete(cast, contact, outcome=VictimContact.Status.ATTEMPTED_NO_ANSWER)

    assert VictimContact.objects.get(pk=contact.pk).status == "attempted_no_answer"


def test_victim_contact_cancel_is_allowed_even_when_the_rules_now_forbid_it(
    cast, clock
):
    contact = _scheduled(cast)
    _rules(cast, forbidden_channels=["phone"], safe_channels=[])

    cancelled = services.victim_contact_cancel(
        actor=actor_for(cast.lead_worker), contact=contact, version=1
    )

    assert cancelled.status == VictimContact.Status.CANCELLED
    assert cancelled.version == 2
    with pytest.raises(services.VictimContactError):
        _complete(cast, VictimContact.objects.get(pk=contact.pk), version=2)
