"""The helpline, mounted at ``/helpline/``."""

from django.urls import URLPattern

app_name = "helpline"
urlpatterns: list[URLPattern] = []
