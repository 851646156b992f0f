"""Actions across cases (mine, my agency's, overdue), mounted at ``/actions/``."""

from django.urls import URLPattern

app_name = "actions"
urlpatterns: list[URLPattern] = []
