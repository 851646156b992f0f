"""Writing safety plans and victim contacts (see ``contacts`` and ``plans``)."""

from masip.safety.services.contacts import (
    SafeContactRefused,
    VictimContactError,
    victim_contact_cancel,
    victim_contact_complete,
    victim_contact_log,
    victim_contact_schedule,
)
from masip.safety.services.plans import (
    SafetyPlanError,
    plan_current_values,
    safety_plan_save,
)

__all__ = [
    "SafeContactRefused",
    "SafetyPlanError",
    "VictimContactError",
    "plan_current_values",
    "safety_plan_save",
    "victim_contact_cancel",
    "victim_contact_complete",
    "victim_contact_log",
    "victim_contact_schedule",
]
