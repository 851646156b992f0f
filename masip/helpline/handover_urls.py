"""The helpline's handover pages (see config/urls.py for the mount)."""

from django.urls import URLPattern

app_name = "helpline-handover"
urlpatterns: list[URLPattern] = []
