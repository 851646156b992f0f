"""The orders on a case, mounted at ``/cases/<reference>/orders/``."""

from django.urls import URLPattern

app_name = "orders"
urlpatterns: list[URLPattern] = []
