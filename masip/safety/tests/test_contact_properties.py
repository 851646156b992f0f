"""Hypothesis: no contact is ever logged, scheduled or completed on a channel,
day or hour the victim's safe-contact rules forbid, nor a letter sent to an
address not marked safe.

Each example gives a new victim on the standard case random rules (or none),
three addresses (current and safe to write to, current but not safe, an old
one marked safe) and an address of someone else, then asks a service for a
random method, moment and address. Afterwards every stored row of that
victim is checked against ``check_contact``; and the service must have
refused exactly when the rules refuse (no contact allowed by the rules is
turned away either).
"""

import datetime as dt
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from masip.cases.models import ParticipantRole
from masip.cases.tests.factories import CaseParticipantFactory
from masip.people.models import Channel, SafeContactPreference
from masip.people.tests.factories import AddressFactory, PersonFactory, actor_for
from masip.safety import services
from masip.safety.contact_rules import ContactMethod, check_contact
from masip.safety.models import VictimContact
from masip.safety.tests.clock import frozen_at, uk
from masip.safety.tests.factories import VictimContactFactory

EXAMPLES = int(os.environ.get("MASIP_SAFETY_EXAMPLES", "60"))
NOW = uk(2026, 3, 18, 12)
ADDRESS_KINDS = ("none", "safe", "unsafe", "old", "someone_else")

channels = st.sampled_from(Channel.values)
methods = st.sampled_from(ContactMethod.values)
# Any minute within ten days either side of now.
moments = st.integers(-10 * 24 * 60, 10 * 24 * 60).map(
    lambda minutes: NOW + dt.timedelta(minutes=minutes)
)
property_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


@st.composite
def rules(draw):
    """Values for a victim's preferences, or ``None`` for no rules recorded."""
    if draw(st.integers(0, 9)) == 0:
        return None
    forbidden = draw(st.lists(channels, unique=True, max_size=3))
    safe = draw(
        st.lists(channels.filter(lambda c: c not in forbidden), unique=True, max_size=3)
    )
    start = draw(st.none() | st.times(max_value=dt.time(20)).map(_minute))
    end = draw(st.none() | st.times(min_value=dt.time(4)).map(_minute))
    if start is not None and end is not None and start >= end:
        end = None
    return {
        "safe_channels": safe,
        "forbidden_channels": forbidden,
        "contact_days": sorted(draw(st.sets(st.integers(0, 6), max_size=6))),
        "contact_from": start,
        "contact_until": end,
        "no_voicemail": draw(st.booleans()),
    }


def _minute(value: dt.time) -> dt.time:
    return value.replace(second=0, microsecond=0)


def _victim(cast, values):
    victim = PersonFactory()
    CaseParticipantFactory(
        case=cast.case,
        person=victim,
        role=ParticipantRole.VICTIM,
        added_by=cast.lead_worker,
    )
    preference = (
        SafeContactPreference.objects.create(person=victim, **values)
        if values is not None
        else None
    )
    addresses = {
        "none": None,
        "safe": AddressFactory(person=victim, safe_to_write=True),
        "unsafe": AddressFactory(person=victim, safe_to_write=False),
        "old": AddressFactory(person=victim, safe_to_write=True, is_current=False),
        "someone_else": AddressFactory(safe_to_write=True),
    }
    return victim, preference, addresses


def _moment(contact: VictimContact) -> dt.datetime:
    moment = contact.occurred_at if contact.happened else contact.scheduled_for
    assert moment is not None
    return moment


def _assert_every_row_allowed(victim, preference, *, statuses):
    for contact in VictimContact.objects.filter(victim=victim, status__in=statuses):
        verdict = check_contact(
            preference,
            method=contact.method,
            at=_moment(contact),
            address=contact.address,
        )
        assert verdict.allowed, (contact.method, _moment(contact), verdict.reasons)


def _attempt(call):
    """``"saved"``, ``"refused"`` (the rules) or ``"invalid"`` (anything else)."""
    try:
        with frozen_at(NOW):
            call()
    except services.SafeContactRefused:
        return "refused"
    except services.VictimContactError:
        return "invalid"
    return "saved"


def _expected(preference, method, at, address):
    letter_address = address if method == ContactMethod.LETTER else None
    return check_contact(preference, method=method, at=at, address=letter_address)


@given(
    values=rules(),
    method=methods,
    at=moments,
    address_kind=st.sampled_from(ADDRESS_KINDS),
)
@property_settings
def test_property_log_never_stores_a_forbidden_contact(
    cast, values, method, at, address_kind
):
    victim, preference, addresses = _victim(cast, values)
    address = addresses[address_kind]

    outcome = _attempt(
        lambda: services.victim_contact_log(
            actor=actor_for(cast.lead_worker),
            case=cast.case,
            victim=victim,
            method=method,
            occurred_at=at,
            summary="Told them about the hearing.",
            address=address,
        )
    )

    _assert_every_row_allowed(victim, preference, statuses=["done"])
    expected = _expected(preference, method, at, address)
    if at > NOW or (method == ContactMethod.LETTER and address_kind == "someone_else"):
        assert outcome == "invalid"
    else:
        assert outcome == ("saved" if expected.allowed else "refused")


@given(
    values=rules(),
    method=methods,
    at=moments,
    address_kind=st.sampled_from(ADDRESS_KINDS),
)
@property_settings
def test_property_schedule_never_stores_a_forbidden_contact(
    cast, values, method, at, address_kind
):
    victim, preference, addresses = _victim(cast, values)
    address = addresses[address_kind]

    outcome = _attempt(
        lambda: services.victim_contact_schedule(
            actor=actor_for(cast.lead_worker),
            case=cast.case,
            victim=victim,
            method=method,
            scheduled_for=at,
            summary="Tell them about the hearing.",
            address=address,
        )
    )

    _assert_every_row_allowed(victim, preference, statuses=["scheduled"])
    expected = _expected(preference, method, at, address)
    if at <= NOW or (method == ContactMethod.LETTER and address_kind == "someone_else"):
        assert outcome == "invalid"
    else:
        assert outcome == ("saved" if expected.allowed else "refused")


@given(
    values=rules(),
    method=methods,
    at=moments,
    address_kind=st.sampled_from(("safe", "unsafe", "old")),
    outcome_status=st.sampled_from(["done", "attempted_no_answer"]),
)
@property_settings
def test_property_complete_never_stores_a_forbidden_contact(
    cast, values, method, at, address_kind, outcome_status
):
    victim, preference, addresses = _victim(cast, values)
    # Scheduled past the rules (as if they changed after it was planned).
    address = addresses[address_kind] if method == ContactMethod.LETTER else None
    contact = VictimContactFactory(
        case=cast.case,
        victim=victim,
        method=method,
        address=address,
        agency=cast.police_a,
        recorded_by=cast.lead_worker,
        scheduled_for=NOW - dt.timedelta(days=11),
    )

    outcome = _attempt(
        lambda: services.victim_contact_complete(
            actor=actor_for(cast.lead_worker),
            contact=contact,
            version=contact.version,
            occurred_at=at,
            outcome=outcome_status,
            summary="Told them about the hearing.",
        )
    )

    _assert_every_row_allowed(
        victim, preference, statuses=["done", "attempted_no_answer"]
    )
    stored = VictimContact.objects.get(pk=contact.pk)
    expected = _expected(preference, method, at, address)
    if at > NOW:
        assert outcome == "invalid"
    else:
        assert outcome == ("saved" if expected.allowed else "refused")
    assert (stored.status == outcome_status) == (outcome == "saved")


@given(values=rules(), method=methods, at=moments)
@property_settings
def test_property_the_victim_getting_in_touch_is_always_logged(
    cast, values, method, at
):
    """The rules bind agencies, not the victim: what she chose is recorded,
    and nothing logged this way can be mistaken for an agency's contact."""
    victim, _, _ = _victim(cast, values)

    outcome = _attempt(
        lambda: services.victim_contact_log(
            actor=actor_for(cast.lead_worker),
            case=cast.case,
            victim=victim,
            method=method,
            occurred_at=at,
            summary="She called to ask about the hearing.",
            initiated_by_victim=True,
        )
    )

    assert outcome == ("invalid" if at > NOW else "saved")
    assert not VictimContact.objects.filter(
        victim=victim, initiated_by_victim=False
    ).exists()
