"""The orders and safety dashboard, mounted at ``/protection/``."""

from django.urls import path

from masip.orders import dashboard_views

app_name = "protection"
urlpatterns = [
    path("", dashboard_views.ProtectionDashboardView.as_view(), name="dashboard"),
]
