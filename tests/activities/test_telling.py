"""A resident hears when their own sign-up changes without them: the activity moves to
another time or place, or the committee cancels the sign-up for them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from activities import services, signups
from activities.services import ActivityDraft
from common.scope import NO_SCOPE
from notifications.models import Notification
from tests.factories import scope_of

pytestmark = pytest.mark.django_db


def _draft(activity, **changes) -> ActivityDraft:
    values = {
        "title": activity.title,
        "place": activity.place,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "capacity": activity.capacity,
    }
    values.update(changes)
    return ActivityDraft(**values)


def test_a_new_time_or_place_reaches_everyone_signed_up(activity, people, owner):
    signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    signups.register(people.daughter, people.zhao, activity, scope=NO_SCOPE)
    services.update_activity(scope_of(owner), activity, _draft(activity, description="带好毛笔"))
    assert not Notification.objects.filter(title__startswith="Changed").exists()  # nothing they need
    later = activity.starts_at + timedelta(days=1)
    moved = services.update_activity(
        scope_of(owner), activity, _draft(activity, starts_at=later, ends_at=later + timedelta(hours=2))
    )
    services.update_activity(scope_of(owner), moved, _draft(moved, place="文化中心二楼"))
    for user in (people.wang_user, people.daughter):
        told = list(
            Notification.objects.filter(user=user, title="Changed: 书法班")
            .order_by("pk")
            .values_list("body", flat=True)
        )
        assert len(told) == 2 and "文化中心二楼" in told[1]
    assert not Notification.objects.filter(user=people.li_user).exists()


def test_a_sign_up_the_committee_cancels_is_told_one_the_resident_cancels_is_not(activity, people, owner):
    mine = signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    theirs = signups.register(people.li_user, people.li, activity, scope=NO_SCOPE)
    signups.cancel_signup(people.wang_user, mine, scope=NO_SCOPE)
    signups.cancel_signup(owner, theirs, scope=scope_of(owner))
    assert not Notification.objects.filter(user=people.wang_user, title__contains="cancelled").exists()
    told = Notification.objects.get(user=people.li_user, title__contains="cancelled")
    assert told.title == "Your sign-up is cancelled: 书法班" and told.url == activity.get_absolute_url()
