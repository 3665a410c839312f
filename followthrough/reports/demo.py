"""The demo review's committee cycle: the interim (24 November 2016) and end-of-year
(25 May 2017) meetings, each with its report frozen as it would have been tabled.

Call `load_demo()` after (or instead of) the tracker demo: it loads that first. Safe to run again.
"""

from __future__ import annotations

from datetime import date

from followthrough.core.models import User
from followthrough.demo import tracker_demo
from followthrough.tracker.models import Review

from . import selectors, services
from .models import Meeting, ReportSnapshot

# (kind, meeting date, papers deadline, update requests from)
MEETINGS = [
    (Meeting.Kind.INTERIM, tracker_demo.INTERIM, date(2016, 11, 14), date(2016, 9, 1)),
    (Meeting.Kind.END_OF_YEAR, tracker_demo.END_OF_YEAR, date(2017, 5, 15), date(2017, 4, 3)),
]


def load_demo() -> tuple[Review, list[ReportSnapshot]]:
    review, _ = tracker_demo.load()
    officer = User.objects.get(username="officer")
    snapshots = []
    for kind, meets_on, deadline, requests_from in MEETINGS:
        meeting = selectors.meeting_on(review=review, on=meets_on)
        if meeting is None:
            meeting = services.meeting_create(
                actor=officer,
                review=review,
                kind=kind,
                meets_on=meets_on,
                papers_deadline=deadline,
                requests_from=requests_from,
            )
        snapshots.append(services.report_freeze(actor=officer, meeting=meeting))
    return review, snapshots
