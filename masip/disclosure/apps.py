from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "masip.disclosure"
    label = "disclosure"
    verbose_name = "Subject access requests"
