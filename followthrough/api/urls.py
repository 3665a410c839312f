from django.urls import path

# Path parameters are taken as plain strings and checked in the views, so a malformed one gets
# the API's own JSON 404 rather than the website's HTML page.
from . import views

app_name = "api"
urlpatterns = [
    path("v1/", views.as_view(views.RootView), name="root"),
    path("v1/schema/", views.schema_view, name="schema"),
    path("v1/reviews/", views.as_view(views.ReviewListView), name="review-list"),
    path("v1/reviews/<str:slug>/", views.as_view(views.ReviewDetailView), name="review-detail"),
    path(
        "v1/recommendations/",
        views.as_view(views.RecommendationListView),
        name="recommendation-list",
    ),
    path(
        "v1/recommendations/<str:pk>/",
        views.as_view(views.RecommendationDetailView),
        name="recommendation-detail",
    ),
    path("v1/actions/", views.as_view(views.ActionListView), name="action-list"),
    path("v1/actions/<str:pk>/", views.as_view(views.ActionDetailView), name="action-detail"),
    path(
        "v1/actions/<str:pk>/updates/",
        views.as_view(views.ActionUpdatesView),
        name="action-updates",
    ),
    path("v1/updates/", views.as_view(views.UpdateListView), name="update-list"),
    path("v1/updates/<str:pk>/", views.as_view(views.UpdateDetailView), name="update-detail"),
]
