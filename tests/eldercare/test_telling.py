"""Those who look in on a watched person hear when the watch pauses, resumes or ends."""

from __future__ import annotations

import pytest

from eldercare import services
from eldercare.models import WatchStatus
from notifications.models import Notification
from tests.factories import scope_of

pytestmark = pytest.mark.django_db


def test_the_watchers_hear_when_the_watch_pauses_resumes_and_ends(world, owner):
    services.change_status(owner, scope_of(owner), world.watch, WatchStatus.PAUSED, "in_hospital", "瑞金医院")
    services.change_status(owner, scope_of(owner), world.watch, WatchStatus.ACTIVE)
    services.change_status(owner, scope_of(owner), world.watch, WatchStatus.ENDED, "moved_out")
    for watcher in (world.leader, world.neighbour):
        told = list(Notification.objects.filter(user=watcher).order_by("pk").values_list("title", "body"))
        assert [title for title, _body in told] == [
            "The watch of 刘阿姨 is paused",
            "Checks on 刘阿姨 start again",
            "The watch of 刘阿姨 has ended",
        ]
        assert "In hospital: 瑞金医院" in told[0][1]
