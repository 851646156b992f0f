"""A case's perpetrator interventions and custody.

Mounted at ``/cases/<reference>/interventions/``.
"""

from django.urls import URLPattern

app_name = "interventions"
urlpatterns: list[URLPattern] = []
