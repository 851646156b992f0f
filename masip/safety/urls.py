"""The victim's safety plan and contacts, mounted at ``/cases/<reference>/safety/``."""

from django.urls import URLPattern

app_name = "safety"
urlpatterns: list[URLPattern] = []
