"""The helpline pages: home (start a contact, your drafts, recent contacts,
find a caller), the live-call page with its autosave endpoint, the summary
of a finished contact, the list of advice topics, the handover page and the
statistics.

Thin: contacts come through ``Access`` (``selectors``), writes go through
``services``. Every contact page is reached by ``<uuid:public_id>``:
missing and out of reach answer 404 alike.

One module per page group; what the contact pages share is in ``_base``.
The views are re-exported here for the URL modules (``views.HomeView``).
"""

from masip.helpline.views.advice import (
    AdviceActiveView,
    AdviceEditView,
    AdviceListView,
    AdviceMoveView,
)
from masip.helpline.views.autosave import ContactAutosaveView
from masip.helpline.views.contact import (
    ContactDetailView,
    ContactDiscardView,
    ContactReopenView,
    ContactUnlinkCallerView,
    ContactView,
)
from masip.helpline.views.handover import HandoverView
from masip.helpline.views.home import CallerSearchView, ContactStartView, HomeView
from masip.helpline.views.stats import StatsExportView, StatsView

__all__ = [
    "AdviceActiveView",
    "AdviceEditView",
    "AdviceListView",
    "AdviceMoveView",
    "CallerSearchView",
    "ContactAutosaveView",
    "ContactDetailView",
    "ContactDiscardView",
    "ContactReopenView",
    "ContactStartView",
    "ContactUnlinkCallerView",
    "ContactView",
    "HandoverView",
    "HomeView",
    "StatsExportView",
    "StatsView",
]
