from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "followthrough.tracker"
    label = "tracker"
    verbose_name = "Tracker"
