"""A case's actions, mounted at ``/cases/<reference>/actions/``."""

from django.urls import URLPattern

app_name = "case-actions"
urlpatterns: list[URLPattern] = []
