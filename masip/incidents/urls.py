"""URLs of the incidents app, mounted at ``/cases/<reference>/incidents/``."""

from django.urls import path

from masip.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.IncidentListView.as_view(), name="incident-list"),
    path("record/", views.IncidentRecordView.as_view(), name="incident-record"),
    path(
        "<uuid:public_id>/", views.IncidentDetailView.as_view(), name="incident-detail"
    ),
    path(
        "<uuid:public_id>/edit/", views.IncidentEditView.as_view(), name="incident-edit"
    ),
]
