from django.apps import AppConfig


class LicensingConfig(AppConfig):
    name = "followthrough.licensing"
    label = "licensing"
    verbose_name = "Licensing and training"
