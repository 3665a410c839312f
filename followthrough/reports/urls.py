from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    # Fixed paths first: they would otherwise be read as a review's slug.
    path("notifications/", views.notifications, name="notifications"),
    path("follow/confirm/<str:token>/", views.follow_confirm, name="follow-confirm"),
    path("follow/stop/<str:token>/", views.follow_stop, name="follow-stop"),
    path("<slug:slug>/", views.review_reports, name="review"),
    path("<slug:slug>/download/", views.report_download, name="download"),
    path("<slug:slug>/compare/", views.snapshot_compare, name="compare"),
    path("<slug:slug>/meetings/new/", views.meeting_create, name="meeting-create"),
    path(
        "<slug:slug>/meetings/<int:meeting_id>/table/",
        views.meeting_freeze,
        name="meeting-freeze",
    ),
    path(
        "<slug:slug>/tabled/<int:snapshot_id>/<str:format>/",
        views.snapshot_download,
        name="snapshot-download",
    ),
    path(
        "<slug:slug>/recommendations/<str:number>/follow/",
        views.follow,
        name="follow",
    ),
]
