"""URLs of a case's risk pages, mounted at ``/cases/<reference>/assessments/``."""

from django.urls import path

from masip.risk import views

app_name = "risk"
urlpatterns = [
    path("", views.RiskPictureView.as_view(), name="picture"),
    path("recognition/", views.RecognitionView.as_view(), name="recognition"),
    path(
        "new/<slug:code>/", views.AssessmentStartView.as_view(), name="assessment-new"
    ),
    path("<uuid:public_id>/", views.AssessmentDetailView.as_view(), name="assessment"),
]
