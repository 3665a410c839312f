from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("followthrough.core.urls")),
    path("", include("followthrough.tracker.urls")),
    path("django-admin/", admin.site.urls),
]
