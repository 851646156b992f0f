"""Intervention and custody pages of a case: the list, recording, one
intervention (sessions, history) with its update, end and session forms, and
one custody period with its update and release forms.

Thin: the case comes from the access module (CaseView), reads from
``selectors``, writes through ``services``. ``_base`` holds the form page
they share; ``urls.py`` maps each view from here.
"""

from masip.interventions.views.custody import (
    CustodyDetailView,
    CustodyRecordView,
    CustodyUpdateView,
    ReleaseRecordView,
)
from masip.interventions.views.interventions import (
    InterventionDetailView,
    InterventionEndView,
    InterventionListView,
    InterventionRecordView,
    InterventionUpdateView,
    SessionRecordView,
)

__all__ = [
    "CustodyDetailView",
    "CustodyRecordView",
    "CustodyUpdateView",
    "InterventionDetailView",
    "InterventionEndView",
    "InterventionListView",
    "InterventionRecordView",
    "InterventionUpdateView",
    "ReleaseRecordView",
    "SessionRecordView",
]
