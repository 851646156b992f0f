"""URLs of the reporting app."""

from django.urls import path

from masip.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
]
