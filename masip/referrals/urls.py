"""Referrals into a site's programme, mounted at ``/referrals/``."""

from django.urls import URLPattern

app_name = "referrals"
urlpatterns: list[URLPattern] = []
