from django.urls import path

from . import views

app_name = "licensing"
urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.licensee_list, name="licensee-list"),
    path("register/new/", views.licensee_create, name="licensee-create"),
    path("register/<int:licensee_id>/", views.licensee_detail, name="licensee-detail"),
    path("register/<int:licensee_id>/training/", views.training_record, name="training-record"),
    path("register/<int:licensee_id>/dbs/", views.dbs_record, name="dbs-record"),
    path(
        "register/<int:licensee_id>/status-check/",
        views.status_check_record,
        name="status-check-record",
    ),
    path(
        "register/<int:licensee_id>/nr3s-search/",
        views.nr3s_search_record,
        name="nr3s-search-record",
    ),
    path("register/<int:licensee_id>/decision/", views.decision_record, name="decision-record"),
    path(
        "register/<int:licensee_id>/self-report/",
        views.self_report_record,
        name="self-report-record",
    ),
    path("licences/<int:licence_id>/close/", views.licence_close, name="licence-close"),
    path("training/", views.training_home, name="training"),
    path("training/courses/new/", views.course_create, name="course-create"),
    path("training/sessions/new/", views.session_create, name="session-create"),
    path("training/sessions/<int:session_id>/", views.session_detail, name="session-detail"),
    path("nr3s/", views.nr3s_list, name="nr3s"),
    path("nr3s/<int:entry_id>/entered/", views.nr3s_entered, name="nr3s-entered"),
    path("import/", views.import_file, name="import"),
]
