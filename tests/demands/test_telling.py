"""A resident hears of each step of their request on their messages page: received (or
logged for them), who takes it on and by when (no worker's phone), work started, each reply,
the resolution with a request to rate, the close; by SMS only as far as they want it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from demands import services
from demands.models import Assignee
from notifications import backends
from notifications.models import Notification
from tests.demands.conftest import log, submit
from tests.factories import login_verified, scope_of

pytestmark = pytest.mark.django_db


def _titles(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("title", flat=True))


def test_a_resident_is_told_at_each_step_of_their_request(
    owner, colleague, people, immediate_tasks, django_capture_on_commit_callbacks
):
    people.wang_user.sms_notifications = False
    people.wang_user.save()
    demand = submit(people.wang_user, people.wang)
    label = f"物业报修 #{demand.pk}"
    assert _titles(people.wang_user) == [f"Your request is received: {label}"]

    with django_capture_on_commit_callbacks(execute=True):
        services.assign(
            actor=colleague, scope=scope_of(colleague), demand=demand, kind=Assignee.WORKER, worker=owner
        )
    told = Notification.objects.filter(user=people.wang_user).latest("pk")
    assert told.title == f"Your request is being handled: {label}"
    assert owner.name in told.body and "Expected by" in told.body
    assert owner.phone not in told.body and told.url == demand.resident_url()

    scope = scope_of(owner)
    services.start(actor=owner, scope=scope, demand=demand)
    services.reply(actor=owner, demand=demand, text="明天上午物业来修。", scope=scope)
    services.resolve(actor=owner, scope=scope, demand=demand, resolution="已更换灯管。")
    services.close(actor=owner, scope=scope, demand=demand)
    assert _titles(people.wang_user) == [
        f"Your request is received: {label}",
        f"Your request is being handled: {label}",
        f"Work has started on your request: {label}",
        f"A reply on your request: {label}",
        f"Your request is resolved: {label}",
        f"Your request is closed: {label}",
    ]
    closed = Notification.objects.filter(user=people.wang_user).latest("pk")
    assert "Please rate it" in closed.body
    # Their choice of no SMS holds, for the steps that ask for one too.
    assert not [sms for sms in backends.outbox if sms.to == people.wang_user.phone]


def test_the_family_member_hears_too_and_the_outside_body_is_named(
    owner, people, immediate_tasks, django_capture_on_commit_callbacks
):
    demand = log(owner, people.zhao)
    assert _titles(people.daughter) == [f"The committee logged your request: 助餐 #{demand.pk}"]
    with django_capture_on_commit_callbacks(execute=True):
        services.assign(
            actor=owner, scope=scope_of(owner), demand=demand, kind=Assignee.PROPERTY, name="延长物业"
        )
    told = Notification.objects.filter(user=people.daughter).latest("pk")
    assert "Property management: 延长物业 takes it on." in told.body
    # Someone is on it: by SMS as well, as the daughter wants it.
    assert [sms.to for sms in backends.outbox] == [people.daughter.phone]
    # Assigning again to the same body, with the same due time, tells nobody twice.
    services.assign(
        actor=owner, scope=scope_of(owner), demand=demand, kind=Assignee.PROPERTY, name="延长物业"
    )
    assert len(_titles(people.daughter)) == 2


def test_the_messages_page_is_not_empty_once_a_request_is_assigned(owner, people, client):
    demand = submit(people.wang_user, people.wang)
    services.assign(actor=owner, scope=scope_of(owner), demand=demand, kind=Assignee.WORKER, worker=owner)
    login_verified(client, people.wang_user)
    page = client.get(reverse("notifications:inbox")).text
    assert "Your request is being handled" in page and "Your request is received" in page
