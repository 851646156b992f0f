from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "masip.accounts"
    label = "accounts"
