from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "followthrough.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door"
