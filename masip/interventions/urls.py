"""A case's perpetrator interventions and custody.

Mounted at ``/cases/<reference>/interventions/``.
"""

from django.urls import path

from masip.interventions import views

app_name = "interventions"
urlpatterns = [
    path("", views.InterventionListView.as_view(), name="list"),
    path("new/", views.InterventionRecordView.as_view(), name="record"),
    path("<uuid:public_id>/", views.InterventionDetailView.as_view(), name="detail"),
    path(
        "<uuid:public_id>/update/",
        views.InterventionUpdateView.as_view(),
        name="update",
    ),
    path("<uuid:public_id>/end/", views.InterventionEndView.as_view(), name="end"),
    path(
        "<uuid:public_id>/sessions/new/",
        views.SessionRecordView.as_view(),
        name="session-record",
    ),
    path("custody/new/", views.CustodyRecordView.as_view(), name="custody-record"),
    path(
        "custody/<uuid:public_id>/",
        views.CustodyDetailView.as_view(),
        name="custody-detail",
    ),
    path(
        "custody/<uuid:public_id>/update/",
        views.CustodyUpdateView.as_view(),
        name="custody-update",
    ),
    path(
        "custody/<uuid:public_id>/release/",
        views.ReleaseRecordView.as_view(),
        name="custody-release",
    ),
]
