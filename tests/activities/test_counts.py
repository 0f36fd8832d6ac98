"""Places and the waiting list are counted apart everywhere: a waiting place is not a
sign-up, on the resident's home, the staff lists, the figures, the door and the sheet."""

from __future__ import annotations

import io
from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from activities import selectors, signups
from common.scope import NO_SCOPE
from tests.activities.conftest import make_activity
from tests.factories import login


def _full_with_one_waiting(owner, people, **extra):
    """Two places, both taken (王建国, 李秀英), and 赵老伯 on the waiting list."""
    activity = make_activity(owner, **extra)
    signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    signups.register(people.li_user, people.li, activity, scope=NO_SCOPE)
    signups.register(people.daughter, people.zhao, activity, scope=NO_SCOPE)
    return activity


def test_the_home_says_places_and_waiting_apart(client, owner, people):
    full = make_activity(owner, title="满员讲座", capacity=1)
    signups.register(people.li_user, people.li, full, scope=NO_SCOPE)
    signups.register(people.wang_user, people.wang, full, scope=NO_SCOPE)  # waiting
    signups.register(people.wang_user, people.wang, make_activity(owner, title="书法班"), scope=NO_SCOPE)

    assert selectors.upcoming_signups(people.wang_user) == selectors.SignupCounts(places=1, waiting=1)
    login(client, people.wang_user)
    page = client.get(reverse("home")).content.decode()
    assert "Signed up for 1 coming activity, waiting for 1" in page
    assert "Signed up for 2" not in page


def test_the_figures_count_places_and_waiting_apart(client, owner, people):
    _full_with_one_waiting(owner, people)
    login(client, owner)
    figures = client.get(reverse("activities:figures")).content.decode()
    assert '<td data-label="Places">2</td>' in figures
    assert '<td data-label="Signed up">2</td>' in figures
    assert '<td data-label="Waiting">1</td>' in figures
    week = client.get(reverse("activities:calendar"), {"week": (timezone.localdate() + timedelta(days=2))})
    assert "2/2 · 1 waiting" in week.content.decode()


def test_the_door_and_the_sheet_count_the_waiting_list_apart(client, owner, people):
    activity = _full_with_one_waiting(owner, people)
    login(client, owner)
    door = client.get(reverse("activities:door", args=[activity.pk])).content.decode()
    assert "1 on the waiting list." in door
    sheet = client.get(reverse("activities:sheet", args=[activity.pk]))
    text = PdfReader(io.BytesIO(sheet.content)).pages[0].extract_text()
    assert "Registered: 2" in text and "Waiting: 1" in text and "Registered: 3" not in text


def test_todays_activities_show_the_waiting_list_apart(client, owner, people):
    morning = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0)
    with time_machine.travel(morning):
        start = morning + timedelta(hours=6)
        _full_with_one_waiting(owner, people, starts_at=start, ends_at=start + timedelta(hours=2))
        login(client, owner)
        page = client.get(reverse("today")).content.decode()
    assert "2 signed up, 1 waiting, 0 checked in" in page
