"""The helpline statistics, mounted at ``/helpline/statistics/``."""

from django.urls import URLPattern, path

from masip.helpline import views

app_name = "helpline-stats"
urlpatterns: list[URLPattern] = [
    path("", views.StatsView.as_view(), name="statistics"),
    path("export.csv", views.StatsExportView.as_view(), name="export"),
]
