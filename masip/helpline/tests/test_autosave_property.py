"""Property: whatever an autosave is sent, no answer saved before is lost.

An answer is changed only by a valid new value for it; a bad value is
skipped and reported; answers not sent stay as they were.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from masip.helpline import fields as f
from masip.helpline import services
from masip.helpline.services.autosave import _context
from masip.helpline.tests.factories import actor_for, draft_for

pytestmark = pytest.mark.django_db

SAVED = {
    "channel": "phone",
    "caller_type": "victim",
    "force_area": "kent",
    "behaviours": ["following", "watching"],
    "four_fixated": "yes",
    "risk_weapons": "no",
    "narrative": "Saved before: he waits outside my work.",
    "notes": "Earlier note.",
    "follow_up": "callback",
    "follow_up_date_0": "3",
    "follow_up_date_1": "4",
    "follow_up_date_2": "2031",
}
NAMES = [
    "channel",
    "caller_type",
    "force_area",
    "behaviours",
    "four_fixated",
    "risk_weapons",
    "narrative",
    "notes",
    "follow_up",
    "follow_up_date_0",
    "follow_up_time",
    "safeguarding_decided_by",
    "advice",
    "caller_phone",
]
junk = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "yes", "none", "phone", "99", "0", "-1", "on", "\x00"]),
)
posted = st.dictionaries(
    st.sampled_from(NAMES), st.lists(junk, min_size=0, max_size=3), max_size=6
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(values=posted)
def test_autosave_never_loses_a_saved_answer(cast, values):
    contact = draft_for(cast.helpline_adviser, **SAVED)
    instrument = f.instrument_of(contact)
    before = {s.name: s.read(contact) for s in f.specs(instrument) if not s.secret}

    result = services.contact_autosave(
        actor=actor_for(cast.helpline_adviser),
        contact=contact,
        values=values,
        version=contact.version,
    )

    contact.refresh_from_db()
    context = _context(contact, {"advice", "safeguarding_decided_by"})
    for spec in f.specs(instrument):
        if spec.secret:
            continue
        after = spec.read(contact)
        if spec.name in result.saved:
            assert after == spec.parse(values, context)
        else:
            assert after == before[spec.name], spec.name
        if not set(spec.inputs) & set(values):
            assert after == before[spec.name], spec.name
