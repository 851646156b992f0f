from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "masip.cases"
    label = "cases"
