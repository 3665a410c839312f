from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("reviews/<slug:slug>/", views.review_imports, name="review-imports"),
    path("reviews/<slug:slug>/report/", views.report_upload, name="report-upload"),
    path("reviews/<slug:slug>/action-plan/", views.action_plan_upload, name="action-plan-upload"),
    path(
        "reviews/<slug:slug>/action-plan.<str:file_format>",
        views.action_plan_export,
        name="action-plan-export",
    ),
    path("reports/<int:pk>/", views.report_draft, name="report-draft"),
    path("reports/<int:pk>/text/", views.report_source, name="report-source"),
    path("reports/<int:pk>/confirm/", views.report_confirm, name="report-confirm"),
    path("reports/<int:pk>/discard/", views.report_discard, name="report-discard"),
    path(
        "reports/<int:pk>/recommendations/<int:key>/edit/",
        views.report_item_edit,
        name="report-item-edit",
    ),
    path(
        "reports/<int:pk>/recommendations/<int:key>/split/",
        views.report_item_split,
        name="report-item-split",
    ),
    path(
        "reports/<int:pk>/recommendations/<int:key>/merge/",
        views.report_item_merge,
        name="report-item-merge",
    ),
    path(
        "reports/<int:pk>/recommendations/<int:key>/include/",
        views.report_item_include,
        name="report-item-include",
    ),
    path("action-plans/<int:pk>/", views.action_plan_preview, name="action-plan-preview"),
    path("action-plans/<int:pk>/discard/", views.action_plan_discard, name="action-plan-discard"),
]
