"""The overdue job with a frozen clock: each overdue request escalates to the committee's
lead once per due time, noted on the timeline; settled requests close after the window."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.roles import Role
from demands import escalation, services, tasks
from demands.models import Assignee, DemandStatus, EventKind
from notifications.models import Notification
from tests.demands.conftest import log, submit
from tests.factories import UserFactory, grant, scope_of


def test_overdue_requests_escalate_once_per_due_time(owner, colleague, people):
    now = timezone.now()
    urgent = log(owner, people.zhao, "助急", "老人摔倒后腿疼，需要陪同就医。")
    services.assign(
        actor=owner, scope=scope_of(owner), demand=urgent, kind=Assignee.WORKER, worker=owner, now=now
    )
    calm = submit(people.wang_user, people.wang, "政策咨询", "想了解高龄津贴怎么申请。")
    services.assign(
        actor=owner, scope=scope_of(owner), demand=calm, kind=Assignee.WORKER, worker=owner, now=now
    )

    assert escalation.escalate_overdue(now + timedelta(hours=3)) == 0
    later = now + timedelta(hours=5)  # 助急 is due in 4 hours
    assert escalation.escalate_overdue(later) == 1
    urgent.refresh_from_db()
    assert urgent.escalated_at == later
    event = urgent.events.get(kind=EventKind.ESCALATED)
    assert "Overdue by 1 hours" in event.text and "书记乙" in event.text and not event.internal
    told = Notification.objects.get(user=colleague)
    assert "Overdue request: 助急" in told.title and told.url == urgent.get_absolute_url()
    assert not Notification.objects.filter(user=owner, title__contains="Overdue").exists()
    # A second run (or a late duplicate) does nothing again.
    assert escalation.escalate_overdue(later + timedelta(minutes=10)) == 0
    assert Notification.objects.filter(user=colleague).count() == 1


def test_a_reopened_request_may_escalate_again(owner, colleague, people):
    now = timezone.now()
    made = log(owner, people.zhao, "助急", "需要陪同就医。")
    services.assign(
        actor=owner, scope=scope_of(owner), demand=made, kind=Assignee.WORKER, worker=owner, now=now
    )
    assert escalation.escalate_overdue(now + timedelta(hours=5)) == 1
    services.resolve(
        actor=owner,
        scope=scope_of(owner),
        demand=made,
        resolution="已陪同就医",
        now=now + timedelta(hours=6),
    )
    services.reopen(actor=people.daughter, demand=made, reason="还需要复诊陪同", now=now + timedelta(hours=7))
    assert escalation.escalate_overdue(now + timedelta(hours=10)) == 0
    assert escalation.escalate_overdue(now + timedelta(hours=12)) == 1
    assert made.events.filter(kind=EventKind.ESCALATED).count() == 2


def test_only_leads_of_that_committee_and_only_open_requests(owner, colleague, people, tree):
    other_lead = UserFactory.create(name="邻居书记", home_area=tree.neighbour)
    grant(other_lead, Role.COMMITTEE_LEAD, tree.neighbour)
    now = timezone.now()
    made = log(owner, people.zhao, "助急", "需要陪同就医。")
    services.assign(
        actor=owner, scope=scope_of(owner), demand=made, kind=Assignee.WORKER, worker=owner, now=now
    )
    services.resolve(actor=owner, scope=scope_of(owner), demand=made, resolution="已处理")
    assert escalation.escalate_overdue(now + timedelta(hours=5)) == 0
    new_one = log(owner, people.zhao, "助急", "又需要陪同。")
    services.assign(
        actor=owner, scope=scope_of(owner), demand=new_one, kind=Assignee.WORKER, worker=owner, now=now
    )
    assert escalation.escalate_overdue(now + timedelta(hours=5)) == 1
    assert not Notification.objects.filter(user=other_lead).exists()


def test_settled_requests_close_after_the_window(owner, people):
    made = submit(people.wang_user, people.wang)
    services.resolve(actor=owner, scope=scope_of(owner), demand=made, resolution="已修好")
    made.refresh_from_db()
    assert escalation.close_settled(made.resolved_at + timedelta(days=13)) == 0
    assert escalation.close_settled(made.resolved_at + timedelta(days=15)) == 1
    made.refresh_from_db()
    assert made.status == DemandStatus.CLOSED and made.events.last().kind == EventKind.CLOSED


def test_the_periodic_task_runs_the_job(owner, colleague, people, settings):
    made = log(owner, people.zhao, "助急", "需要陪同就医。")
    past = timezone.now() - timedelta(hours=5)
    services.assign(
        actor=owner, scope=scope_of(owner), demand=made, kind=Assignee.WORKER, worker=owner, now=past
    )
    result = tasks.escalate_demands.enqueue()
    assert result.return_value == {"escalated": 1, "closed": 0}
    from notifications.jobs import PERIODIC

    assert PERIODIC[tasks.escalate_demands.module_path].every == 600
