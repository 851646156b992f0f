from django.apps import AppConfig


class OrdersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "masip.orders"
    verbose_name = "Orders, conditions, notification requirements and breaches"
