from django.urls import path

from . import views

app_name = "tracker"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("reviews/", views.review_list, name="review-list"),
    path("reviews/new/", views.review_create, name="review-create"),
    path("reviews/<slug:slug>/", views.review_detail, name="review-detail"),
    path("reviews/<slug:slug>/visibility/", views.review_visibility, name="review-visibility"),
    path(
        "reviews/<slug:slug>/recommendations/new/",
        views.recommendation_create,
        name="recommendation-create",
    ),
    path(
        "reviews/<slug:slug>/recommendations/<str:number>/",
        views.recommendation_detail,
        name="recommendation-detail",
    ),
    path(
        "reviews/<slug:slug>/recommendations/<str:number>/actions/new/",
        views.action_create,
        name="action-create",
    ),
    path("actions/<int:action_id>/", views.action_detail, name="action-detail"),
    path("actions/<int:action_id>/update/", views.action_update, name="action-update"),
    path("actions/<int:action_id>/assess/", views.action_assess, name="action-assess"),
    path(
        "actions/<int:action_id>/target-date/", views.action_target_date, name="action-target-date"
    ),
    path("actions/<int:action_id>/close/", views.action_close, name="action-close"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence-download"),
]
