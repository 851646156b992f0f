from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "masip.core"
    label = "core"
