from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "masip.api"
    label = "api"
    verbose_name = "JSON API"
