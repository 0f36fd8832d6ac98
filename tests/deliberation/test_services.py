"""Topics, proposals, phases, opinions and moderation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.context import acting_as
from audit.models import AuditEntry
from common.scope import NO_SCOPE
from deliberation import services
from deliberation.models import Opinion, OpinionStatus, Phase, Support, TopicEvent
from deliberation.services import TopicDraft
from notifications.models import Notification
from tests.deliberation.conftest import make_poll, make_topic
from tests.factories import scope_of

pytestmark = pytest.mark.django_db


def test_staff_post_a_topic_open_for_opinions_with_a_default_closing_date(owner, topic):
    assert topic.phase == Phase.COLLECTING
    assert topic.collect_until == timezone.localdate() + timedelta(days=14)
    assert [e.phase for e in topic.events.all()] == [Phase.COLLECTING]


def test_a_topic_needs_a_title_and_text_and_dates_in_order(owner, people):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        make_topic(owner, title=" ", body="", collect_until=today + timedelta(days=9), decide_by=today)
    assert set(error.value.message_dict) == {"title", "body", "decide_by"}


def test_a_topic_for_chosen_buildings_is_put_only_to_their_residents(owner, people, building2):
    topic = make_topic(owner, areas=[building2])
    assert services.reaches(topic, people.zhao)
    assert not services.reaches(topic, people.wang)
    with pytest.raises(ValidationError, match="put to the residents of 64号楼"):
        services.give_opinion(people.wang_user, topic, "我也想说", resident=people.wang, scope=NO_SCOPE)


def test_a_topic_cannot_be_aimed_outside_the_committee(owner, people, tree):
    with pytest.raises(ValidationError, match="not part of"):
        make_topic(owner, areas=[tree.neighbour_group])


def test_only_a_committee_role_with_the_capability_posts(leader, street_admin, people):
    with pytest.raises(PermissionDenied):
        make_topic(leader)
    with pytest.raises(PermissionDenied, match="committee role"):
        make_topic(street_admin)


def test_a_proposal_opens_once_enough_neighbours_support_it(settings, owner, people):
    settings.DELIBERATION_SUPPORTERS = 3
    topic = services.propose_topic(people.wang_user, people.wang, "楼道加装扶手", "老人上下楼不方便。")
    assert topic.phase == Phase.PROPOSED and topic.supporters_needed == 3
    assert Support.objects.filter(topic=topic).count() == 1  # the proposer supports it
    services.support(people.li_user, people.li, topic)
    with pytest.raises(ValidationError, match="already supports"):
        services.support(people.li_user, people.li, topic)
    services.support(people.daughter, people.zhao, topic)  # a family member for her father
    topic.refresh_from_db()
    assert topic.phase == Phase.COLLECTING
    assert topic.opened_at is not None
    assert TopicEvent.objects.filter(topic=topic, phase=Phase.COLLECTING).get().note.startswith("Opened by")
    # The proposer is told.
    assert Notification.objects.filter(user=people.wang_user, kind="deliberation").exists()
    with pytest.raises(ValidationError, match="no longer gathering support"):
        services.support(people.daughter, people.sun, topic)


def test_staff_approve_a_proposal(settings, owner, people):
    topic = services.propose_topic(people.wang_user, people.wang, "楼道加装扶手", "老人上下楼不方便。")
    services.approve(owner, scope_of(owner), topic)
    topic.refresh_from_db()
    assert topic.phase == Phase.COLLECTING


def test_a_neighbour_of_another_committee_cannot_support(owner, people):
    topic = services.propose_topic(people.wang_user, people.wang, "楼道加装扶手", "老人上下楼不方便。")
    with pytest.raises(ValidationError, match="put to the residents of"):
        services.support(people.far_user, people.far, topic)
    with pytest.raises(ValidationError, match="only for yourself"):
        services.support(people.far_user, people.li, topic)


def test_phases_move_forward_only_and_each_is_logged(owner, topic):
    scope = scope_of(owner)
    with pytest.raises(ValidationError, match="Set up the poll first"):
        services.move(owner, scope, topic, Phase.POLL)
    services.move(owner, scope, topic, Phase.DECISION, "议事会讨论")
    with pytest.raises(ValidationError, match="forward only"):
        services.move(owner, scope, topic, Phase.COLLECTING)
    with pytest.raises(ValidationError) as error:
        services.move(owner, scope, topic, Phase.IMPLEMENTATION)
    assert "decided" in str(error.value)
    services.move(owner, scope, topic, Phase.IMPLEMENTATION, "建花架、放座椅")
    topic.refresh_from_db()
    assert topic.decision == "建花架、放座椅"
    with pytest.raises(ValidationError):
        services.move(owner, scope, topic, Phase.DONE)
    services.move(owner, scope, topic, Phase.DONE, "花园八月建成，放了第一场露天电影")
    topic.refresh_from_db()
    assert topic.outcome.startswith("花园八月建成")
    assert [e.phase for e in topic.events.all()] == ["collecting", "decision", "implementation", "done"]
    with pytest.raises(ValidationError, match="finished"):
        services.move(owner, scope, topic, Phase.CLOSED, "算了")
    phases = [
        e.changes["phase"]
        for e in AuditEntry.objects.filter(object_id=str(topic.pk), content_type__model="topic")
        if "phase" in e.changes and e.note
    ]
    assert ["decision", "implementation"] in phases


def test_closing_a_topic_early_needs_a_reason(owner, topic):
    with pytest.raises(ValidationError, match="why"):
        services.move(owner, scope_of(owner), topic, Phase.CLOSED)
    services.move(owner, scope_of(owner), topic, Phase.CLOSED, "与物业维修计划重复")
    topic.refresh_from_db()
    assert topic.phase == Phase.CLOSED


def test_another_committee_cannot_move_the_topic(outsider, topic):
    with pytest.raises(PermissionDenied):
        services.move(outsider, scope_of(outsider), topic, Phase.DECISION)


def test_update_keeps_the_audience_once_opinions_came_in(owner, people, topic, building2):
    services.give_opinion(people.wang_user, topic, "要有座椅", resident=people.wang, scope=NO_SCOPE)
    with pytest.raises(ValidationError, match="can no longer change"):
        services.update_topic(scope_of(owner), topic, TopicDraft(title="x", body="y", areas=[building2]))
    services.update_topic(scope_of(owner), topic, TopicDraft(title="红屋顶花园设计征集", body="y"))
    topic.refresh_from_db()
    assert topic.title == "红屋顶花园设计征集"


# --- Opinions and moderation -----------------------------------------------------------------


def test_residents_and_family_members_give_opinions(people, topic):
    mine = services.give_opinion(
        people.wang_user, topic, "  要有座椅  ", resident=people.wang, scope=NO_SCOPE
    )
    assert mine.body == "要有座椅" and mine.status == OpinionStatus.VISIBLE
    for_father = services.give_opinion(
        people.daughter, topic, "父亲想要遮阳", resident=people.zhao, scope=NO_SCOPE
    )
    assert for_father.resident == people.zhao and for_father.author == people.daughter
    with pytest.raises(ValidationError, match="only for yourself"):
        services.give_opinion(people.daughter, topic, "冒名", resident=people.wang, scope=NO_SCOPE)
    with pytest.raises(ValidationError, match="Write your opinion"):
        services.give_opinion(people.wang_user, topic, "   ", resident=people.wang, scope=NO_SCOPE)


def test_replies_stay_one_level_deep(owner, people, topic):
    first = services.give_opinion(people.wang_user, topic, "要有座椅", resident=people.wang, scope=NO_SCOPE)
    reply = services.give_opinion(
        people.li_user, topic, "同意", resident=people.li, parent=first, scope=NO_SCOPE
    )
    deeper = services.give_opinion(
        people.daughter, topic, "也同意", resident=people.zhao, parent=reply, scope=NO_SCOPE
    )
    assert reply.parent == first and deeper.parent == first
    staff = services.give_opinion(owner, topic, "居委会会汇总", parent=first, scope=scope_of(owner))
    assert staff.from_staff and staff.parent == first


def test_opinions_close_with_the_topic(owner, people, topic):
    topic.collect_until = timezone.localdate() - timedelta(days=1)
    topic.save()
    with pytest.raises(ValidationError, match="closed on"):
        services.give_opinion(people.wang_user, topic, "晚了", resident=people.wang, scope=NO_SCOPE)
    services.move(owner, scope_of(owner), topic, Phase.DECISION)
    topic.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        services.give_opinion(people.wang_user, topic, "晚了", resident=people.wang, scope=NO_SCOPE)


def test_a_held_word_holds_the_post_for_a_moderator(owner, people, topic):
    assert services.set_held_words(scope_of(owner), "广告\n 加微信 ，广告") == ["广告", "加微信"]
    held = services.give_opinion(
        people.wang_user, topic, "便宜装修请加微信", resident=people.wang, scope=NO_SCOPE
    )
    assert held.status == OpinionStatus.HELD and held.held_for == "加微信"
    shown = services.give_opinion(people.li_user, topic, "想要花架", resident=people.li, scope=NO_SCOPE)
    assert shown.status == OpinionStatus.VISIBLE
    services.release(owner, scope_of(owner), held)
    held.refresh_from_db()
    assert held.status == OpinionStatus.VISIBLE and held.moderated_by == owner


def test_hiding_needs_a_reason_is_logged_and_the_author_is_told(owner, people, topic):
    opinion = services.give_opinion(people.wang_user, topic, "骂人的话", resident=people.wang, scope=NO_SCOPE)
    with pytest.raises(ValidationError, match="author will be told"):
        services.hide(owner, scope_of(owner), opinion, " ")
    with acting_as(owner, "social_worker"):  # as the request's middleware does
        services.hide(owner, scope_of(owner), opinion, "含人身攻击")
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.HIDDEN and opinion.hidden_reason == "含人身攻击"
    told = Notification.objects.get(user=people.wang_user, kind="deliberation")
    assert "含人身攻击" in told.body
    entry = AuditEntry.objects.filter(
        content_type__model="opinion", object_id=str(opinion.pk), action="update"
    ).get()
    assert entry.actor == owner and entry.changes["status"] == ["visible", "hidden"]
    assert entry.changes["hidden_reason"] == ["", "含人身攻击"]


def test_another_committee_cannot_moderate(outsider, people, topic):
    opinion = services.give_opinion(people.wang_user, topic, "要有座椅", resident=people.wang, scope=NO_SCOPE)
    with pytest.raises(PermissionDenied):
        services.hide(outsider, scope_of(outsider), opinion, "不行")
    assert Opinion.objects.get(pk=opinion.pk).status == OpinionStatus.VISIBLE


def test_the_poll_can_change_until_the_first_vote(owner, people, topic):
    from deliberation import polls

    poll = make_poll(owner, topic)
    make_poll(owner, topic, options=["座椅", "花架"])
    assert [o.label for o in poll.options.all()] == ["座椅", "花架"]
    services.move(owner, scope_of(owner), topic, Phase.POLL)
    poll.refresh_from_db()
    polls.vote(people.wang_user, people.wang, poll, [poll.options.first().pk])
    with pytest.raises(ValidationError, match="can no longer change"):
        make_poll(owner, topic)
