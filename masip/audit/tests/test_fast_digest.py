"""``ChainHasher`` gives ``event_digest``'s bytes for any event."""

import string
from datetime import UTC, datetime, timedelta, timezone

from django.test import override_settings
from hypothesis import example, given, settings
from hypothesis import strategies as st

from masip.audit.chain import ChainHasher
from masip.audit.models import AuditEvent
from masip.audit.services import event_digest

_ids = st.one_of(st.none(), st.integers(min_value=-(2**63), max_value=2**63 - 1))
_zones = st.one_of(
    st.just(UTC),
    st.integers(min_value=-23 * 60, max_value=23 * 60).map(
        lambda minutes: timezone(timedelta(minutes=minutes))
    ),
)
_times = st.builds(
    lambda moment, zone, whole: moment.replace(
        tzinfo=zone, microsecond=0 if whole else moment.microsecond
    ),
    # Naive bounds, as hypothesis wants; a day's margin keeps any offset in range.
    st.datetimes(
        min_value=datetime(1000, 1, 2),  # noqa: DTZ001
        max_value=datetime(9999, 12, 30),  # noqa: DTZ001
    ),
    _zones,
    st.booleans(),
)
_ips = st.one_of(st.none(), st.ip_addresses().map(str))
_names = st.lists(st.text(), max_size=5)
# Values no column gives back, for the fallback to json.dumps.
_odd = st.one_of(
    st.booleans(),
    st.floats(allow_nan=False),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=3),
)


def _event(**values: object) -> AuditEvent:
    return AuditEvent(**values)


def _hash_both(key: str, event: AuditEvent) -> tuple[str, str]:
    with override_settings(MASIP_AUDIT_KEY=key):
        expected = event_digest(event)
    fast = ChainHasher(key.encode()).digest(
        event.seq,
        event.occurred_at,
        event.actor_id,
        event.actor_label,
        event.agency_id,
        event.agency_label,
        event.role,
        event.event_type,
        event.target_type,
        event.target_id,
        event.case_reference,
        event.changed_fields,
        event.purpose,
        event.ip_address,
        event.prev_hash,
    )
    return fast, expected


@settings(max_examples=400, deadline=None)
@given(
    key=st.text(min_size=1, max_size=100),
    seq=st.integers(min_value=0, max_value=2**63 - 1),
    occurred_at=_times,
    actor_id=_ids,
    agency_id=_ids,
    labels=st.tuples(*[st.text()] * 9),
    changed_fields=_names,
    ip_address=_ips,
    prev_hash=st.text(alphabet=string.hexdigits.lower(), min_size=64, max_size=64),
)
@example(
    key="k",
    seq=1,
    occurred_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    actor_id=None,
    agency_id=None,
    labels=('Zoë Ø\'Brien "quoted" \\ \n\t\x00 😀', "", "", "", "", "", "", "", ""),
    changed_fields=[],
    ip_address="2001:db8::1",
    prev_hash="0" * 64,
)
def test_chain_hasher_matches_event_digest(
    key, seq, occurred_at, actor_id, agency_id, labels, changed_fields, ip_address,
    prev_hash,
):  # fmt: skip
    actor_label, agency_label, role, event_type, target_type, target_id = labels[:6]
    case_reference, purpose = labels[6:8]
    event = _event(
        seq=seq, occurred_at=occurred_at, actor_id=actor_id, actor_label=actor_label,
        agency_id=agency_id, agency_label=agency_label, role=role,
        event_type=event_type, target_type=target_type, target_id=target_id,
        case_reference=case_reference, changed_fields=changed_fields,
        purpose=purpose, ip_address=ip_address, prev_hash=prev_hash,
    )  # fmt: skip

    fast, expected = _hash_both(key, event)

    assert fast == expected


@settings(max_examples=200, deadline=None)
@given(
    actor_id=st.one_of(_ids, _odd),
    label=st.one_of(st.text(), _odd),
    changed_fields=st.one_of(
        _names, st.lists(st.one_of(st.text(), _odd), max_size=3), st.text(max_size=4)
    ),
)
def test_chain_hasher_matches_event_digest_for_values_of_other_types(
    actor_id, label, changed_fields
):
    event = _event(
        seq=5,
        occurred_at=datetime(2026, 6, 1, 12, 0, tzinfo=UTC),
        actor_id=actor_id,
        actor_label=label,
        agency_id=True,
        event_type="case_viewed",
        changed_fields=changed_fields,
        prev_hash="a" * 64,
    )

    fast, expected = _hash_both("a key", event)

    assert fast == expected


def test_chain_hasher_long_key_is_hashed_first_as_hmac_does():
    event = _event(
        seq=1,
        occurred_at=datetime(2026, 6, 1, tzinfo=UTC),
        event_type="case_viewed",
        prev_hash="0" * 64,
    )

    fast, expected = _hash_both("k" * 200, event)

    assert fast == expected
