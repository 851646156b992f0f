"""The helpline statistics, mounted at ``/helpline/statistics/``."""

from django.urls import path

from masip.helpline import stats_views

app_name = "helpline-stats"
urlpatterns = [
    path("", stats_views.StatsView.as_view(), name="statistics"),
    path("export.csv", stats_views.StatsExportView.as_view(), name="export"),
]
