"""Three 张鹏: wherever a worker picks a resident from a list, each shows sex, age, building and
door (never the identity number or the phone), in a fixed number of queries.

The lists: the registry search (the form's POST and an address's GET), the walk-ins at an
activity's door, the visit log's search and the request log's search.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.activities.conftest import make_activity
from tests.factories import household, id_number, local, resident

NAMESAKES = [
    # room, born, male, building: what tells each apart
    ("301", "1950-03-01", True, 0),
    ("302", "1988-07-07", False, 0),
    ("101", "1962-11-11", True, 1),
]


@pytest.fixture
def namesakes(tree):
    from areas.models import AreaLevel

    buildings = [tree.building, local(tree.group, AreaLevel.BUILDING, "63号楼", 63)]
    made = []
    for room, born, male, b in NAMESAKES:
        made.append(
            resident(
                household(buildings[b], room), "张鹏", number=id_number(born, male=male), phone="13912345678"
            )
        )
    return made


def _pages(owner):
    activity = make_activity(owner)
    return {
        "registry search (post)": ("post", reverse("registry:search")),
        "registry search (get)": ("get", reverse("registry:search")),
        "activity door": ("get", reverse("activities:door", args=[activity.pk])),
        "visit log": ("get", reverse("visits:log")),
        "request log": ("get", reverse("demands:log")),
    }


PAGES = ["registry search (post)", "registry search (get)", "activity door", "visit log", "request log"]


@pytest.mark.parametrize("page", PAGES)
def test_namesakes_can_be_told_apart(owner_client, owner, tree, namesakes, english, page):
    method, url = _pages(owner)[page]
    text = getattr(owner_client, method)(url, {"q": "张鹏"}).content.decode()
    for person in namesakes:
        assert person.tell_apart in text, (page, person.tell_apart)
    first = namesakes[0]
    assert first.tell_apart == f"Male · {first.age()} years old · {first.household.address}"
    assert "13912345678" not in text and namesakes[0].id_masked not in text


@pytest.mark.parametrize("page", PAGES)
def test_the_list_runs_a_fixed_number_of_queries(owner_client, owner, tree, english, page):
    from areas.models import AreaLevel

    method, url = _pages(owner)[page]
    building = local(tree.group, AreaLevel.BUILDING, "64号楼", 64)
    resident(household(tree.building, "901"), "张鹏", number=id_number("1950-01-01"))
    getattr(owner_client, method)(url, {"q": "张鹏"})  # warm the caches
    with CaptureQueriesContext(connection) as one:
        getattr(owner_client, method)(url, {"q": "张鹏"})
    for n in range(6):
        resident(household(building, f"{n + 1}01"), "张鹏", number=id_number("1960-01-01", male=n % 2 == 0))
    with CaptureQueriesContext(connection) as seven:
        text = getattr(owner_client, method)(url, {"q": "张鹏"}).content.decode()
    assert text.count("64号楼") >= 6
    assert len(seven) == len(one), [q["sql"][:120] for q in seven.captured_queries]


PICKERS = ["activity door", "visit log", "request log"]


@pytest.mark.parametrize("page", PICKERS)
def test_every_resident_picker_posts_its_search_and_finds_by_identity_number(
    owner_client, owner, tree, namesakes, english, page
):
    """The pickers where a worker finds a resident search by POST, as the registry search does:
    an identity number typed there stays out of the address and so out of every access log,
    and the number finds the person; from an address it finds nobody."""
    _method, url = _pages(owner)[page]
    form = owner_client.get(url).content.decode()
    assert 'name="q"' in form
    search_form = form[: form.index('name="q"')].rsplit("<form", 1)[1]
    assert 'method="post"' in search_form and 'method="get"' not in search_form, page
    number = id_number("1950-03-01", male=True)
    first = resident(household(tree.building, "305"), "张鹏", number=number)
    assert first.tell_apart in owner_client.post(url, {"q": number}).content.decode(), page
    assert first.tell_apart not in owner_client.get(url, {"q": number}).content.decode(), page
