from django.apps import AppConfig


class PanelsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "masip.panels"
    verbose_name = "Multi-agency panels, meetings and actions"
