"""Which conditions an incident may breach (a pure function: no database)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from masip.incidents.models import Behaviour
from masip.orders.models import (
    POSITIVE_REQUIREMENTS,
    ConditionKind,
    Order,
    OrderCondition,
    OrderKind,
)
from masip.orders.suggestions import suggest_breaches
from masip.people.models import Channel

D = dt.date
# Noon in London on 10 March 2026 (GMT).
AT = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def _order(**values) -> Order:
    defaults = {
        "kind": OrderKind.SPO_FULL,
        "made_on": D(2026, 3, 1),
        "served_on": D(2026, 3, 2),
        "expires_on": D(2028, 3, 2),
    }
    return Order(**{**defaults, **values})


def _condition(kind, order=None, **values) -> OrderCondition:
    defaults = {"starts_on": D(2026, 3, 1), "wording": "As the order says."}
    return OrderCondition(order=order or _order(), kind=kind, **{**defaults, **values})


def _suggest(conditions, *, channels=(), behaviours=(), at=AT):
    return suggest_breaches(
        channels=channels, behaviours=behaviours, occurred_at=at, conditions=conditions
    )


def test_text_message_breaches_no_contact_with_a_reason():
    no_contact = _condition(ConditionKind.NO_CONTACT, includes_indirect=True)

    [found] = _suggest([no_contact], channels=["text"], behaviours=["contacting"])

    assert found.condition is no_contact
    assert found.reason == (
        "A text message and contacting or trying to contact while "
        "'No contact, direct or indirect' is in force"
    )


@pytest.mark.parametrize(
    "channel",
    ["phone", "text", "email", "social_media", "letter", "gifts", "in_person"],
)
def test_direct_channels_breach_no_contact(channel):
    assert _suggest([_condition(ConditionKind.NO_CONTACT)], channels=[channel])


def test_third_party_breaches_no_contact_only_if_it_includes_indirect():
    direct_only = _condition(ConditionKind.NO_CONTACT, includes_indirect=False)
    indirect = _condition(ConditionKind.NO_CONTACT, includes_indirect=True)

    found = _suggest([direct_only, indirect], channels=["third_party"])

    assert [s.condition for s in found] == [indirect]


def test_third_party_breaches_no_third_party_contact():
    condition = _condition(ConditionKind.NO_THIRD_PARTY_CONTACT)

    assert _suggest([condition], channels=["third_party"])
    assert not _suggest([condition], channels=["text"])


@pytest.mark.parametrize(
    "kind", [ConditionKind.EXCLUSION_ZONE, ConditionKind.NO_APPROACH]
)
@pytest.mark.parametrize(
    ("channels", "behaviours"),
    [(["in_person"], []), ([], ["following"]), ([], ["loitering"]), ([], ["watching"])],
)
def test_being_there_breaches_zones_and_no_approach(kind, channels, behaviours):
    assert _suggest([_condition(kind)], channels=channels, behaviours=behaviours)


def test_a_phone_call_does_not_breach_an_exclusion_zone():
    assert not _suggest([_condition(ConditionKind.EXCLUSION_ZONE)], channels=["phone"])


def test_publishing_breaches_no_posting_and_names_social_media():
    condition = _condition(ConditionKind.NO_POSTING)

    [found] = _suggest(
        [condition], channels=["social_media"], behaviours=["publishing"]
    )

    assert found.reason.startswith(
        "Publishing material about the victim on social media"
    )
    assert not _suggest([condition], channels=["social_media"])


@pytest.mark.parametrize(
    ("channels", "behaviours"),
    [(["tracking"], []), (["spyware"], []), ([], ["monitoring"])],
)
def test_tracking_spyware_and_monitoring_breach_no_monitoring(channels, behaviours):
    condition = _condition(ConditionKind.NO_MONITORING)

    assert _suggest([condition], channels=channels, behaviours=behaviours)


def test_a_condition_not_yet_started_or_ended_is_not_suggested():
    later = _condition(ConditionKind.NO_CONTACT, starts_on=D(2026, 3, 11))
    ended = _condition(
        ConditionKind.NO_CONTACT, starts_on=D(2026, 3, 1), ends_on=D(2026, 3, 10)
    )

    assert not _suggest([later, ended], channels=["text"])


def test_an_order_not_yet_served_expired_or_discharged_suggests_nothing():
    unserved = _order(served_on=None)
    expired = _order(expires_on=D(2026, 3, 9))
    discharged = _order(discharged_on=D(2026, 3, 10))
    conditions = [
        _condition(ConditionKind.NO_CONTACT, order=o)
        for o in (unserved, expired, discharged)
    ]

    assert not _suggest(conditions, channels=["text"])


def test_the_day_is_the_london_day_of_the_incident():
    # 23:30 UTC on 1 July 2026 is 00:30 on 2 July in London (BST).
    order = _order(made_on=D(2026, 7, 1), served_on=D(2026, 7, 2))
    condition = _condition(
        ConditionKind.NO_CONTACT, order=order, starts_on=D(2026, 7, 1)
    )

    late = dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)

    assert _suggest([condition], channels=["text"], at=late)
    assert not _suggest([condition], channels=["text"], at=late - dt.timedelta(hours=1))


@given(
    kind=st.sampled_from(sorted(POSITIVE_REQUIREMENTS | {ConditionKind.CURFEW})),
    channels=st.lists(st.sampled_from(Channel.values), unique=True),
    behaviours=st.lists(st.sampled_from(Behaviour.values), unique=True),
)
def test_positive_requirements_are_never_suggested_from_an_incident(
    kind, channels, behaviours
):
    assert not _suggest([_condition(kind)], channels=channels, behaviours=behaviours)
