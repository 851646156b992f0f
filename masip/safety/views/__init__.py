"""Safety pages of a case: the overview, the victim-update log, logging and
scheduling contacts (checked against the victim's safe-contact rules), and
the victim's safety plan (current version, history, a new version).

Thin: the case comes from the access module (CaseView), reads from
``selectors``, writes through ``services``. Victim location and contact
details follow ``masip.access.reveal``: withheld without the compartment,
masked until revealed, shown once revealed. The structured contact rules
(channels, days, hours, voicemail) are shown to everyone holding the
compartment, revealed or not, because they must be obeyed; the victim's own
words and code word only once revealed. Addresses are never shown here.
``_base`` holds what the pages share; ``urls.py`` maps each view from here.
"""

from masip.safety.views.contacts import (
    ContactCancelView,
    ContactCompleteView,
    ContactDetailView,
    ContactLogView,
    ContactScheduleView,
)
from masip.safety.views.overview import SafetyOverviewView, VictimUpdateLogView
from masip.safety.views.plans import PlanEditView, PlanHistoryView, PlanView

__all__ = [
    "ContactCancelView",
    "ContactCompleteView",
    "ContactDetailView",
    "ContactLogView",
    "ContactScheduleView",
    "PlanEditView",
    "PlanHistoryView",
    "PlanView",
    "SafetyOverviewView",
    "VictimUpdateLogView",
]
