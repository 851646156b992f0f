"""The helpline's stats pages (see config/urls.py for the mount)."""

from django.urls import URLPattern

app_name = "helpline-stats"
urlpatterns: list[URLPattern] = []
