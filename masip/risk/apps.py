from django.apps import AppConfig


class RiskConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "masip.risk"
    verbose_name = "Risk screening and assessment"

    def ready(self) -> None:
        from masip.risk import checks  # noqa: F401 - registers the system check
