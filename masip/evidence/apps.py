from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "masip.evidence"
    verbose_name = "Evidence vault and course of conduct"
