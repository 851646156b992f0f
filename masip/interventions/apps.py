from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "masip.interventions"
    verbose_name = "Perpetrator interventions and custody"
