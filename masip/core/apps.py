from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "masip.core"
    label = "core"

    def ready(self) -> None:
        from django.db.models import Field

        from masip.core.lookups import InArray

        Field.register_lookup(InArray)
