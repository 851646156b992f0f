from django.apps import AppConfig


class SafetyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "masip.safety"
    verbose_name = "Victim safety plans, safe contact and the victim-update log"
