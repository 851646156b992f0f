"""URLs of the evidence vault, mounted at ``/cases/<reference>/evidence/``."""

from django.urls import path

from masip.evidence import bundle_views, views

app_name = "evidence"
urlpatterns = [
    path("", views.EvidenceListView.as_view(), name="evidence-list"),
    path("upload/", views.EvidenceUploadView.as_view(), name="evidence-upload"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("conduct/", views.ConductView.as_view(), name="conduct"),
    path("bundle/", bundle_views.EvidenceBundleView.as_view(), name="bundle"),
    path(
        "<uuid:public_id>/", views.EvidenceDetailView.as_view(), name="evidence-detail"
    ),
    path(
        "<uuid:public_id>/display/",
        views.EvidenceDisplayView.as_view(),
        name="evidence-display",
    ),
    path(
        "<uuid:public_id>/download/",
        views.EvidenceDownloadView.as_view(),
        name="evidence-download",
    ),
    path(
        "<uuid:public_id>/import/",
        views.EvidenceImportStartView.as_view(),
        name="evidence-import",
    ),
    path(
        "<uuid:public_id>/perpetrator/",
        views.EvidencePerpetratorView.as_view(),
        name="evidence-perpetrator",
    ),
]
