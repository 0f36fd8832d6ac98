"""Committees define their own grids, building groups and buildings, with plain forms."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from areas.models import Area, AreaLevel
from audit.models import AuditEntry


@pytest.fixture
def staff(owner_client):
    """The social worker of 延长新村居委会, pages in English."""
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return owner_client


def _url(name, area):
    return reverse(f"areas:{name}", kwargs={"code": area.code})


def _errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


# --- Adding ------------------------------------------------------------------------------------


def test_a_social_worker_adds_a_grid_to_the_committee(staff, tree, owner):
    page = staff.get(_url("detail", tree.committee))
    levels = [value for value, _label in page.context["new_form"].fields["level"].choices]
    assert levels == [AreaLevel.GRID, AreaLevel.BUILDING_GROUP]

    response = staff.post(
        _url("create_child", tree.committee),
        {"new-level": AreaLevel.GRID, "new-name": " 第二 网格 "},
        follow=True,
    )

    grid = Area.objects.get(code="310106019001.W2")
    assert (grid.name, grid.level, grid.parent, grid.official) == (
        "第二 网格",
        AreaLevel.GRID,
        tree.committee,
        False,
    )
    assert grid.path == "/3101/310106/310106019/310106019001/W2/"
    assert grid.pinyin == "dierwangge" and grid.initials == "dewg"
    assert response.redirect_chain[-1][0] == _url("detail", tree.committee)
    assert "Added 第二 网格 to 延长新村居委会." in response.content.decode()
    assert AuditEntry.objects.filter(action="create", object_id=str(grid.pk), actor=owner).exists()


def test_new_parts_take_the_next_number_and_go_to_the_end(staff, tree):
    staff.post(_url("create_child", tree.group), {"new-level": AreaLevel.BUILDING, "new-name": "64号楼"})
    building = Area.objects.get(name="64号楼")
    # 62号楼 is B62, so the next building is B63, listed after it.
    assert building.code == "310106019001.W1.L62.B63"
    assert building.sort_order == tree.building.sort_order + 1

    staff.post(
        _url("create_child", tree.group),
        {"new-level": AreaLevel.BUILDING, "new-name": "60号楼", "new-sort_order": "0"},
    )
    assert Area.objects.get(name="60号楼").sort_order == 0


def test_a_building_group_can_also_hang_directly_under_the_committee(staff, tree):
    staff.post(
        _url("create_child", tree.committee), {"new-level": AreaLevel.BUILDING_GROUP, "new-name": "1号楼组"}
    )
    assert Area.objects.get(name="1号楼组").code == "310106019001.L1"


def test_a_retired_number_is_never_given_again(staff, tree):
    staff.post(_url("retire", tree.grid), {"confirm": "yes"})
    staff.post(_url("create_child", tree.committee), {"new-level": AreaLevel.GRID, "new-name": "第一网格"})
    assert Area.objects.get(name="第一网格", retired_at__isnull=True).code == "310106019001.W2"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"new-level": AreaLevel.GRID, "new-name": "  "}, "name", "Please give it a name."),
        (
            {"new-level": AreaLevel.GRID, "new-name": "第一网格"},
            "name",
            "延长新村居委会 already has a part called 第一网格.",
        ),
        (
            {"new-level": AreaLevel.BUILDING, "new-name": "1号楼"},
            "level",
            "That cannot be added here. Choose one of the listed kinds.",
        ),
        (
            {"new-level": AreaLevel.COMMITTEE, "new-name": "新居委会"},
            "level",
            "That cannot be added here. Choose one of the listed kinds.",
        ),
        (
            {"new-level": AreaLevel.GRID, "new-name": "第二网格", "new-sort_order": "-1"},
            "sort_order",
            "The position cannot be negative.",
        ),
        (
            {"new-level": AreaLevel.GRID, "new-name": "第二网格", "new-sort_order": "三"},
            "sort_order",
            "The position must be a whole number, such as 3.",
        ),
        ({"new-level": AreaLevel.GRID, "new-name": "网" * 101}, "name", None),
    ],
    ids=[
        "empty name",
        "taken name",
        "building under committee",
        "official level",
        "negative",
        "not a number",
        "long",
    ],
)
def test_a_bad_new_part_is_explained_next_to_its_field_and_not_added(staff, tree, data, field, message):
    count = Area.objects.count()

    response = staff.post(_url("create_child", tree.committee), data)

    assert response.status_code == 200
    errors = _errors(response, field)
    assert errors and (message is None or errors == [message]), errors
    assert Area.objects.count() == count
    body = response.content.decode()
    assert 'class="errorlist' in body and 'aria-invalid="true"' in body


def test_nothing_is_added_under_official_units_other_than_committees_or_under_buildings(staff, tree, client):
    from accounts.roles import Role
    from tests.factories import UserFactory, grant, login_verified

    admin = UserFactory.create()
    grant(admin, Role.DISTRICT_ADMIN, tree.district)
    login_verified(client, admin)
    for area in (tree.district, tree.street):
        assert client.get(_url("create_child", area)).status_code == 404
        assert (
            client.post(
                _url("create_child", area), {"new-level": AreaLevel.GRID, "new-name": "x"}
            ).status_code
            == 404
        )
    assert staff.get(_url("create_child", tree.building)).status_code == 404
    assert not Area.objects.filter(name="x").exists()


# --- Renaming and ordering ---------------------------------------------------------------------


def test_a_building_group_is_renamed_and_reordered(staff, tree, owner):
    response = staff.post(_url("edit", tree.group), {"edit-name": "62号楼组（东）", "edit-sort_order": "5"})

    assert response.status_code == 302 and response["Location"] == _url("detail", tree.group)
    tree.group.refresh_from_db()
    assert (tree.group.name, tree.group.sort_order, tree.group.code) == (
        "62号楼组（东）",
        5,
        "310106019001.W1.L62",
    )
    assert tree.group.pinyin.startswith("62haolouzu")
    entry = AuditEntry.objects.filter(action="update", object_id=str(tree.group.pk)).latest("pk")
    assert entry.changes["name"] == ["62号楼组", "62号楼组（东）"] and entry.actor == owner


def test_a_bad_rename_is_explained_and_changes_nothing(staff, tree):
    sibling = Area.objects.create(
        code=f"{tree.grid.code}.L63", name="63号楼组", level=AreaLevel.BUILDING_GROUP, parent=tree.grid
    )

    response = staff.post(_url("edit", sibling), {"edit-name": "62号楼组", "edit-sort_order": "1"})

    assert _errors(response, "name") == ["第一网格 already has a part called 62号楼组."]
    response = staff.post(_url("edit", sibling), {"edit-name": "63号楼组", "edit-sort_order": ""})
    assert _errors(response, "sort_order") == ["Please give a position (a whole number)."]
    sibling.refresh_from_db()
    assert (sibling.name, sibling.sort_order) == ("63号楼组", 0)


def test_official_units_cannot_be_renamed_or_retired_in_the_ui(staff, tree):
    for route in ("edit", "retire"):
        assert staff.get(_url(route, tree.committee)).status_code == 404
    staff.post(_url("edit", tree.committee), {"edit-name": "改名居委会", "edit-sort_order": "1"})
    staff.post(_url("retire", tree.committee), {"confirm": "yes"})
    tree.committee.refresh_from_db()
    assert tree.committee.name == "延长新村居委会" and not tree.committee.is_retired
    page = staff.get(_url("detail", tree.committee))
    assert page.context["edit_form"] is None
    assert _url("retire", tree.committee) not in page.content.decode()


# --- Retiring and restoring ----------------------------------------------------------------------


def test_retiring_asks_first_then_keeps_everything_on_record(staff, tree):
    confirm = staff.get(_url("retire", tree.group))
    assert confirm.status_code == 200
    body = confirm.content.decode()
    assert "Retire 62号楼组?" in body and "1 Building" in body
    # A POST without the confirmation field only shows the question again.
    assert staff.post(_url("retire", tree.group)).status_code == 200
    tree.group.refresh_from_db()
    assert not tree.group.is_retired

    response = staff.post(_url("retire", tree.group), {"confirm": "yes"}, follow=True)

    assert response.redirect_chain[-1][0] == _url("detail", tree.grid)
    assert "62号楼组 is retired, with 1 unit(s) under it." in response.content.decode()
    group, building = Area.objects.get(pk=tree.group.pk), Area.objects.get(pk=tree.building.pk)
    assert group.is_retired and building.retired_at == group.retired_at
    # Retired, so nothing new goes under it.
    assert staff.get(_url("create_child", group)).status_code == 404
    assert staff.get(_url("detail", group)).context["new_form"] is None


def test_restoring_brings_back_what_was_retired_with_it(staff, tree):
    other = Area.objects.create(
        code=f"{tree.group.code}.B64", name="64号楼", level=AreaLevel.BUILDING, parent=tree.group
    )
    staff.post(_url("retire", other), {"confirm": "yes"})
    staff.post(_url("retire", tree.group), {"confirm": "yes"})

    response = staff.post(_url("restore", tree.group), follow=True)

    assert "62号楼组 is back, with 1 unit(s) under it." in response.content.decode()
    assert not Area.objects.get(pk=tree.group.pk).is_retired
    assert not Area.objects.get(pk=tree.building.pk).is_retired
    # 64号楼 was retired on its own before: it stays retired.
    assert Area.objects.get(pk=other.pk).is_retired


def test_a_part_under_a_retired_parent_cannot_be_restored_alone(staff, tree):
    staff.post(_url("retire", tree.group), {"confirm": "yes"})

    response = staff.post(_url("restore", tree.building), follow=True)

    assert "62号楼组 is retired; restore it first." in response.content.decode()
    assert Area.objects.get(pk=tree.building.pk).is_retired
    assert staff.get(_url("restore", tree.building)).status_code == 405
