"""The orders and safety dashboard, mounted at ``/protection/``."""

from django.urls import URLPattern

app_name = "protection"
urlpatterns: list[URLPattern] = []
