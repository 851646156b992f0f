"""Writes for interventions and custody: each checks, saves and audits in
one transaction (see the modules for the rules)."""

from masip.interventions.services._common import InterventionRefused
from masip.interventions.services.custody import (
    custody_current_values,
    custody_record,
    custody_release,
    custody_update,
)
from masip.interventions.services.interventions import (
    intervention_current_values,
    intervention_end,
    intervention_record,
    intervention_update,
    session_record,
)

__all__ = [
    "InterventionRefused",
    "custody_current_values",
    "custody_record",
    "custody_release",
    "custody_update",
    "intervention_current_values",
    "intervention_end",
    "intervention_record",
    "intervention_update",
    "session_record",
]
