"""Importing official divisions: checked before anything is written, idempotent, never deleting."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from areas.importer import DivisionDataError, import_divisions
from areas.models import Area, AreaLevel, CommitteeKind
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _counts(report):
    return {level: (c.created, c.updated, c.retired, c.unchanged) for level, c in report.counts.items()}


def _snapshot():
    return sorted(Area.objects.values_list("code", "name", "path", "retired_at", "pinyin"))


def test_a_first_import_builds_the_tree_under_the_municipality(divisions):
    report = import_divisions(divisions.folder, "31")

    assert _counts(report) == {
        AreaLevel.CITY: (1, 0, 0, 0),
        AreaLevel.DISTRICT: (2, 0, 0, 0),
        AreaLevel.STREET: (2, 0, 0, 0),
        AreaLevel.COMMITTEE: (4, 0, 0, 0),
    }
    city = Area.objects.get(code="3101")
    # Shanghai's only "city" row is called 市辖区; the node takes the province's name.
    assert (city.name, city.level, city.official, city.parent) == ("上海市", AreaLevel.CITY, True, None)
    yanchang = Area.objects.get(code="310106019001")
    assert yanchang.path == "/3101/310106/310106019/310106019001/"
    assert yanchang.depth == 3
    assert yanchang.parent is not None and yanchang.parent.code == "310106019"
    assert (yanchang.pinyin, yanchang.initials) == ("yanchangxincunjuweihui", "ycxcjwh")
    assert yanchang.committee_kind == CommitteeKind.RESIDENTS
    assert Area.objects.get(code="310110009201").committee_kind == CommitteeKind.VILLAGERS


def test_the_import_writes_one_summary_entry_not_one_per_row(divisions):
    import_divisions(divisions.folder, "31")

    entry = AuditEntry.objects.get()
    assert entry.action == "import"
    assert entry.changes["committee"] == {"created": 4, "updated": 0, "retired": 0, "unchanged": 0}
    assert entry.area_path == "/3101/"
    assert "31" in entry.note


def test_reimporting_the_same_files_changes_nothing(divisions):
    import_divisions(divisions.folder, "31")
    before = _snapshot()
    updated_at = dict(Area.objects.values_list("code", "updated_at"))

    report = import_divisions(divisions.folder, "31")

    assert (report.total("created"), report.total("updated"), report.total("retired")) == (0, 0, 0)
    assert report.total("unchanged") == 9 and not report.changed
    assert _snapshot() == before
    assert dict(Area.objects.values_list("code", "updated_at")) == updated_at


def test_a_renamed_unit_is_updated_in_place_with_its_pinyin(divisions):
    import_divisions(divisions.folder, "31")
    pk = Area.objects.get(code="310106019016").pk
    divisions.replace("villages.csv", "310106019016", '310106019016,"慧芝湖居委会",310106019,31,3101,310106')

    report = import_divisions(divisions.folder, "31")

    assert _counts(report)[AreaLevel.COMMITTEE] == (0, 1, 0, 3)
    renamed = Area.objects.get(code="310106019016")
    assert (renamed.pk, renamed.name, renamed.pinyin, renamed.initials) == (
        pk,
        "慧芝湖居委会",
        "huizhihujuweihui",
        "hzhjwh",
    )
    assert Area.objects.count() == 9


def test_a_vanished_unit_is_retired_not_deleted_and_comes_back(divisions):
    import_divisions(divisions.folder, "31")
    divisions.replace("villages.csv", "310110009016", None)

    report = import_divisions(divisions.folder, "31")

    assert _counts(report)[AreaLevel.COMMITTEE] == (0, 0, 1, 3)
    gone = Area.objects.get(code="310110009016")
    assert gone.is_retired and gone.name == "公交新村居委会"
    # Already retired: a further import leaves it alone.
    assert import_divisions(divisions.folder, "31").total("retired") == 0

    divisions.rows["villages.csv"].append('310110009016,"公交新村居委会",310110009,31,3101,310110')
    divisions.write()
    report = import_divisions(divisions.folder, "31")

    assert _counts(report)[AreaLevel.COMMITTEE] == (0, 1, 0, 3)
    assert not Area.objects.get(code="310110009016").is_retired


def test_a_vanished_street_is_retired_with_its_committees_reported(divisions):
    import_divisions(divisions.folder, "31")
    divisions.replace("streets.csv", "310110009", None)
    divisions.rows["villages.csv"] = [
        r for r in divisions.rows["villages.csv"] if not r.startswith("310110009")
    ]
    divisions.write()

    report = import_divisions(divisions.folder, "31")

    assert _counts(report)[AreaLevel.STREET] == (0, 0, 1, 1)
    assert _counts(report)[AreaLevel.COMMITTEE] == (0, 0, 2, 2)
    assert Area.objects.filter(retired_at__isnull=False).count() == 3


def test_importing_one_district_leaves_the_rest_alone(divisions):
    import_divisions(divisions.folder, "31")
    # A source holding only 静安区 must not retire 杨浦区.
    divisions.rows["areas.csv"] = divisions.rows["areas.csv"][:1]
    divisions.rows["streets.csv"] = divisions.rows["streets.csv"][:1]
    divisions.rows["villages.csv"] = divisions.rows["villages.csv"][:2]
    divisions.replace(
        "villages.csv", "310106019001", '310106019001,"延长新村居民委员会",310106019,31,3101,310106'
    )

    report = import_divisions(divisions.folder, "310106")

    assert _counts(report) == {
        AreaLevel.CITY: (0, 0, 0, 1),
        AreaLevel.DISTRICT: (0, 0, 0, 1),
        AreaLevel.STREET: (0, 0, 0, 1),
        AreaLevel.COMMITTEE: (0, 1, 0, 1),
    }
    assert not Area.objects.filter(retired_at__isnull=False).exists()
    entry = AuditEntry.objects.filter(action="import").first()
    assert entry is not None and entry.area_path == "/3101/310106/"


def test_importing_a_district_into_an_empty_table_brings_its_city(divisions):
    report = import_divisions(divisions.folder, "310110")

    assert sorted(Area.objects.values_list("code", flat=True)) == [
        "3101",
        "310110",
        "310110009",
        "310110009016",
        "310110009201",
    ]
    assert report.total("created") == 5


def test_a_dry_run_counts_and_writes_nothing(divisions):
    report = import_divisions(divisions.folder, "31", dry_run=True)

    assert report.dry_run and report.total("created") == 9
    assert not Area.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_dry_run_after_a_rename_reports_the_rename_only(divisions):
    import_divisions(divisions.folder, "31")
    before = _snapshot()
    divisions.replace("streets.csv", "310106019", '310106019,"大宁路街道办",310106,31,3101')

    report = import_divisions(divisions.folder, "31", dry_run=True)

    assert _counts(report)[AreaLevel.STREET] == (0, 1, 0, 1)
    assert _snapshot() == before


def test_an_orphan_from_an_earlier_import_is_moved_under_its_city_with_its_parts(divisions):
    from tests.factories import local, official

    district = official("310106", "静安区", AreaLevel.DISTRICT)  # no city above it
    street = official("310106019", "大宁路街道", AreaLevel.STREET, district)
    committee = official("310106019001", "延长新村居委会", AreaLevel.COMMITTEE, street)
    grid = local(committee, AreaLevel.GRID, "第一网格", 1)
    assert grid.path == "/310106/310106019/310106019001/W1/"

    import_divisions(divisions.folder, "31")

    grid.refresh_from_db()
    assert grid.path == "/3101/310106/310106019/310106019001/W1/"
    assert grid.depth == 4
    assert Area.objects.subtree(Area.objects.get(code="3101")).filter(name="第一网格").exists()


# --- Bad input: a specific message, nothing written ------------------------------------------

BAD_INPUTS = [
    (
        "wrong header",
        ("streets.csv", "header", "code,name,areaCode,provinceCode"),
        "streets.csv:1: the header must be code,name,areaCode,provinceCode,cityCode, "
        "not code,name,areaCode,provinceCode",
    ),
    (
        "wrong column count",
        ("villages.csv", "310106019016", '310106019016,"慧芝湖花园居委会",310106019,31,3101'),
        "villages.csv:3: expected 6 columns, found 5",
    ),
    (
        "non-numeric code",
        ("villages.csv", "310106019016", '31010601901X,"慧芝湖花园居委会",310106019,31,3101,310106'),
        "villages.csv:3 code: '31010601901X' is not a 12-digit code",
    ),
    (
        "wrong-length code",
        ("villages.csv", "310106019016", '3101060190161,"慧芝湖花园居委会",310106019,31,3101,310106'),
        "villages.csv:3 code: '3101060190161' is not a 12-digit code",
    ),
    (
        "prefix contradicts the parent column",
        ("villages.csv", "310106019016", '310106019016,"慧芝湖花园居委会",310110009,31,3101,310106'),
        "villages.csv:3 streetCode: 310110009 contradicts code 310106019016, "
        "which must start with its parent's code",
    ),
    (
        "non-numeric parent column",
        ("streets.csv", "310110009", '310110009,"殷行街道",31011O,31,3101'),
        "streets.csv:3 areaCode: '31011O' is not a 6-digit code",
    ),
    (
        "unknown parent",
        ("villages.csv", "310106019016", '310106099016,"慧芝湖花园居委会",310106099,31,3101,310106'),
        "villages.csv:3 streetCode: no row with code 310106099 in streets.csv",
    ),
    (
        "empty name",
        ("villages.csv", "310106019016", '310106019016,"",310106019,31,3101,310106'),
        "villages.csv:3 name: the name is empty",
    ),
    (
        "duplicate code",
        ("villages.csv", "310110009016", '310106019001,"延长新村二居委会",310106019,31,3101,310106'),
        "villages.csv:4 code: 310106019001 appears twice (first on row 2)",
    ),
]


@pytest.mark.parametrize(
    ("edit", "message"), [case[1:] for case in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS]
)
def test_bad_input_is_named_precisely_and_changes_nothing(divisions, edit, message):
    import_divisions(divisions.folder, "31")
    before, entries = _snapshot(), AuditEntry.objects.count()
    # A good change in the same files must not be written either.
    divisions.replace("villages.csv", "310110009201", '310110009201,"殷行新村委会",310110009,31,3101,310110')
    name, old, new = edit
    if old == "header":
        divisions.headers[name] = new
        divisions.write()
    else:
        divisions.replace(name, old, new)

    with pytest.raises(DivisionDataError) as raised:
        import_divisions(divisions.folder, "31")

    assert [str(p) for p in raised.value.problems] == [message]
    assert _snapshot() == before
    assert AuditEntry.objects.count() == entries


def test_every_problem_is_reported_at_once(divisions):
    divisions.replace("villages.csv", "310106019016", '310106019016,"",310106019,31,3101,310106')
    divisions.replace("villages.csv", "310110009016", '310110009016,"公交新村居委会",310110009')

    with pytest.raises(DivisionDataError) as raised:
        import_divisions(divisions.folder, "31")

    assert [str(p) for p in raised.value.problems] == [
        "villages.csv:3 name: the name is empty",
        "villages.csv:4: expected 6 columns, found 3",
    ]
    assert not Area.objects.exists()


def test_a_missing_file_and_a_file_in_another_encoding_are_named(divisions):
    (divisions.folder / "cities.csv").unlink()
    villages = divisions.folder / "villages.csv"
    villages.write_bytes(villages.read_text(encoding="utf-8").encode("gbk"))

    with pytest.raises(DivisionDataError) as raised:
        import_divisions(divisions.folder, "31")

    messages = [str(p) for p in raised.value.problems]
    assert messages[0] == f"cities.csv: file not found in {divisions.folder}"
    assert messages[-1].startswith("villages.csv:") and "is not UTF-8" in messages[-1]
    assert not Area.objects.exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("3x", "--code: '3x' is not a division code (2, 4, 6, 9 or 12 digits)"),
        ("3102", "cities.csv code: 3102 is not in this file"),
        ("310106099", "streets.csv code: 310106099 is not in this file"),
    ],
)
def test_a_code_that_is_not_in_the_source_is_refused(divisions, code, message):
    with pytest.raises(DivisionDataError) as raised:
        import_divisions(divisions.folder, code)
    assert [str(p) for p in raised.value.problems] == [message]


def test_rows_of_other_provinces_are_skipped_but_must_be_well_formed(divisions):
    divisions.rows["areas.csv"].append('320102,"玄武区",3201,32')  # no 3201 city here: not our concern
    divisions.write()
    assert import_divisions(divisions.folder, "31").total("created") == 9

    divisions.rows["areas.csv"].append('32010X,"坏区",3201,32')
    divisions.write()
    with pytest.raises(DivisionDataError, match=r"areas.csv:5 code: '32010X' is not a 6-digit code"):
        import_divisions(divisions.folder, "31")


# --- The command -----------------------------------------------------------------------------


def test_the_command_prints_counts_per_level(divisions):
    out = StringIO()
    call_command("import_divisions", source=divisions.folder, code="31", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Imported division 31"
    assert lines[1].split() == ["created", "updated", "retired", "unchanged"]
    assert lines[-2].split() == ["Committee", "4", "0", "0", "0"]
    assert lines[-1].split() == ["total", "9", "0", "0", "0"]

    out = StringIO()
    call_command("import_divisions", "--dry-run", source=divisions.folder, code="31", stdout=out)
    assert out.getvalue().splitlines()[0] == "Dry run, nothing written: division 31"
    assert out.getvalue().splitlines()[-1].split() == ["total", "0", "0", "0", "9"]


def test_the_command_prints_every_problem_and_fails(divisions):
    divisions.replace("villages.csv", "310106019016", '310106019016,"",310106019,31,3101,310106')
    divisions.replace("streets.csv", "310110009", '310110009,"殷行街道",310106,31,3101')
    divisions.replace("villages.csv", "310110009201", '310106099201,"殷行村村委会",310106099,31,3101,310106')
    err = StringIO()

    with pytest.raises(CommandError, match=r"3 problem\(s\) in .*; nothing was imported"):
        call_command("import_divisions", source=divisions.folder, stderr=err)

    assert err.getvalue().splitlines() == [
        "streets.csv:3 areaCode: 310106 contradicts code 310110009, which must start with its parent's code",
        "villages.csv:3 name: the name is empty",
        "villages.csv:5 streetCode: no row with code 310106099 in streets.csv",
    ]
    assert not Area.objects.exists()
