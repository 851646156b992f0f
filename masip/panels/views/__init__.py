"""Pages of the panels: the panel, its meetings, the agenda, attendance and,
for each case listed, what the panel discussed, shared and agreed.

Thin: meetings come through ``access.meeting_for`` (404 when missing or out
of reach), every case through ``access.case_for``; the writing is done by
``masip.panels.services`` (and actions by ``action_services``).

One module per area; what the pages share is in ``_base``. The views are
re-exported here for ``masip/panels/urls.py`` (``views.PanelListView``).
"""

from masip.panels.views.agenda_page import AgendaView
from masip.panels.views.attendance import AttendanceView
from masip.panels.views.items import (
    ActionCreateView,
    DiscussionView,
    InformationShareView,
    ItemDetailView,
    NotDiscussedView,
)
from masip.panels.views.meetings import (
    MeetingCancelView,
    MeetingCreateView,
    MeetingDetailView,
    MeetingEditView,
    MeetingHeldView,
    MinutesIssueView,
)
from masip.panels.views.panel import PanelEditView, PanelListView

__all__ = [
    "ActionCreateView",
    "AgendaView",
    "AttendanceView",
    "DiscussionView",
    "InformationShareView",
    "ItemDetailView",
    "MeetingCancelView",
    "MeetingCreateView",
    "MeetingDetailView",
    "MeetingEditView",
    "MeetingHeldView",
    "MinutesIssueView",
    "NotDiscussedView",
    "PanelEditView",
    "PanelListView",
]
