"""Risk pages across cases, mounted at ``/risk/``."""

from django.urls import path

from masip.risk import views

app_name = "risk-global"
urlpatterns = [
    path("overdue/", views.OverdueView.as_view(), name="overdue"),
]
