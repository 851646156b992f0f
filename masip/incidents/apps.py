from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "masip.incidents"
    label = "incidents"
