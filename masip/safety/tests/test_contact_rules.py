"""The safe-contact rules engine: pure, so no database is needed."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from masip.people.models import Address, Channel, SafeContactPreference
from masip.safety.contact_rules import (
    METHOD_CHANNEL,
    UK,
    ContactMethod,
    Rule,
    check_contact,
    in_window,
    rules_in_words,
    warns_no_voicemail,
)

# Monday 16 March 2026, in UK time (GMT); 30 March is after the clocks change.
MONDAY_NOON = dt.datetime(2026, 3, 16, 12, 0, tzinfo=UK)


def _preference(**values):
    fields = {
        "person_id": 1,
        "safe_channels": [],
        "forbidden_channels": [],
        "contact_days": [],
        "contact_from": None,
        "contact_until": None,
        "no_voicemail": True,
    }
    fields.update(values)
    return SafeContactPreference(**fields)


def _address(**values):
    fields = {"person_id": 1, "is_current": True, "safe_to_write": True}
    fields.update(values)
    return Address(**fields)


def test_check_contact_without_rules_allows_a_call():
    verdict = check_contact(
        None, method=ContactMethod.CALL, at=MONDAY_NOON, address=None
    )

    assert verdict.allowed
    assert verdict.reasons == []


def test_check_contact_without_rules_refuses_voicemail():
    verdict = check_contact(
        None, method=ContactMethod.VOICEMAIL, at=MONDAY_NOON, address=None
    )

    assert not verdict.allowed
    assert verdict.rules == [Rule.NO_RULES_NO_VOICEMAIL]


def test_check_contact_forbidden_channel_is_refused_with_a_sentence():
    preference = _preference(forbidden_channels=[Channel.TEXT])

    verdict = check_contact(
        preference, method=ContactMethod.TEXT, at=MONDAY_NOON, address=None
    )

    assert not verdict.allowed
    assert verdict.reasons == [
        "The victim has asked never to be contacted by text message."
    ]


def test_check_contact_channel_not_among_listed_safe_ones_is_refused():
    preference = _preference(safe_channels=[Channel.PHONE, Channel.EMAIL])

    verdict = check_contact(
        preference, method=ContactMethod.VISIT, at=MONDAY_NOON, address=None
    )

    assert verdict.rules == [Rule.NOT_A_SAFE_CHANNEL]
    assert "Safe ways: phone and email." in verdict.reasons[0]


def test_check_contact_voicemail_refused_when_no_voicemail():
    verdict = check_contact(
        _preference(no_voicemail=True),
        method=ContactMethod.VOICEMAIL,
        at=MONDAY_NOON,
        address=None,
    )

    assert verdict.reasons == [
        "The victim has asked for no voicemail messages to be left."
    ]


def test_check_contact_voicemail_allowed_when_the_victim_allows_it():
    verdict = check_contact(
        _preference(no_voicemail=False),
        method=ContactMethod.VOICEMAIL,
        at=MONDAY_NOON,
        address=None,
    )

    assert verdict.allowed


def test_check_contact_on_a_day_not_allowed_is_refused():
    preference = _preference(contact_days=[0, 1, 2, 3, 4])
    sunday = dt.datetime(2026, 3, 15, 12, 0, tzinfo=UK)

    verdict = check_contact(
        preference, method=ContactMethod.CALL, at=sunday, address=None
    )

    assert verdict.rules == [Rule.DAY]
    assert verdict.reasons[0].startswith(
        "The victim may be contacted only on Monday to Friday. Sunday 15 March 2026"
    )


def test_check_contact_outside_the_hours_is_refused():
    preference = _preference(contact_from=dt.time(10), contact_until=dt.time(14))
    late = dt.datetime(2026, 3, 16, 16, 30, tzinfo=UK)

    verdict = check_contact(
        preference, method=ContactMethod.CALL, at=late, address=None
    )

    assert verdict.reasons == [
        "The victim may be contacted only between 10am and 2pm (UK time). 4:30pm "
        "is outside that."
    ]


@pytest.mark.parametrize(
    ("hour", "minute", "allowed"),
    [(9, 59, False), (10, 0, True), (13, 59, True), (14, 0, False)],
)
def test_check_contact_window_includes_its_start_not_its_end(hour, minute, allowed):
    preference = _preference(contact_from=dt.time(10), contact_until=dt.time(14))
    at = dt.datetime(2026, 3, 16, hour, minute, tzinfo=UK)

    verdict = check_contact(preference, method=ContactMethod.CALL, at=at, address=None)

    assert verdict.allowed is allowed


def test_check_contact_reads_the_time_in_uk_summer_time():
    preference = _preference(contact_from=dt.time(10), contact_until=dt.time(14))
    # 09:30 UTC on 30 March 2026 is 10:30 British Summer Time.
    at = dt.datetime(2026, 3, 30, 9, 30, tzinfo=dt.UTC)

    verdict = check_contact(preference, method=ContactMethod.CALL, at=at, address=None)

    assert verdict.allowed


def test_check_contact_day_is_the_uk_day_not_the_utc_day():
    preference = _preference(contact_days=[0])  # Mondays only
    # 23:30 UTC on Sunday 29 March is 00:30 BST on Monday 30 March.
    at = dt.datetime(2026, 3, 29, 23, 30, tzinfo=dt.UTC)

    verdict = check_contact(preference, method=ContactMethod.CALL, at=at, address=None)

    assert verdict.allowed


def test_check_contact_open_ended_windows():
    late = dt.datetime(2026, 3, 16, 20, 0, tzinfo=UK)
    early = dt.datetime(2026, 3, 16, 7, 0, tzinfo=UK)
    from_ten = _preference(contact_from=dt.time(10))
    until_two = _preference(contact_until=dt.time(14))

    assert check_contact(from_ten, method="call", at=late, address=None).allowed
    assert not check_contact(from_ten, method="call", at=early, address=None).allowed
    assert check_contact(until_two, method="call", at=early, address=None).allowed
    assert not check_contact(until_two, method="call", at=late, address=None).allowed


def test_check_contact_letter_without_an_address_is_refused():
    verdict = check_contact(
        _preference(), method=ContactMethod.LETTER, at=MONDAY_NOON, address=None
    )

    assert verdict.rules == [Rule.NO_ADDRESS]


@pytest.mark.parametrize(
    "address",
    [
        {"safe_to_write": False},
        {"is_current": False},
        {"person_id": 2},
    ],
    ids=["not-safe", "not-current", "someone-else"],
)
def test_check_contact_letter_to_an_address_not_safe_is_refused(address):
    verdict = check_contact(
        _preference(),
        method=ContactMethod.LETTER,
        at=MONDAY_NOON,
        address=_address(**address),
    )

    assert verdict.rules == [Rule.ADDRESS_NOT_SAFE]


def test_check_contact_letter_to_the_safe_current_address_is_allowed_any_time():
    preference = _preference(
        contact_days=[0], contact_from=dt.time(10), contact_until=dt.time(11)
    )
    sunday_night = dt.datetime(2026, 3, 15, 23, 0, tzinfo=UK)

    verdict = check_contact(
        preference, method=ContactMethod.LETTER, at=sunday_night, address=_address()
    )

    assert verdict.allowed


def test_check_contact_letter_without_rules_still_needs_a_safe_address():
    refused = check_contact(
        None,
        method=ContactMethod.LETTER,
        at=MONDAY_NOON,
        address=_address(safe_to_write=False),
    )
    allowed = check_contact(
        None, method=ContactMethod.LETTER, at=MONDAY_NOON, address=_address()
    )

    assert refused.rules == [Rule.ADDRESS_NOT_SAFE]
    assert allowed.allowed


def test_check_contact_gives_every_reason_at_once():
    preference = _preference(
        forbidden_channels=[Channel.PHONE],
        contact_days=[0],
        contact_from=dt.time(9),
        contact_until=dt.time(10),
        no_voicemail=True,
    )
    sunday_noon = dt.datetime(2026, 3, 15, 12, 0, tzinfo=UK)

    verdict = check_contact(
        preference, method=ContactMethod.VOICEMAIL, at=sunday_noon, address=None
    )

    assert verdict.rules == [
        Rule.FORBIDDEN_CHANNEL,
        Rule.NO_VOICEMAIL,
        Rule.DAY,
        Rule.HOURS,
    ]
    assert len(verdict.reasons) == 4


def test_check_contact_refuses_a_naive_time():
    naive = dt.datetime(2026, 3, 16)  # noqa: DTZ001 - naive on purpose

    with pytest.raises(ValueError, match="aware"):
        check_contact(None, method=ContactMethod.CALL, at=naive, address=None)


def test_in_window_without_limits_is_always_true():
    assert in_window(_preference(), dt.time(3, 0))


def test_rules_in_words_say_the_rules_and_no_voicemail():
    preference = _preference(
        safe_channels=[Channel.PHONE],
        forbidden_channels=[Channel.LETTER, Channel.TEXT],
        contact_days=[0, 1, 2, 3, 4],
        contact_from=dt.time(10),
        contact_until=dt.time(14, 30),
    )

    assert rules_in_words(preference) == [
        "Safe ways to contact them: phone.",
        "Never contact them by letter and text message.",
        "Days: Monday to Friday. Hours (UK time): Between 10am and 2:30pm.",
        "No voicemail messages.",
    ]


def test_warns_no_voicemail_by_default_and_when_asked():
    assert warns_no_voicemail(None)
    assert warns_no_voicemail(_preference(no_voicemail=True))
    assert not warns_no_voicemail(_preference(no_voicemail=False))


# Properties ------------------------------------------------------------------

channels = st.sampled_from(Channel.values)
methods = st.sampled_from(ContactMethod.values)
moments = st.datetimes(
    # Hypothesis takes naive bounds and adds the time zone itself.
    min_value=dt.datetime(2025, 1, 1),  # noqa: DTZ001
    max_value=dt.datetime(2027, 12, 31),  # noqa: DTZ001
    timezones=st.just(dt.UTC),
)


@st.composite
def preferences(draw):
    forbidden = draw(st.lists(channels, unique=True, max_size=4))
    safe = draw(
        st.lists(channels.filter(lambda c: c not in forbidden), unique=True, max_size=4)
    )
    start = draw(st.none() | st.times(max_value=dt.time(22)))
    end = draw(st.none() | st.times(min_value=dt.time(1)))
    if start is not None and end is not None and start >= end:
        start, end = None, end
    return _preference(
        safe_channels=safe,
        forbidden_channels=forbidden,
        contact_days=draw(st.lists(st.integers(0, 6), unique=True, max_size=7)),
        contact_from=start,
        contact_until=end,
        no_voicemail=draw(st.booleans()),
    )


@given(preference=preferences(), method=methods, at=moments)
def test_property_a_forbidden_channel_is_never_allowed(preference, method, at):
    verdict = check_contact(preference, method=method, at=at, address=_address())

    if METHOD_CHANNEL[method] in preference.forbidden_channels:
        assert not verdict.allowed
    assert verdict.allowed == (verdict.reasons == []) == (verdict.rules == [])


@given(preference=preferences(), method=methods, at=moments)
def test_property_an_allowed_timed_contact_is_on_an_allowed_day_and_hour(
    preference, method, at
):
    verdict = check_contact(preference, method=method, at=at, address=_address())

    local = at.astimezone(UK)
    if verdict.allowed and method != ContactMethod.LETTER:
        assert not preference.contact_days or local.weekday() in (
            preference.contact_days
        )
        assert preference.contact_from is None or local.time() >= (
            preference.contact_from
        )
        assert preference.contact_until is None or local.time() < (
            preference.contact_until
        )
        assert method != ContactMethod.VOICEMAIL or not preference.no_voicemail
