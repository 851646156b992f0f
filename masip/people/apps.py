from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "masip.people"
    label = "people"
