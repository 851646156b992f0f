from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "masip.alerts"
    label = "alerts"
    verbose_name = "Security alerts"

    def ready(self) -> None:
        from masip.alerts.engine import evaluate_committed
        from masip.audit import services as audit

        # Every audit event, once committed, goes past the detectors.
        audit.on_recorded(evaluate_committed)
