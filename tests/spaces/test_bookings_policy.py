"""Whether a booking may be made: each rule of a space refuses with its own words (the day's
hours, the closure's reason, the audience rule's note, the team and when its slot opens), and
who may book as whom (self and family, team leaders, partner contacts, staff)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from common.scope import NO_SCOPE
from registry.models import Resident
from spaces import policy
from spaces.models import Closure, OpeningHours
from spaces.policy import Holder
from tests.factories import scope_of
from tests.spaces.conftest import FIELD_RULE, at

pytestmark = pytest.mark.django_db


def ask(world, user, space, start, end, holder, *, people=1, scope=None, override=False):
    scope = scope if scope is not None else scope_of(user)
    return policy.problems(user, space, start, end, people, holder, scope=scope, override=override)


def test_a_resident_books_inside_the_hours_for_themself(world, people):
    assert ask(world, people.wang_user, world.room, at(1, 9), at(1, 10), Holder(resident=people.wang)) == {}


def test_outside_the_opening_hours_says_the_days_hours(world, people):
    found = ask(world, people.wang_user, world.room, at(1, 11), at(1, 12), Holder(resident=people.wang))
    assert found == {
        "starts_at": "乐活空间 is open on Tuesday 8:00–11:30, 13:30–17:00; choose a time inside them."
    }


def test_a_day_without_hours_is_said_to_be_closed(world, people):
    OpeningHours.objects.filter(space=world.room, weekday=6).delete()
    found = ask(world, people.wang_user, world.room, at(6, 9), at(6, 10), Holder(resident=people.wang))
    assert found == {"starts_at": "乐活空间 is closed on Sunday."}


def test_a_closure_is_named(world, people):
    Closure.objects.create(space=world.room, starts_at=at(2, 0), ends_at=at(3, 0), reason="设备检修")
    found = ask(world, people.wang_user, world.room, at(2, 9), at(2, 10), Holder(resident=people.wang))
    assert "设备检修" in found["starts_at"]
    assert found["starts_at"].startswith("乐活空间 is closed from")


def test_too_far_ahead_too_little_notice_too_long_and_too_many(world, people):
    me = Holder(resident=people.wang)
    far = ask(world, people.wang_user, world.room, at(15, 9), at(15, 10), me)
    assert far == {"starts_at": "乐活空间 is booked at most 14 days ahead: up to 2026-12-21."}
    soon = ask(world, people.wang_user, world.room, at(0, 9, 30), at(0, 10), me)
    assert soon["starts_at"].startswith("乐活空间 is booked at least 1 hours ahead")
    world.room.max_hours = 2
    long = ask(world, people.wang_user, world.room, at(1, 13, 30), at(1, 16, 30), me)
    assert long == {"ends_at": "A booking of 乐活空间 lasts at most 2 hours."}
    crowd = ask(world, people.wang_user, world.room, at(1, 9), at(1, 10), me, people=25)
    assert crowd == {"people": "乐活空间 holds 20 people; this booking is for 25."}
    past = ask(world, people.wang_user, world.room, at(-1, 9), at(-1, 10), me)
    assert "has already passed" in past["starts_at"]


def test_a_space_open_to_all_is_not_booked(world, people):
    found = ask(world, people.wang_user, world.outdoor, at(1, 9), at(1, 10), Holder(resident=people.wang))
    assert found == {"space": "乐动空间 is open to all without booking; just come."}


def test_the_audience_rule_is_named_by_its_note(world, people):
    liu = Resident.objects.get(name="小刘")
    refused = ask(world, world.young, world.field, at(1, 9), at(1, 10), Holder(resident=liu))
    assert refused == {
        "for_resident": f"This time is kept by the rule “{FIELD_RULE}”; 小刘 does not qualify."
    }
    # 王建国 is 66: the morning is his.
    assert ask(world, people.wang_user, world.field, at(1, 9), at(1, 10), Holder(resident=people.wang)) == {}
    # The afternoon is anyone's.
    assert ask(world, world.young, world.field, at(1, 14), at(1, 15), Holder(resident=liu)) == {}
    # A team in the morning: the rule keeps it for residents.
    team = ask(world, world.team_leader, world.field, at(1, 9), at(1, 10), Holder(team=world.team))
    assert team == {"starts_at": f"This time is kept by the rule “{FIELD_RULE}”."}


def test_staff_may_override_the_audience_rule(world):
    liu = Resident.objects.get(name="小刘")
    kept = ask(world, world.owner, world.field, at(1, 9), at(1, 10), Holder(resident=liu))
    assert "does not qualify" in kept["for_resident"]
    assert (
        ask(world, world.owner, world.field, at(1, 9), at(1, 10), Holder(resident=liu), override=True) == {}
    )
    # A resident cannot override.
    assert ask(world, world.young, world.field, at(1, 9), at(1, 10), Holder(resident=liu), override=True)


def test_a_teams_priority_slot_names_the_team_and_when_it_opens(world, people):
    refused = ask(world, people.wang_user, world.field, at(3, 7), at(3, 8), Holder(resident=people.wang))
    assert list(refused) == ["starts_at"]
    assert refused["starts_at"].startswith(
        "Thursday 7:00–9:00 is 太极拳队's priority time; it opens to all at "
    )
    assert ask(world, world.team_leader, world.field, at(3, 7), at(3, 8), Holder(team=world.team)) == {}
    # Tuesday's slot opened to all 48 hours before it (Sunday 7:00, already past).
    assert ask(world, people.wang_user, world.field, at(1, 7), at(1, 8), Holder(resident=people.wang)) == {}


def test_family_books_for_the_resident_they_act_for_and_nobody_else(world, people):
    # 赵老伯's hours: his daughter acts for him in the registry.
    assert ask(world, people.daughter, world.room, at(1, 9), at(1, 10), Holder(resident=people.zhao)) == {}
    refused = ask(world, people.wang_user, world.room, at(1, 9), at(1, 10), Holder(resident=people.zhao))
    assert refused == {
        "for_resident": "You book for yourself, or for a family member the registry says you act for."
    }


def test_a_resident_of_another_committee_may_not_book(world, people):
    found = ask(world, people.far_user, world.room, at(1, 9), at(1, 10), Holder(resident=people.far))
    assert found == {
        "for_resident": "乐活空间 is booked by residents of 延长新村居委会; 钱先生 lives elsewhere."
    }


def test_only_a_leader_books_for_a_team_and_only_a_contact_for_a_unit(world, people):
    assert ask(world, people.wang_user, world.room, at(1, 9), at(1, 10), Holder(team=world.team)) == {
        "team": "Only a leader of 太极拳队 books for it."
    }
    assert ask(world, world.unit_contact, world.room, at(1, 9), at(1, 10), Holder(unit=world.unit)) == {}
    assert ask(world, people.wang_user, world.room, at(1, 9), at(1, 10), Holder(unit=world.unit)) == {
        "partner_unit": "Only a contact of 社区卫生服务中心 books for it."
    }
    world.room.open_to_partners = False
    assert ask(world, world.unit_contact, world.room, at(1, 9), at(1, 10), Holder(unit=world.unit)) == {
        "partner_unit": "乐活空间 is not booked by partner units; ask the committee."
    }


def test_nobody_named_is_staffs_own_use_only(world, people):
    assert ask(world, world.owner, world.room, at(1, 9), at(1, 10), Holder()) == {}
    found = ask(world, people.wang_user, world.room, at(1, 9), at(1, 10), Holder(), scope=NO_SCOPE)
    assert "Say whom the booking is for" in found["for_resident"]


def test_a_booking_across_midnight_is_outside_the_hours(world, people):
    found = ask(world, world.owner, world.field, at(1, 19), at(1, 19) + timedelta(hours=3), Holder())
    assert "choose a time inside them" in found["starts_at"]
