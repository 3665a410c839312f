from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.home, name="home"),
    path("import/", views.offence_import, name="import"),
    path("profile/", views.profile, name="profile"),
    path("publish/", views.release_publish, name="publish"),
    path("releases/<int:release_id>/", views.release_detail, name="release"),
]
