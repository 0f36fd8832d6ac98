"""Who sees which convention: residents by their homes and the people they act for, in a
fixed number of queries."""

from __future__ import annotations

from conventions import selectors, signing
from conventions.models import VersionState
from tests.conventions.conftest import make_convention
from tests.factories import UserFactory


def test_residents_see_the_conventions_of_their_homes(owner, tree, people, building2):
    mine = make_convention(owner, tree.group, title="62号楼组健康公约")
    make_convention(owner, building2.parent, title="64号楼组公约")
    make_convention(owner, tree.committee, state=VersionState.DRAFT, title="草稿")
    consulting = make_convention(owner, tree.committee, state=VersionState.CONSULTATION, title="文明养宠公约")
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
    newcomer = UserFactory.create(name="新住户", home_area=tree.building)
    assert [e.convention.title for e in selectors.conventions_for(newcomer)] == ["62号楼组健康公约"]


def test_the_resident_list_runs_fixed_queries(owner, tree, people, django_assert_num_queries):
    for n in range(5):
        version = make_convention(owner, tree.committee, title=f"公约{n}")
        signing.sign(people.wang_user, people.wang, version)
    with django_assert_num_queries(5):  # people (and tags), conventions, their versions, signatures
        entries = selectors.conventions_for(people.wang_user)
    assert len(entries) == 5 and all(e.signed == ["王建国"] for e in entries)
