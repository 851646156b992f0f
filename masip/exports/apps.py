from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "masip.exports"
    label = "exports"
    verbose_name = "Exports"
