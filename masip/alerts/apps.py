from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "masip.alerts"
    label = "alerts"
    verbose_name = "Security alerts"

    def ready(self) -> None:
        from masip.alerts.tasks import enqueue_committed
        from masip.audit import services as audit

        # Every audit event a rule watches, once committed, is queued for the
        # detectors, which the background worker runs (see tasks.py).
        audit.on_recorded(enqueue_committed)
