"""URLs of the cases app."""

from django.urls import path

from masip.cases.views import (
    access_log,
    break_glass,
    case,
    closure,
    lists,
    notes,
    reveal,
    sharing,
    staff_involved,
    workflow,
)

app_name = "cases"
urlpatterns = [
    path("", lists.CaseListView.as_view(), name="case-list"),
    path("mine/", lists.MyCasesView.as_view(), name="my-cases"),
    path("create/", case.CaseCreateView.as_view(), name="case-create"),
    path("break-glass/", break_glass.BreakGlassView.as_view(), name="break-glass"),
    path("<str:reference>/", case.CaseDetailView.as_view(), name="case-detail"),
    path("<str:reference>/edit/", case.CaseEditView.as_view(), name="case-edit"),
    path(
        "<str:reference>/status/", workflow.CaseStatusView.as_view(), name="case-status"
    ),
    path("<str:reference>/risk/", workflow.CaseRiskView.as_view(), name="case-risk"),
    path(
        "<str:reference>/allocate/",
        workflow.CaseAllocateView.as_view(),
        name="case-allocate",
    ),
    path(
        "<str:reference>/allocations/<int:pk>/end/",
        workflow.AllocationEndView.as_view(),
        name="allocation-end",
    ),
    path("<str:reference>/share/", sharing.CaseShareView.as_view(), name="case-share"),
    path(
        "<str:reference>/shares/<int:pk>/revoke/",
        sharing.ShareRevokeView.as_view(),
        name="share-revoke",
    ),
    path("<str:reference>/notes/", notes.NoteListView.as_view(), name="note-list"),
    path("<str:reference>/notes/add/", notes.NoteAddView.as_view(), name="note-add"),
    path(
        "<str:reference>/access-log/",
        access_log.AccessLogView.as_view(),
        name="access-log",
    ),
    path("<str:reference>/reveal/", reveal.RevealView.as_view(), name="reveal"),
    path(
        "<str:reference>/reveal/end/",
        reveal.RevealEndView.as_view(),
        name="reveal-end",
    ),
    path(
        "<str:reference>/purpose/",
        break_glass.CasePurposeView.as_view(),
        name="case-purpose",
    ),
    path("<str:reference>/close/", closure.CaseCloseView.as_view(), name="case-close"),
    path(
        "<str:reference>/closure/",
        closure.ClosureOverviewView.as_view(),
        name="case-closure",
    ),
    path(
        "<str:reference>/closure/<uuid:public_id>/",
        closure.ClosureDetailView.as_view(),
        name="closure-detail",
    ),
    path(
        "<str:reference>/closure/<uuid:public_id>/decide/",
        closure.ClosureDecideView.as_view(),
        name="closure-decide",
    ),
    path(
        "<str:reference>/closure/<uuid:public_id>/withdraw/",
        closure.ClosureWithdrawView.as_view(),
        name="closure-withdraw",
    ),
    path(
        "<str:reference>/reopen/", closure.CaseReopenView.as_view(), name="case-reopen"
    ),
    path(
        "<str:reference>/follow-ups/<uuid:public_id>/",
        closure.FollowUpRecordView.as_view(),
        name="follow-up-record",
    ),
    path(
        "<str:reference>/staff-involved/",
        staff_involved.StaffInvolvedView.as_view(),
        name="case-staff-involved",
    ),
    path(
        "<str:reference>/staff-involved/clear/",
        staff_involved.StaffInvolvedClearView.as_view(),
        name="case-staff-involved-clear",
    ),
]
