"""A resident signs up members of her own household in the same form: each through the
race-safe ``register`` (capacity, their own eligibility, the waiting list), all or none; each
sign-up shows and can be cancelled. Nobody outside the household."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from activities import signups
from activities.models import Signup
from common.scope import NO_SCOPE
from tests.activities.conftest import make_activity
from tests.factories import login


def _status(activity, person) -> str:
    return Signup.objects.get(activity=activity, resident=person).status


def test_a_wife_signs_up_herself_and_her_husband_in_one_form(client, owner, people):
    activity = make_activity(owner, capacity=5)
    login(client, people.li_user)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert f'name="resident" value="{people.li.pk}" checked' in page
    assert f'name="resident" value="{people.wang.pk}">' in page and "Sign up the ticked people" in page
    response = client.post(
        reverse("activities:signup", args=[activity.pk]),
        {"resident": [people.li.pk, people.wang.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "李秀英 has a place." in text and "王建国 has a place." in text
    husband = Signup.objects.get(activity=activity, resident=people.wang)
    assert husband.via == "household" and husband.by == people.li_user
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Cancel for 王建国" in page and "Cancel for 李秀英" in page
    client.post(reverse("activities:cancel", args=[husband.pk]))
    assert _status(activity, people.wang) == "cancelled" and _status(activity, people.li) == "confirmed"


def test_the_household_takes_places_then_waits(owner, people):
    activity = make_activity(owner, capacity=2)
    signups.register(people.daughter, people.zhao, activity, scope=NO_SCOPE)  # one place left
    made = signups.register_together(people.li_user, [people.li, people.wang], activity, scope=NO_SCOPE)
    assert [(s.resident.name, s.status) for s in made] == [("李秀英", "confirmed"), ("王建国", "waiting")]
    activity.refresh_from_db()
    assert activity.confirmed == 2 and signups.waiting_position(made[1]) == 1
    signups.cancel_signup(people.daughter, Signup.objects.get(resident=people.zhao), scope=NO_SCOPE)
    assert _status(activity, people.wang) == "confirmed"  # promoted in order


def test_all_or_none_and_the_refusal_names_whom(owner, people):
    activity = make_activity(owner, capacity=5, min_age=65)  # 王建国 is 66, 李秀英 64
    with pytest.raises(ValidationError) as refused:
        signups.register_together(people.wang_user, [people.wang, people.li], activity, scope=NO_SCOPE)
    assert "李秀英 will be 64" in refused.value.messages[0]
    assert not Signup.objects.filter(activity=activity).exists()


def test_only_her_own_household(client, owner, people):
    activity = make_activity(owner, capacity=5)
    with pytest.raises(PermissionDenied):
        signups.register_together(people.li_user, [people.li, people.sun], activity, scope=NO_SCOPE)
    assert not Signup.objects.filter(activity=activity).exists()
    login(client, people.li_user)
    refused = client.post(
        reverse("activities:signup", args=[activity.pk]), {"resident": [people.li.pk, people.sun.pk]}
    )
    assert refused.status_code == 404 and not Signup.objects.filter(activity=activity).exists()
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "孙阿姨" not in page
