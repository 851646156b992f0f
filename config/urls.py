"""The URL map: each app mounts its own ``urls.py``."""

from django.urls import include, path

urlpatterns = [
    path("", include("masip.accounts.urls")),
    path("cases/", include("masip.cases.urls")),
    path("cases/<str:reference>/people/", include("masip.people.urls")),
    path("cases/<str:reference>/incidents/", include("masip.incidents.urls")),
    path("reports/", include("masip.reporting.urls")),
    path("audit/", include("masip.audit.urls")),
    path("exports/", include("masip.exports.urls")),
    path("api/v1/", include("masip.api.urls")),
]
