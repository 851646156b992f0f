from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "masip.referrals"
    verbose_name = "Referrals into a site's programme"
