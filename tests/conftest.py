"""Shared fixtures: a small real tree and, like healthchecks' base test case, an owner,
a colleague and an outsider from the neighbouring committee."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from accounts.roles import Role
from areas.models import Area, AreaLevel
from tests.factories import UserFactory, grant, local, login_verified, official


@dataclass
class Tree:
    city: Area
    district: Area
    street: Area
    committee: Area
    neighbour: Area
    grid: Area
    group: Area
    building: Area
    other_district: Area
    other_street: Area
    far_committee: Area
    neighbour_group: Area


@pytest.fixture(autouse=True, scope="session")
def _own_upload_folders(tmp_path_factory):
    """Uploads and census sheets of this run go to a folder of its own, not to var/: the
    xdist workers, the SQLite and the PostgreSQL suites running side by side, and a developer's
    demo share var/, and census clean-ups delete old files there."""
    from django.test import override_settings

    folder = tmp_path_factory.mktemp("var")
    with override_settings(MEDIA_ROOT=folder / "media", REGISTRY_UPLOAD_DIR=folder / "census"):
        yield


@pytest.fixture(autouse=True, scope="session")
def _static_files_listed_once():
    """WhiteNoise lists and stats every static file the finders know (about 200: the admin's,
    echarts', htmx'…) each time its middleware is built, and Django's test client builds the
    middleware chain anew for every Client: about 30 ms a client, which the permission matrix
    (a client per request) and every test taking ``client`` paid. The list is made once per
    process and handed to each new middleware, which serves the same files with the same
    headers; a test that changes a static or WhiteNoise setting gets a new list."""
    from django.test.signals import setting_changed
    from whitenoise.middleware import WhiteNoiseMiddleware

    listed: dict[tuple[object, ...], dict[str, object]] = {}
    scan = WhiteNoiseMiddleware.add_files_from_finders

    def add_files_from_finders(self):
        key = (self.static_prefix, self.max_age, self.allow_all_origins, self.charset, self.index_file)
        if key not in listed:
            kept, self.files = self.files, {}
            scan(self)
            listed[key], self.files = self.files, kept
        self.files.update(listed[key])

    def forget(*, setting, **kwargs):
        if setting.startswith(("STATIC", "WHITENOISE")) or setting == "INSTALLED_APPS":
            listed.clear()

    setting_changed.connect(forget, weak=False)
    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders  # type: ignore[method-assign]
    yield
    WhiteNoiseMiddleware.add_files_from_finders = scan  # type: ignore[method-assign]
    setting_changed.disconnect(forget)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """Hashing with PBKDF2 dominates test time; what is tested is the flow, not the hash.
    For the whole session, so that fixtures wider than a test hash fast too: the demo's
    (package-scoped) made and checked some eighty PBKDF2 hashes of a million rounds each,
    about half a minute per database."""
    from django.test import override_settings

    with override_settings(
        PASSWORD_HASHERS=[
            "django.contrib.auth.hashers.MD5PasswordHasher",
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        ]
    ):
        yield


@pytest.fixture
def tree(db) -> Tree:
    city = official("3101", "上海市", AreaLevel.CITY)
    district = official("310106", "静安区", AreaLevel.DISTRICT, city)
    street = official("310106019", "大宁路街道", AreaLevel.STREET, district)
    committee = official("310106019001", "延长新村居委会", AreaLevel.COMMITTEE, street)
    neighbour = official("310106019016", "慧芝湖花园居委会", AreaLevel.COMMITTEE, street)
    grid = local(committee, AreaLevel.GRID, "第一网格", 1)
    group = local(grid, AreaLevel.BUILDING_GROUP, "62号楼组", 62)
    building = local(group, AreaLevel.BUILDING, "62号楼", 62)
    neighbour_group = local(neighbour, AreaLevel.BUILDING_GROUP, "慧芝湖1号楼组", 1)
    other_district = official("310110", "杨浦区", AreaLevel.DISTRICT, city)
    other_street = official("310110009", "殷行街道", AreaLevel.STREET, other_district)
    far_committee = official("310110009016", "公交新村居委会", AreaLevel.COMMITTEE, other_street)
    return Tree(
        city,
        district,
        street,
        committee,
        neighbour,
        grid,
        group,
        building,
        other_district,
        other_street,
        far_committee,
        neighbour_group,
    )


@pytest.fixture
def building2(tree):
    """64号楼, a second building group and building of 延长新村."""
    group = local(tree.grid, AreaLevel.BUILDING_GROUP, "64号楼组", 64)
    return local(group, AreaLevel.BUILDING, "64号楼", 64)


@pytest.fixture
def owner(tree):
    """A social worker of 延长新村居委会."""
    user = UserFactory.create(name="社工甲", home_area=tree.committee)
    grant(user, Role.SOCIAL_WORKER, tree.committee)
    return user


@pytest.fixture
def colleague(tree):
    """The committee lead of the same committee."""
    user = UserFactory.create(name="书记乙", home_area=tree.committee)
    grant(user, Role.COMMITTEE_LEAD, tree.committee)
    return user


@pytest.fixture
def outsider(tree):
    """A social worker of the neighbouring committee, 慧芝湖花园."""
    user = UserFactory.create(name="邻居社工丙", home_area=tree.neighbour)
    grant(user, Role.SOCIAL_WORKER, tree.neighbour)
    return user


@pytest.fixture
def resident(tree):
    return UserFactory.create(name="居民丁", home_area=tree.committee)


@pytest.fixture
def owner_client(client, owner):
    login_verified(client, owner)
    return client


@pytest.fixture
def lead_client(client, colleague):
    login_verified(client, colleague)
    return client


def module_groups(folder: Path, root: Path) -> dict[str, str]:
    """Test modules that declare ``pytestmark = pytest.mark.xdist_group("name")``, alone or
    in a list of marks: their node-id path (relative to the root) and the group's name."""
    groups = {}
    for path in sorted(folder.rglob("test_*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets)
            ):
                continue
            marks = node.value.elts if isinstance(node.value, ast.List | ast.Tuple) else [node.value]
            for mark in marks:
                if (
                    isinstance(mark, ast.Call)
                    and isinstance(mark.func, ast.Attribute)
                    and mark.func.attr == "xdist_group"
                    and mark.args
                    and isinstance(mark.args[0], ast.Constant)
                ):
                    groups[path.relative_to(root).as_posix()] = str(mark.args[0].value)
    return groups


@pytest.hookimpl(optionalhook=True)  # an xdist hook: `-p no:xdist` runs without it
def pytest_xdist_make_scheduler(config, log):
    """--dist loadgroup, for the groups the test modules declare. pytest-xdist 3.8 marks a
    grouped test by appending "@group" to its node id, which pytest 9 no longer lets a plugin
    change: every test of the demo's module went wherever there was room, and each worker it
    reached loaded the demo again (three times a suite). The controller reads the modules'
    ``pytestmark = pytest.mark.xdist_group(...)`` itself instead; a module-level mark is the
    only kind honoured."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    groups = module_groups(Path(config.rootpath) / "tests", Path(config.rootpath))

    class ModuleGroups(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            group = groups.get(nodeid.split("::", 1)[0])
            return f"@{group}" if group else super()._split_scope(nodeid)

    return ModuleGroups(config, log)
