from django.urls import path

from . import views
from .report_flow import STEPS

app_name = "frontdoor"

_report_steps = [
    path(
        f"report/{step.url_name.removeprefix('report-')}/",
        views.report_question,
        {"slug": step.slug},
        name=step.url_name,
    )
    for step in STEPS
]

urlpatterns = [
    # The public concern form (no account needed)
    path("report/", views.report_start, name="report-start"),
    *_report_steps,
    path("report/call-999/", views.report_call_999, name="report-call-999"),
    path("report/check-your-answers/", views.report_check, name="report-check"),
    path("report/sent/", views.report_sent, name="report-sent"),
    # The front-door team
    path("", views.queue, name="queue"),
    path("queue.csv", views.queue_export, name="queue-export"),
    path("figures/", views.figures, name="figures"),
    path("contacts/<str:reference>/", views.contact_detail, name="contact-detail"),
    path("contacts/<str:reference>/reason/", views.contact_open, name="contact-open"),
    path("contacts/<str:reference>/print/", views.contact_print, name="contact-print"),
    path("contacts/<str:reference>/assign/", views.contact_assign, name="contact-assign"),
    path("contacts/<str:reference>/screening/", views.contact_screening, name="contact-screening"),
    path("contacts/<str:reference>/decision/", views.contact_decision, name="contact-decision"),
    path(
        "contacts/<str:reference>/assessments/<int:assessment_id>/complete/",
        views.assessment_complete,
        name="assessment-complete",
    ),
    path(
        "contacts/<str:reference>/who-accessed/",
        views.contact_access_log,
        name="contact-access-log",
    ),
    path(
        "contacts/<str:reference>/legal-hold/", views.contact_legal_hold, name="contact-legal-hold"
    ),
    path(
        "contacts/<str:reference>/legal-hold/<int:hold_id>/lift/",
        views.legal_hold_lift,
        name="legal-hold-lift",
    ),
]
