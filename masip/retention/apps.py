from django.apps import AppConfig


class RetentionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "masip.retention"
    verbose_name = "Retention, review and disposal"
