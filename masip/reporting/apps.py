from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "masip.reporting"
    label = "reporting"
