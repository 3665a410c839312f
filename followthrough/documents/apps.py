from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "followthrough.documents"
    label = "documents"
    verbose_name = "Documents and imports"
