from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("followthrough.core.urls")),
    path("", include("followthrough.public.urls")),
    path("", include("followthrough.tracker.urls")),
    path("documents/", include("followthrough.documents.urls")),
    path("insights/", include("followthrough.insights.urls")),
    path("reports/", include("followthrough.reports.urls")),
    path("front-door/", include("followthrough.frontdoor.urls")),
    path("licensing/", include("followthrough.licensing.urls")),
    path("api/", include("followthrough.api.urls")),
    path("django-admin/", admin.site.urls),
]
