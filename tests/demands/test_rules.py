"""What a request and a project say about themselves; the templates and the services ask these."""

import pytest

from demands.models import Demand, DemandEvent, DemandStatus, EventKind, ProjectStatus, ServiceProject

S = DemandStatus


@pytest.mark.parametrize(("status", "expected"), [(S.ASSIGNED, True), (S.NEW, False), (S.IN_PROGRESS, False)])
def test_work_starts_on_an_assigned_request_only(status, expected):
    assert Demand(status=status).may_start is expected


@pytest.mark.parametrize(
    ("status", "expected"), [(S.RESOLVED, True), (S.CLOSED, False), (S.IN_PROGRESS, False)]
)
def test_only_a_resolved_request_closes(status, expected):
    assert Demand(status=status).may_close is expected


@pytest.mark.parametrize(
    ("status", "expected"), [(S.NEW, True), (S.RESOLVED, True), (S.WITHDRAWN, False), (S.DECLINED, False)]
)
def test_a_withdrawn_or_declined_request_joins_no_project(status, expected):
    assert Demand(status=status).may_join_project is expected


@pytest.mark.parametrize(
    ("status", "rating", "expected"),
    [(S.RESOLVED, None, True), (S.RESOLVED, 4, False), (S.CLOSED, None, False)],
)
def test_a_resolved_unrated_request_awaits_a_rating(status, rating, expected):
    assert Demand(status=status, rating=rating).awaits_rating is expected


@pytest.mark.parametrize(
    ("status", "tone"),
    [(S.RESOLVED, "ok"), (S.CLOSED, "ok"), (S.DECLINED, "derived"), (S.NEW, "warn"), (S.IN_PROGRESS, "tag")],
)
def test_a_requests_badge_tone(status, tone):
    assert Demand(status=status).status_tone == tone


def test_a_photo_event_counts_photos():
    assert DemandEvent(kind=EventKind.PHOTO).is_photo
    assert not DemandEvent(kind=EventKind.REPLY).is_photo


@pytest.mark.parametrize(
    ("status", "done", "tone"),
    [
        (ProjectStatus.DONE, True, "ok"),
        (ProjectStatus.DROPPED, False, "derived"),
        (ProjectStatus.IN_PROGRESS, False, "tag"),
    ],
)
def test_a_projects_state(status, done, tone):
    project = ServiceProject(status=status)
    assert project.is_done is done
    assert project.status_tone == tone
