"""Project-wide endpoints that belong to no domain app."""

from django.urls import path

from masip.core.csp import CspReportView

app_name = "core"
urlpatterns = [
    path("csp-report/", CspReportView.as_view(), name="csp-report"),
]
