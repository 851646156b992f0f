"""The insider detectors: each rule a small class (see rules/base.py).

Not yet here: a user opening a case whose people share the user's address.
It needs the keyed blind index of addresses (another piece of the security
work) and a staff home-address record to compare with; it will be one more
class in this list, reading both through a new ``EventContext`` accessor.
"""

from collections import defaultdict

from masip.alerts.rules.activity import (
    BreakGlassRule,
    ConflictBlockedRule,
    ExportSpikeRule,
    SealedOffHoursRule,
    StaffInvolvedBlockedRule,
)
from masip.alerts.rules.base import EventContext, Finding, Rule
from masip.alerts.rules.casework import SurnameMatchRule, UnallocatedVolumeRule

RULES: tuple[Rule, ...] = (
    SurnameMatchRule(),
    UnallocatedVolumeRule(),
    SealedOffHoursRule(),
    BreakGlassRule(),
    ExportSpikeRule(),
    ConflictBlockedRule(),
    StaffInvolvedBlockedRule(),
)


def _by_event_type() -> dict[str, tuple[Rule, ...]]:
    index: dict[str, list[Rule]] = defaultdict(list)
    for rule in RULES:
        for event_type in rule.event_types:
            index[event_type].append(rule)
    return {event_type: tuple(rules) for event_type, rules in index.items()}


RULES_BY_EVENT_TYPE = _by_event_type()
WATCHED_EVENT_TYPES = frozenset(RULES_BY_EVENT_TYPE)

__all__ = ["RULES", "RULES_BY_EVENT_TYPE", "EventContext", "Finding", "Rule"]
