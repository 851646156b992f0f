from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "masip.access"
    label = "access"
