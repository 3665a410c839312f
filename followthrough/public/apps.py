from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "followthrough.public"
    label = "public"
    verbose_name = "Public site"
