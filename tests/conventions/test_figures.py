"""The figures per building (who may sign, online, on paper, the rate), in total and within a
building leader's group, in three queries however many buildings."""

from __future__ import annotations

from common.scope import NO_SCOPE
from conventions import figures, signing
from registry.models import Resident
from tests.conventions.conftest import make_convention
from tests.factories import UserFactory, household, scope_of
from tests.factories import resident as make_resident


def _row(report, name):
    return next(r for r in report.buildings if r.area.name == name)


def test_figures_per_building(published, people, leader, tree):
    signing.sign(people.wang_user, people.wang, published)
    signing.sign(people.daughter, people.zhao, published)  # online, by his daughter
    signing.record_paper(leader, scope_of(leader), published, people.sun)
    report = figures.report(published)
    assert [r.area.name for r in report.buildings if r.area] == ["62号楼", "64号楼"]
    b62, b64 = _row(report, "62号楼"), _row(report, "64号楼")
    assert (b62.eligible, b62.online, b62.paper, b62.percent) == (2, 1, 0, "50%")
    assert (b64.eligible, b64.online, b64.paper, b64.rate) == (2, 1, 1, 1.0)
    assert (report.total.eligible, report.total.signed, report.total.percent) == (4, 3, "75%")


def test_figures_count_households_when_the_convention_does(owner, tree, people):
    version = make_convention(owner, tree.committee, per_household=True)
    signing.sign(people.li_user, people.li, version)
    report = figures.report(version)
    assert [(r.eligible, r.signed) for r in report.buildings] == [(1, 1), (1, 0)]
    assert report.total.percent == "50%"


def test_those_who_left_count_neither_way(published, people):
    signing.sign(people.wang_user, people.wang, published)
    gone = signing.sign(people.li_user, people.li, published)
    Resident.objects.filter(pk=people.li.pk).update(status="moved_out")
    assert figures.report(published).total.signed == 1
    assert figures.report(published).total.eligible == 3
    signing.withdraw(people.wang_user, published.signatures.get(resident=people.wang), scope=NO_SCOPE)
    assert figures.report(published).total.signed == 0
    assert gone.pk


def test_a_building_leader_sees_the_figures_of_their_group(published, people, leader):
    signing.sign(people.wang_user, people.wang, published)
    report = figures.report(published, scope_of(leader))  # 64号楼组
    assert [r.area.name for r in report.buildings if r.area] == ["64号楼"]
    assert (report.total.eligible, report.total.signed) == (2, 0)


def test_the_figures_are_three_queries_however_many_buildings(
    owner, tree, people, published, django_assert_num_queries
):
    from areas.models import AreaLevel
    from tests.factories import local

    for n in range(70, 80):
        building = local(tree.grid, AreaLevel.BUILDING_GROUP, f"{n}号楼组", n)
        home = household(local(building, AreaLevel.BUILDING, f"{n}号楼", n), "101")
        person = make_resident(home, f"居民{n}")
        user = UserFactory.create(name=f"居民{n}")
        person.user = user
        person.save(update_fields=["user"])
        signing.sign(user, person, published)
    with django_assert_num_queries(3):  # the buildings, the residents, the signatures
        report = figures.report(published)
    assert len(report.buildings) == 12 and report.total.signed == 10
