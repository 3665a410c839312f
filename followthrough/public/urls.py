from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("progress/", views.review_list, name="review-list"),
    path("progress/<slug:slug>/", views.review_detail, name="review-detail"),
    path("progress/<slug:slug>/download.csv", views.review_download_csv, name="review-csv"),
    path("progress/<slug:slug>/download.json", views.review_download_json, name="review-json"),
    path(
        "progress/<slug:slug>/recommendations/<str:number>/",
        views.recommendation_detail,
        name="recommendation-detail",
    ),
    path("facts-about-child-sexual-exploitation/", views.facts_page, name="facts"),
    path("report-a-concern/", views.report_concern, name="report-concern"),
    path("open-data/", views.open_data, name="open-data"),
]
