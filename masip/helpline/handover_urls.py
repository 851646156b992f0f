"""The helpline's handover pages (see config/urls.py for the mount)."""

from django.urls import URLPattern, path

from masip.helpline import views

app_name = "helpline-handover"
urlpatterns: list[URLPattern] = [
    path("<uuid:public_id>/", views.HandoverView.as_view(), name="handover"),
]
