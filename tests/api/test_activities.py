"""The activities API: the same rules as the pages, scoped, JSON answers."""

import json
from datetime import timedelta

from django.utils import timezone

from activities import signups
from activities.models import Activity, Signup
from common.scope import NO_SCOPE
from tests import fixtures
from tests.activities import conftest as activity_fixtures
from tests.api.conftest import api_client

immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
activity = activity_fixtures.activity
BASE = "/api/v1/activities"


def _json(response):
    return json.loads(response.content)


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_residents_sign_up_themselves_and_their_family(people, activity, owner):
    wang = api_client(people.wang_user)
    week = _json(wang.get(BASE, {"week": (timezone.localdate() + timedelta(days=2)).isoformat()}))
    assert [o["activity"]["title"] for o in week] == ["书法班"]
    assert week[0]["people"] == [  # himself, and his wife: the same household
        {"resident": people.wang.pk, "name": "王建国", "signup": None, "problem": ""},
        {"resident": people.li.pk, "name": "李秀英", "signup": None, "problem": ""},
    ]
    made = _post(wang, f"{BASE}/{activity.pk}/signups", {"resident": people.wang.pk})
    assert made.status_code == 201 and _json(made)[0]["status"] == "confirmed"
    _post(api_client(people.li_user), f"{BASE}/{activity.pk}/signups", {"resident": people.li.pk})
    daughter = api_client(people.daughter)
    waiting = _json(_post(daughter, f"{BASE}/{activity.pk}/signups", {"resident": people.zhao.pk}))[0]
    assert waiting["status"] == "waiting" and waiting["waiting_position"] == 1
    assert _post(daughter, f"{BASE}/{activity.pk}/signups", {"resident": people.sun.pk}).status_code == 404
    again = _post(wang, f"{BASE}/{activity.pk}/signups", {"resident": people.wang.pk})
    assert again.status_code == 422 and "already signed up" in _json(again)["detail"]
    mine = Signup.objects.get(resident=people.wang)
    assert _json(wang.delete(f"{BASE}/signups/{mine.pk}"))["status"] == "cancelled"
    assert Signup.objects.get(resident=people.zhao).status == "confirmed"
    passes = _json(wang.get(f"{BASE}/pass"))
    assert passes[0]["name"] == "王建国" and "/activities/check-in/" in passes[0]["url"]


def test_staff_organise_check_in_and_count(owner_api, owner, people, tree):
    start = timezone.now() + timedelta(minutes=10)  # check-in (from 30 minutes before) is open
    created = _post(
        owner_api,
        BASE,
        {
            "title": "香囊制作",
            "place": "活动室",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(),
            "capacity": 1,
            "weeks": 2,
        },
    )
    assert created.status_code == 201
    sessions = _json(created)
    assert len(sessions) == 2 and sessions[0]["series"] == sessions[1]["series"]
    first = sessions[0]["id"]
    assert _post(owner_api, f"{BASE}/{first}/publish").status_code == 200
    walked = _json(_post(owner_api, f"{BASE}/{first}/walk-in", {"resident": people.wang.pk}))
    assert walked["via"] == "walk_in" and walked["checked_in_at"]
    full = _post(owner_api, f"{BASE}/{first}/walk-in", {"resident": people.li.pk})
    assert full.status_code == 422
    assert _json(_post(owner_api, f"{BASE}/{first}/capacity", {"capacity": 5}))["places_left"] == 4
    listing = _json(owner_api.get(f"{BASE}/manage"))
    assert listing["count"] == 2
    bad = _post(
        owner_api,
        BASE,
        {"title": "x", "place": "y", "starts_at": start.isoformat(), "ends_at": start.isoformat()},
    )
    assert bad.status_code == 422 and "end after it starts" in _json(bad)["detail"]
    cancelled = _post(owner_api, f"{BASE}/{first}/cancel", {"reason": "暴雨"})
    assert _json(cancelled)["cancelled"] is True


def test_outsiders_get_404(outsider, owner, activity, people):
    other = api_client(outsider)
    assert _post(other, f"{BASE}/{activity.pk}/publish").status_code == 404
    assert other.get(f"{BASE}/{activity.pk}/signups").status_code == 404


def test_staff_sign_a_resident_up_for_a_whole_series(owner_api, owner, people):
    sessions = activity_fixtures.make_activity(owner, weeks=3, title="新华书法班")
    made = _post(owner_api, f"{BASE}/{sessions[0].pk}/signups", {"resident": people.wang.pk, "series": True})
    assert made.status_code == 201, made.content
    assert [s["via"] for s in _json(made)] == ["staff"] * 3


def test_check_in_is_refused_days_ahead_and_the_paper_sheet_is_entered_after(
    owner_api, owner, people, activity
):
    signup = signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    early = _post(owner_api, f"{BASE}/{activity.pk}/check-in", {"signup": signup.pk})
    assert early.status_code == 422 and "Check-in opens at" in _json(early)["detail"]
    paper = {"signups": [signup.pk], "reason": "纸质签到表"}
    assert _post(owner_api, f"{BASE}/{activity.pk}/paper-sheet", paper).status_code == 422
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=activity.starts_at - timedelta(days=3), ends_at=activity.ends_at - timedelta(days=3)
    )
    entered = _post(owner_api, f"{BASE}/{activity.pk}/paper-sheet", paper)
    assert entered.status_code == 200 and _json(entered)[0]["checked_in_at"]


def test_a_resident_signs_up_her_husband_through_the_api(people, activity):
    li = api_client(people.li_user)
    made = _post(li, f"{BASE}/{activity.pk}/signups", {"resident": people.wang.pk})
    assert made.status_code == 201 and _json(made)[0]["via"] == "household"
    assert _post(li, f"{BASE}/{activity.pk}/signups", {"resident": people.sun.pk}).status_code == 404


def test_staff_name_the_team_that_organises_an_activity(owner_api, tree):
    """The API takes the organising team as the form does, with the same rule: a current team
    of the committee or its street, never a neighbour's."""
    from volunteers.models import Team

    ours = Team.objects.create(area=tree.committee, name="太极拳队", kind="self_governance")
    theirs = Team.objects.create(area=tree.neighbour, name="邻居的队", kind="self_governance")
    start = timezone.now() + timedelta(days=2)
    payload = {
        "title": "太极拳晨练",
        "place": "小花园",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
    }
    made = _post(owner_api, BASE, {**payload, "team": ours.pk})
    assert made.status_code == 201 and _json(made)[0]["team"] == ours.pk
    assert Activity.objects.get(pk=_json(made)[0]["id"]).team == ours
    refused = _post(owner_api, BASE, {**payload, "team": theirs.pk})
    assert refused.status_code == 422 and "太极拳晨练" not in str(Activity.objects.filter(team=theirs))
    assert "not a current team" in refused.content.decode()
    missing = _post(owner_api, BASE, {**payload, "team": 999999})
    assert missing.status_code == 422 and "No team 999999" in missing.content.decode()
    assert Activity.objects.filter(title="太极拳晨练").count() == 1
