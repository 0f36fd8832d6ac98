"""The figures per building (who may sign, online, on paper, the rate) and who sees which
convention, each in a fixed number of queries."""

from __future__ import annotations

from conventions import selectors, signing
from conventions.models import State
from registry.models import Resident
from tests.conventions.conftest import make_convention, scope_of
from tests.factories import UserFactory, household
from tests.factories import resident as make_resident


def _row(report, name):
    return next(r for r in report.buildings if r.area.name == name)


def test_figures_per_building(published, people, leader, tree):
    signing.sign(people.wang_user, people.wang, published)
    signing.sign(people.daughter, people.zhao, published)  # online, by his daughter
    signing.record_paper(leader, scope_of(leader), published, people.sun)
    report = selectors.report(published)
    assert [r.area.name for r in report.buildings] == ["62号楼", "64号楼"]
    b62, b64 = _row(report, "62号楼"), _row(report, "64号楼")
    assert (b62.eligible, b62.online, b62.paper, b62.percent) == (2, 1, 0, "50%")
    assert (b64.eligible, b64.online, b64.paper, b64.rate) == (2, 1, 1, 1.0)
    assert (report.total.eligible, report.total.signed, report.total.percent) == (4, 3, "75%")


def test_figures_count_households_when_the_convention_does(owner, tree, people):
    version = make_convention(owner, tree.committee, per_household=True)
    signing.sign(people.li_user, people.li, version)
    report = selectors.report(version)
    assert [(r.eligible, r.signed) for r in report.buildings] == [(1, 1), (1, 0)]
    assert report.total.percent == "50%"


def test_those_who_left_count_neither_way(published, people):
    signing.sign(people.wang_user, people.wang, published)
    gone = signing.sign(people.li_user, people.li, published)
    Resident.objects.filter(pk=people.li.pk).update(status="moved_out")
    assert selectors.report(published).total.signed == 1
    assert selectors.report(published).total.eligible == 3
    signing.withdraw(people.wang_user, published.signatures.get(resident=people.wang))
    assert selectors.report(published).total.signed == 0
    assert gone.pk


def test_a_building_leader_sees_the_figures_of_their_group(published, people, leader):
    signing.sign(people.wang_user, people.wang, published)
    report = selectors.report(published, scope_of(leader))  # 64号楼组
    assert [r.area.name for r in report.buildings] == ["64号楼"]
    assert (report.total.eligible, report.total.signed) == (2, 0)


def test_the_figures_are_three_queries_however_many_buildings(
    owner, tree, people, published, django_assert_num_queries
):
    from areas.models import Level
    from tests.factories import local

    for n in range(70, 80):
        building = local(tree.grid, Level.BUILDING_GROUP, f"{n}号楼组", n)
        home = household(local(building, Level.BUILDING, f"{n}号楼", n), "101")
        person = make_resident(home, f"居民{n}")
        user = UserFactory(name=f"居民{n}")
        person.user = user
        person.save(update_fields=["user"])
        signing.sign(user, person, published)
    with django_assert_num_queries(3):  # the buildings, the residents, the signatures
        report = selectors.report(published)
    assert len(report.buildings) == 12 and report.total.signed == 10


def test_residents_see_the_conventions_of_their_homes(owner, tree, people, building2):
    mine = make_convention(owner, tree.group, title="62号楼组健康公约")
    make_convention(owner, building2.parent, title="64号楼组公约")
    make_convention(owner, tree.committee, state=State.DRAFT, title="草稿")
    consulting = make_convention(owner, tree.committee, state=State.CONSULTATION, title="文明养宠公约")
    signing.sign(people.wang_user, people.wang, mine)
    entries = selectors.conventions_for(people.wang_user)
    assert [e.convention.title for e in entries] == ["文明养宠公约", "62号楼组健康公约"]
    assert entries[1].signed == ["王建国"] and entries[0].shown == consulting
    # The daughter sees her father's building's; the neighbour committee's resident nothing here.
    assert [e.convention.title for e in selectors.conventions_for(people.daughter)] == [
        "文明养宠公约",
        "64号楼组公约",
    ]
    assert selectors.conventions_for(people.far_user) == []


def test_an_account_not_yet_verified_reads_by_its_home_area(owner, tree, people):
    make_convention(owner, tree.group, title="62号楼组健康公约")
    newcomer = UserFactory(name="新住户", home_area=tree.building)
    assert [e.convention.title for e in selectors.conventions_for(newcomer)] == ["62号楼组健康公约"]


def test_the_resident_list_runs_fixed_queries(owner, tree, people, django_assert_num_queries):
    for n in range(5):
        version = make_convention(owner, tree.committee, title=f"公约{n}")
        signing.sign(people.wang_user, people.wang, version)
    with django_assert_num_queries(5):  # people (and tags), conventions, their versions, signatures
        entries = selectors.conventions_for(people.wang_user)
    assert len(entries) == 5 and all(e.signed == ["王建国"] for e in entries)
