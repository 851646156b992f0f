"""The insider detectors: each rule a small class (see rules/base.py)."""

from collections import defaultdict

from masip.alerts.rules.activity import (
    BreakGlassRule,
    ConflictBlockedRule,
    ExportSpikeRule,
    SealedOffHoursRule,
    StaffInvolvedBlockedRule,
)
from masip.alerts.rules.base import EventContext, Finding, Rule
from masip.alerts.rules.casework import (
    AddressMatchRule,
    SurnameMatchRule,
    UnallocatedVolumeRule,
)

RULES: tuple[Rule, ...] = (
    SurnameMatchRule(),
    AddressMatchRule(),
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
