from django.apps import AppConfig


class GovukConfig(AppConfig):
    name = "followthrough.govuk"
    label = "govuk"
    verbose_name = "GOV.UK Design System"
