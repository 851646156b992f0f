"""Writes to cases: create, edit, status, risk, allocation, sharing, notes, access,
closure and its follow-ups.

Every service takes the acting ``Actor``, runs in one transaction and records
its audit event inside it, so a change and its audit row stand or fall together.
The services live in one module per group of verbs; import them from here
(``from masip.cases import services``).
"""

from masip.cases.services.allocation import allocation_end, case_allocate
from masip.cases.services.break_glass import (
    case_break_glass,
    case_break_glass_not_found,
    case_purpose_give,
)
from masip.cases.services.cases import (
    EDITABLE_FIELDS,
    REFERENCE_ATTEMPTS,
    case_change_risk,
    case_change_status,
    case_create,
    case_current_values,
    case_reference_new,
    case_update,
    status_apply,
)
from masip.cases.services.closure import (
    ChecklistNotMet,
    case_reopen,
    closure_approve,
    closure_checklist_for,
    closure_refuse,
    closure_request,
    closure_withdraw,
    follow_up_record,
    remind_follow_ups_due,
)
from masip.cases.services.notes import note_add
from masip.cases.services.sharing import (
    MAX_SHARE_DAYS,
    case_share,
    share_expiry_problem,
    share_revoke,
)

__all__ = [
    "EDITABLE_FIELDS",
    "MAX_SHARE_DAYS",
    "REFERENCE_ATTEMPTS",
    "ChecklistNotMet",
    "allocation_end",
    "case_allocate",
    "case_break_glass",
    "case_break_glass_not_found",
    "case_change_risk",
    "case_change_status",
    "case_create",
    "case_current_values",
    "case_purpose_give",
    "case_reference_new",
    "case_reopen",
    "case_share",
    "case_update",
    "closure_approve",
    "closure_checklist_for",
    "closure_refuse",
    "closure_request",
    "closure_withdraw",
    "follow_up_record",
    "note_add",
    "remind_follow_ups_due",
    "share_expiry_problem",
    "share_revoke",
    "status_apply",
]
