"""The pages: staff keep the list and handle alerts; a watcher records checks with JS off."""

from __future__ import annotations

import pytest
from django.urls import reverse

from eldercare import cutoffs
from eldercare.models import Alert, Check, Watch, WatchPolicy, WatchStatus
from tests.eldercare.conftest import at
from tests.factories import UserFactory, household, login_verified
from tests.factories import resident as make_resident

pytestmark = pytest.mark.django_db


def _more(tree, n: int) -> None:
    from eldercare.models import Watcher

    for i in range(n):
        person = make_resident(household(tree.building, f"5{i:02d}"), f"老人{i}")
        watch = Watch.objects.create(
            resident=person, committee=tree.committee, checks_from=person.created_at.date()
        )
        Watcher.objects.create(watch=watch, user=UserFactory.create(), kind="volunteer")


def test_the_list_shows_todays_state_in_a_fixed_number_of_queries(
    world, tree, owner_client, django_assert_num_queries
):
    url = reverse("eldercare:index")
    owner_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        response = owner_client.get(url)
    assert response.status_code == 200 and "刘阿姨" in response.text
    assert "慧芝湖老人" not in response.text
    _more(tree, 12)
    with django_assert_num_queries(len(one.captured_queries)):
        response = owner_client.get(url)
    assert "老人11" in response.text


def test_the_list_filters(world, tree, owner_client):
    cutoffs.run_cutoffs(at(10, 0))
    response = owner_client.get(reverse("eldercare:index"), {"today": "alert", "tag": "living_alone"})
    assert "刘阿姨" in response.text
    response = owner_client.get(reverse("eldercare:index"), {"today": "paused"})
    assert "刘阿姨" not in response.text


def test_another_committees_watch_and_alert_are_not_found(world, owner_client):
    cutoffs.run_cutoffs(at(10, 0))
    far_alert = Alert.objects.get(watch=world.far_watch)
    assert owner_client.get(reverse("eldercare:watch", args=[world.far_watch.pk])).status_code == 404
    assert owner_client.get(reverse("eldercare:alert", args=[far_alert.pk])).status_code == 404
    assert (
        owner_client.post(
            reverse("eldercare:record", args=[world.far_watch.pk]), {"kind": "light"}
        ).status_code
        == 404
    )


def test_residents_and_building_leaders_do_not_keep_the_list(world, client):
    login_verified(client, world.leader)
    assert client.get(reverse("eldercare:index")).status_code == 403
    assert client.get(reverse("eldercare:watch", args=[world.watch.pk])).status_code == 403


def test_candidates_one_by_one_and_all_at_once(world, tree, owner_client):
    url = reverse("eldercare:candidates")
    response = owner_client.get(url)
    assert "钱伯伯" in response.text and "刘阿姨" not in response.text
    response = owner_client.post(url, {"resident": world.qian.pk})
    watch = Watch.objects.get(resident=world.qian)
    assert response.url == reverse("eldercare:watch", args=[watch.pk])
    make_resident(household(tree.building, "601"), "周老太", birth_date=world.liu.birth_date)
    make_resident(household(tree.building, "602"), "吴老伯", birth_date=world.liu.birth_date)
    owner_client.post(url, {"action": "all"})
    assert Watch.objects.filter(committee=tree.committee).count() == 4


def test_the_watch_page_manages_watchers_family_times_and_status(world, owner_client):
    url = reverse("eldercare:watch", args=[world.watch.pk])
    response = owner_client.get(url)
    assert response.status_code == 200 and "张楼组长" in response.text and "邻居孙" in response.text
    volunteer = UserFactory.create(name="赵志愿者")
    owner_client.post(url, {"action": "add_watcher", "phone": volunteer.phone, "kind": "volunteer"})
    assert world.watch.watchers.filter(user=volunteer, ended_at__isnull=True).exists()
    response = owner_client.post(
        url, {"action": "add_watcher", "phone": "13000000000", "kind": "volunteer"}, follow=True
    )
    assert "No account with this number" in response.text
    owner_client.post(
        url, {"action": "family", "name": "刘阿姨的女儿", "relation": "女儿", "phone": "13911112222"}
    )
    world.watch.refresh_from_db()
    assert world.watch.family_phone == "13911112222" and world.watch.family_user is None
    owner_client.post(
        url, {"action": "cutoffs", "day_cutoff": "09:00", "night_cutoff": "", "note": "钥匙在楼组长家"}
    )
    world.watch.refresh_from_db()
    assert world.watch.day_cutoff.hour == 9 and world.watch.note == "钥匙在楼组长家"
    owner_client.post(url, {"action": "paused", "reason": "in_hospital", "note": ""})
    world.watch.refresh_from_db()
    assert world.watch.status == WatchStatus.PAUSED
    owner_client.post(url, {"action": "resume"})
    world.watch.refresh_from_db()
    assert world.watch.status == WatchStatus.ACTIVE


def test_the_calendar_shows_two_weeks(world, owner_client):
    Check.objects.create(watch=world.watch, day=at(9).date(), slot="day", kind="curtains", at=at(9))
    response = owner_client.get(reverse("eldercare:watch", args=[world.watch.pk]))
    assert response.text.count('<span class="watch-date">') == 14


def test_a_watcher_records_with_one_button_without_javascript(world, client):
    login_verified(client, world.neighbour)
    page = client.get(reverse("eldercare:mine"))
    assert "刘阿姨" in page.text and 'value="curtains"' in page.text
    response = client.post(reverse("eldercare:record", args=[world.watch.pk]), {"kind": "curtains"})
    assert response.status_code == 302 and response.url == reverse("eldercare:mine")
    assert Check.objects.filter(watch=world.watch, by=world.neighbour, kind="curtains").exists()
    stranger = UserFactory.create()
    login_verified(client, stranger)
    assert (
        client.post(reverse("eldercare:record", args=[world.watch.pk]), {"kind": "curtains"}).status_code
        == 404
    )
    assert "not watching anyone" in client.get(reverse("eldercare:mine")).text


def test_something_wrong_from_the_page_raises_an_alert(world, client):
    login_verified(client, world.neighbour)
    response = client.post(
        reverse("eldercare:record", args=[world.watch.pk]),
        {"kind": "concern", "note": "听到呼救"},
        follow=True,
    )
    assert "told at once" in response.text
    assert Alert.objects.get(watch=world.watch).cause == "concern"


def test_alerts_are_acknowledged_and_closed_on_their_pages(world, owner_client):
    cutoffs.run_cutoffs(at(10, 0))
    alert = Alert.objects.get(watch=world.watch)
    listing = owner_client.get(reverse("eldercare:alerts"))
    assert "刘阿姨" in listing.text and "慧芝湖老人" not in listing.text
    url = reverse("eldercare:alert", args=[alert.pk])
    owner_client.post(url, {"action": "acknowledge"})
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None
    response = owner_client.post(url, {"action": "close", "outcome": "other", "note": ""})
    assert "Write a few words" in response.text
    owner_client.post(url, {"action": "close", "outcome": "fine", "note": "在家睡觉"})
    alert.refresh_from_db()
    assert alert.outcome == "fine" and alert.closed_at is not None


def test_the_policy_page_saves_and_refuses(world, tree, owner_client):
    url = reverse("eldercare:policy")
    assert owner_client.get(url).status_code == 200
    data = {
        "day_cutoff": "09:30",
        "night_cutoff": "19:30",
        "night_from": "15:00",
        "workers_after": 30,
        "family_after": 90,
    }
    owner_client.post(url, data)
    assert WatchPolicy.objects.get(committee=tree.committee).workers_after == 30
    response = owner_client.post(url, {**data, "night_cutoff": "08:00"})
    assert "after the curtains" in response.text
