"""URLs of the cases app."""

from django.urls import path

from masip.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.CaseListView.as_view(), name="case-list"),
    path("mine/", views.MyCasesView.as_view(), name="my-cases"),
    path("create/", views.CaseCreateView.as_view(), name="case-create"),
    path("break-glass/", views.BreakGlassView.as_view(), name="break-glass"),
    path("<str:reference>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("<str:reference>/edit/", views.CaseEditView.as_view(), name="case-edit"),
    path("<str:reference>/status/", views.CaseStatusView.as_view(), name="case-status"),
    path("<str:reference>/risk/", views.CaseRiskView.as_view(), name="case-risk"),
    path(
        "<str:reference>/allocate/",
        views.CaseAllocateView.as_view(),
        name="case-allocate",
    ),
    path(
        "<str:reference>/allocations/<int:pk>/end/",
        views.AllocationEndView.as_view(),
        name="allocation-end",
    ),
    path("<str:reference>/share/", views.CaseShareView.as_view(), name="case-share"),
    path(
        "<str:reference>/shares/<int:pk>/revoke/",
        views.ShareRevokeView.as_view(),
        name="share-revoke",
    ),
    path("<str:reference>/notes/", views.NoteListView.as_view(), name="note-list"),
    path("<str:reference>/notes/add/", views.NoteAddView.as_view(), name="note-add"),
    path(
        "<str:reference>/access-log/",
        views.AccessLogView.as_view(),
        name="access-log",
    ),
    path(
        "<str:reference>/purpose/",
        views.CasePurposeView.as_view(),
        name="case-purpose",
    ),
]
