"""Panel packs and minutes, mounted at ``/panels/``."""

from django.urls import URLPattern

app_name = "panel-packs"
urlpatterns: list[URLPattern] = []
