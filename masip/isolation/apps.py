from django.apps import AppConfig


class IsolationConfig(AppConfig):
    name = "masip.isolation"
    label = "isolation"
    verbose_name = "Row-level security"

    def ready(self) -> None:
        from masip.isolation import signals

        signals.connect()
