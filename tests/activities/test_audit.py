"""The audit log tells a sign-up's whole story, including what the waiting list did on its own."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from accounts.roles import Role
from activities import services, signups
from activities.models import Signup
from audit.context import acting_as
from audit.models import AuditEntry
from common.scope import NO_SCOPE
from tests.factories import scope_of


def entries_of(signup: Signup) -> list[AuditEntry]:
    kind = ContentType.objects.get_for_model(Signup)
    return list(AuditEntry.objects.filter(content_type=kind, object_id=str(signup.pk)).order_by("pk"))


def test_a_waiting_list_promotion_is_logged_with_who_caused_it_and_before_after(activity, people):
    first = signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    signups.register(people.li_user, people.li, activity, scope=NO_SCOPE)
    waiting = signups.register(people.daughter, people.zhao, activity, scope=NO_SCOPE)
    assert [e.action for e in entries_of(waiting)] == ["create"]

    with acting_as(people.wang_user):  # as the request of 王建国 would
        signups.cancel_signup(people.wang_user, first, scope=NO_SCOPE)

    cancelled = entries_of(first)[-1]
    assert cancelled.changes["status"] == ["confirmed", "cancelled"]
    promoted = entries_of(waiting)[-1]
    assert promoted.action == "update"
    assert promoted.actor == people.wang_user
    assert promoted.changes["status"] == ["waiting", "confirmed"]
    assert promoted.changes["promoted_at"][0] is None and promoted.changes["promoted_at"][1]
    assert promoted.area_path == people.zhao.household.building.path
    # The counter of places moved too, but it is counted from the sign-ups: no entry of its own.
    kind = ContentType.objects.get_for_model(activity)
    assert not AuditEntry.objects.filter(
        action="update", content_type=kind, object_id=str(activity.pk), changes__has_key="confirmed"
    )


def test_cancelling_an_activity_logs_each_sign_up_it_cancelled(activity, people, owner):
    made = [
        signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE),
        signups.register(people.li_user, people.li, activity, scope=NO_SCOPE),
        signups.register(people.daughter, people.zhao, activity, scope=NO_SCOPE),
    ]
    with acting_as(owner, Role.SOCIAL_WORKER):
        services.cancel_activity(scope_of(owner), activity, "下雨")
    for signup in made:
        entry = entries_of(signup)[-1]
        assert entry.actor == owner and entry.actor_role == Role.SOCIAL_WORKER
        assert entry.changes["status"][1] == "cancelled"
