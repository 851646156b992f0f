from django.apps import AppConfig


class HelplineConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "masip.helpline"
    verbose_name = "The national stalking helpline"
