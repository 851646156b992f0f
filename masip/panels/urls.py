"""Panels and their meetings, mounted at ``/panels/``."""

from django.urls import URLPattern

app_name = "panels"
urlpatterns: list[URLPattern] = []
