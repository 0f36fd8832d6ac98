"""The public page of a committee's spaces (no login, elderly mode, fixed queries, nobody's
name), and the staff's pages to keep sites and spaces: add, change, hours, closures, rules,
priority slots, photos, archive."""

from __future__ import annotations

import io
from datetime import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from spaces import bookings
from spaces.models import AudienceRule, Booking, Closure, OpeningHours, PrioritySlot, Site, Space, SpacePhoto
from spaces.policy import Holder
from tests.factories import login, scope_of
from tests.spaces.conftest import FIELD_RULE, at

pytestmark = pytest.mark.django_db


def png(name="room.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_the_public_page_needs_no_login_and_names_nobody(client, world, people, tree):
    bookings.book(
        people.wang_user,
        world.room,
        at(1, 9),
        at(1, 10),
        scope=scope_of(people.wang_user),
        holder=Holder(resident=people.wang),
        purpose="王家康复",
    )
    response = client.get(reverse("spaces:public", args=[tree.committee.code]))
    assert response.status_code == 200
    text = response.content.decode()
    for shown in (
        "党群服务站",
        "乐活空间",
        "康复器材、血压计",
        "8:00–11:30, 13:30–17:00",
        FIELD_RULE,
        "乐动空间",
    ):
        assert shown in text
    assert "Open to all without booking" in text
    assert "太极拳队 has priority" in text
    # The free times of Tuesday skip 王建国's hour, without his name or purpose.
    assert "8:00–9:00" in text and "10:00–11:30" in text
    assert "王建国" not in text and "王家康复" not in text


def test_the_public_page_in_elderly_mode_and_from_a_buildings_code(client, world, tree, settings):
    client.cookies["mulin_elderly"] = "1"
    response = client.get(reverse("spaces:public", args=[tree.building.code]))
    assert response.status_code == 200
    assert 'class="elderly"' in response.content.decode()
    assert client.get(reverse("spaces:public", args=["999"])).status_code == 404


def test_the_public_page_runs_fixed_queries(client, world, tree, owner):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("spaces:public", args=[tree.committee.code])).status_code == 200
        return len(queries)

    few = count()
    for n in range(3):
        more = Space.objects.create(area=tree.committee, site=world.site, name=f"活动室{n}", kind="room")
        OpeningHours.objects.create(space=more, weekday=1, opens=time(8), closes=time(9))
        AudienceRule.objects.create(
            space=more, weekdays="1", starts=time(8), ends=time(9), min_age=60, note="60+"
        )
        Booking.objects.create(
            space=more, starts_at=at(1, 8), ends_at=at(1, 9), status="confirmed", purpose="x"
        )
    Site.objects.create(area=tree.committee, name="第二服务点", kind="service_point")
    assert count() == few


def test_a_space_page_and_its_photo(client, world, owner):
    places_client = login(client, owner)
    response = places_client.post(reverse("spaces:photos_add", args=[world.room.pk]), {"photos": [png()]})
    assert response.status_code == 302
    photo = SpacePhoto.objects.get(space=world.room)
    client.logout()
    page = client.get(reverse("spaces:space", args=[world.room.pk]))
    assert page.status_code == 200
    assert reverse("spaces:photo", args=[photo.pk]) in page.content.decode()
    assert client.get(reverse("spaces:photo", args=[photo.pk])).status_code == 200


def test_a_file_that_is_no_image_is_refused(client, world, owner):
    login(client, owner)
    fake = SimpleUploadedFile("room.png", b"not an image", content_type="image/png")
    response = client.post(reverse("spaces:photos_add", args=[world.room.pk]), {"photos": [fake]})
    assert response.status_code == 422
    assert "is not a photo" in response.content.decode()
    assert not SpacePhoto.objects.exists()


def test_staff_add_a_space_and_give_it_a_week(client, tree, owner, world):
    login(client, owner)
    response = client.post(
        reverse("spaces:space_new"),
        {
            "site": world.site.pk,
            "name": "乐龄空间",
            "kind": "room",
            "capacity": 30,
            "size_m2": 120,
            "equipment": "餐桌、棋牌",
            "bookable": "on",
            "open_to_residents": "on",
            "open_to_teams": "on",
            "book_days_ahead": 7,
            "min_notice_hours": 2,
            "max_hours": 3,
            "map_x": "40.5",
            "map_y": "20",
        },
    )
    space = Space.objects.get(name="乐龄空间")
    assert response.status_code == 302 and response["Location"] == reverse(
        "spaces:space_hours", args=[space.pk]
    )
    assert space.size_m2 == 120 and not space.open_to_partners
    response = client.post(
        reverse("spaces:space_hours", args=[space.pk]),
        {"day_0": "8:00–11:30, 13:30-17:00", "day_2": "9:00-11:00", "day_6": ""},
    )
    assert response.status_code == 302
    assert [str(h) for h in space.hours.all()] == [
        "Monday 08:00–11:30",
        "Monday 13:30–17:00",
        "Wednesday 09:00–11:00",
    ]
    bad = client.post(reverse("spaces:space_hours", args=[space.pk]), {"day_0": "9:00-8:00"})
    assert "Each stretch must close after it opens." in bad.content.decode()
    assert space.hours.count() == 3


def test_staff_add_closures_rules_and_slots_and_remove_them(client, world, owner):
    login(client, owner)
    room = world.room
    client.post(
        reverse("spaces:closure_add", args=[room.pk]),
        {"starts_at": "2026-12-25T00:00", "ends_at": "2026-12-26T00:00", "reason": "圣诞检修"},
    )
    assert Closure.objects.get(space=room).reason == "圣诞检修"
    client.post(
        reverse("spaces:audience_rule_add", args=[room.pk]),
        {
            "weekdays": ["0", "1"],
            "starts": "08:00",
            "ends": "10:00",
            "min_age": 60,
            "note": "60岁以上",
            "free": "on",
        },
    )
    rule = AudienceRule.objects.get(space=room)
    assert rule.days == {0, 1} and rule.min_age == 60
    client.post(
        reverse("spaces:priority_slot_add", args=[room.pk]),
        {"weekdays": ["3"], "starts": "14:00", "ends": "16:00", "team": world.team.pk, "release_hours": 24},
    )
    slot = PrioritySlot.objects.get(space=room)
    assert slot.team == world.team and slot.release_hours == 24
    page = client.get(reverse("spaces:space_edit", args=[room.pk]))
    assert "圣诞检修" in page.content.decode()
    for name, pk in (
        ("spaces:closure_remove", Closure.objects.get().pk),
        ("spaces:audience_rule_remove", rule.pk),
        ("spaces:priority_slot_remove", slot.pk),
    ):
        assert client.post(reverse(name, args=[pk])).status_code == 302
    assert not Closure.objects.exists() and not AudienceRule.objects.filter(space=room).exists()


def test_a_rule_needs_an_age_or_a_tag(client, world, owner):
    login(client, owner)
    response = client.post(
        reverse("spaces:audience_rule_add", args=[world.room.pk]),
        {"weekdays": ["0"], "starts": "08:00", "ends": "10:00", "note": "某些人"},
    )
    assert response.status_code == 422
    assert "Give an age, or a tag, that residents must have." in response.content.decode()


def test_archiving_waits_for_the_bookings_to_come(client, world, owner, people):
    login(client, owner)
    made = bookings.book(
        owner, world.room, at(1, 9), at(1, 10), scope=scope_of(owner), holder=Holder(), purpose="会议"
    )
    client.post(reverse("spaces:space_archive", args=[world.room.pk]))
    world.room.refresh_from_db()
    assert world.room.archived_at is None
    bookings.cancel(owner, made, scope=scope_of(owner))
    client.post(reverse("spaces:space_archive", args=[world.room.pk]))
    world.room.refresh_from_db()
    assert world.room.archived_at is not None
    assert client.get(reverse("spaces:space", args=[world.room.pk])).status_code == 404


def test_the_neighbours_staff_and_residents_may_not_keep_the_space(client, world, outsider, people):
    login(client, outsider)
    assert client.get(reverse("spaces:space_edit", args=[world.room.pk])).status_code == 404
    client.logout()
    login(client, people.wang_user)
    assert client.get(reverse("spaces:space_edit", args=[world.room.pk])).status_code == 403


def test_staff_add_and_close_a_site(client, tree, owner):
    login(client, owner)
    client.post(
        reverse("spaces:site_new"),
        {"name": "第一服务点", "kind": "service_point", "map_x": "10", "map_y": "90"},
    )
    site = Site.objects.get(name="第一服务点")
    assert site.area == tree.committee and site.map_y == 90
    out_of_plan = client.post(
        reverse("spaces:site", args=[site.pk]),
        {"name": "第一服务点", "kind": "service_point", "map_x": "120"},
    )
    assert out_of_plan.status_code == 200
    client.post(reverse("spaces:site_close", args=[site.pk]))
    site.refresh_from_db()
    assert site.closed_at is not None
