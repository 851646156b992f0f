from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "masip.crypto"
    label = "crypto"
    verbose_name = "Encryption at rest"

    def ready(self) -> None:
        from masip.crypto import checks  # noqa: F401  (registers the check)
