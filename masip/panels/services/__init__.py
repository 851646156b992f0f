"""Writing panel records: the panel, its meetings, agendas, attendance, what
was discussed and shared, and the minutes.

The views have found the meeting through ``access.meeting_for`` and every
case through ``access.case_for`` (``PANEL_MANAGE``); each service checks
again that the acting membership runs the panel's site (defence in depth),
refuses changes once the minutes are issued, and records its audit event in
the same transaction. Actions agreed at panel are written by
``masip.panels.action_services``.

The services live in one module per entity; import them from here
(``from masip.panels import services``). What they share (the input error,
the meeting lock and the checks) is in ``_common``.
"""

from masip.panels.services._common import PanelInputError
from masip.panels.services.agenda_items import (
    agenda_add,
    agenda_add_all,
    agenda_move,
    agenda_remove,
)
from masip.panels.services.attendance import attendance_record
from masip.panels.services.discussion import (
    AGREED_LEVELS,
    discussion_record,
    ensure_records_open,
    item_mark_not_discussed,
)
from masip.panels.services.meetings import (
    MEETING_FIELDS,
    meeting_cancel,
    meeting_current_values,
    meeting_date_problem,
    meeting_mark_held,
    meeting_schedule,
    meeting_update,
    minutes_issue,
)
from masip.panels.services.panel import panel_save
from masip.panels.services.sharing import (
    CONSENT_REASON_MESSAGES,
    NEEDS_CONDITION,
    information_share_record,
    share_problems,
)

__all__ = [
    "AGREED_LEVELS",
    "CONSENT_REASON_MESSAGES",
    "MEETING_FIELDS",
    "NEEDS_CONDITION",
    "PanelInputError",
    "agenda_add",
    "agenda_add_all",
    "agenda_move",
    "agenda_remove",
    "attendance_record",
    "discussion_record",
    "ensure_records_open",
    "information_share_record",
    "item_mark_not_discussed",
    "meeting_cancel",
    "meeting_current_values",
    "meeting_date_problem",
    "meeting_mark_held",
    "meeting_schedule",
    "meeting_update",
    "minutes_issue",
    "panel_save",
    "share_problems",
]
