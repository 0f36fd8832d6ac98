"""The census import: dry run first, every problem by row and column, then all or nothing."""

from datetime import date

import pytest
from django.db import connection

from audit.models import AuditEntry
from registry import crypto
from registry.census import importer
from registry.census.importer import import_census
from registry.models import Household, Residence, Resident, ResidentStatus, ResidentTag, Tag
from tests.factories import household, id_number, resident
from tests.registry.sheets import HEADER, person, write_csv, write_workbook, write_xlsx

TODAY = date(2026, 11, 23)


def _import(committee, path, apply=True, **kwargs):
    return import_census(committee, path, apply=apply, today=TODAY, **kwargs)


def _reasons(report):
    return [(p.row, p.column, p.reason) for p in report.problems]


@pytest.fixture
def family():
    """A household of three at 62号楼 2单元301室 and a woman living alone next door."""
    return [
        person("王建国", id_number("1950-01-02"), unit="2", room="301", phone="13912345678", tags="党员"),
        person(
            "李秀英",
            id_number("1952-03-04", male=False),
            unit="2",
            room="301",
            relation="配偶",
            health="高血压",
        ),
        person("王小明", id_number("2012-05-06"), unit="2", room="301", relation="子女"),
        person("赵阿婆", id_number("1938-07-08", male=False), unit="2", room="302", tags="独居、80岁以上"),
    ]


def test_a_clean_sheet_creates_households_residents_tags_and_history(tree, tmp_path, family):
    report = _import(tree.committee, write_csv(tmp_path / "census.csv", family))
    assert report.ok and report.applied, _reasons(report)
    assert report.rows == 4
    assert (report.counts.created, report.counts.households_created, report.counts.tags_added) == (4, 2, 2)
    homes = Household.objects.filter(building=tree.building).order_by("room")
    assert [(h.unit, h.room) for h in homes] == [("2", "301"), ("2", "302")]
    wang = Resident.objects.get(name="王建国")
    assert (wang.household, wang.relation, wang.gender, wang.birth_date) == (
        homes[0],
        "householder",
        "M",
        date(1950, 1, 2),
    )
    assert wang.phone == "13912345678" and wang.status == ResidentStatus.LIVING
    assert crypto.decrypt(Resident.objects.get(name="李秀英").health_cipher) == "高血压"
    assert Residence.objects.filter(resident=wang, end_reason="").count() == 1
    assert set(ResidentTag.objects.values_list("resident__name", "tag")) == {
        ("王建国", Tag.PARTY_MEMBER),
        ("赵阿婆", Tag.LIVING_ALONE),
    }
    assert any("80岁以上" in note for note in report.notes)  # worked out from the birth date instead
    entry = AuditEntry.objects.get(action="import")
    assert entry.changes["created"] == 4 and entry.area_path == tree.committee.path


def test_a_dry_run_reports_the_same_and_writes_nothing(tree, tmp_path, family):
    report = _import(tree.committee, write_csv(tmp_path / "census.csv", family), apply=False)
    assert report.ok and not report.applied and report.counts.created == 4
    assert not Resident.objects.exists() and not Household.objects.exists()
    assert not AuditEntry.objects.filter(action="import").exists()


def test_importing_the_same_sheet_again_changes_nothing(tree, tmp_path, family):
    path = write_csv(tmp_path / "census.csv", family)
    _import(tree.committee, path)
    before = list(Resident.objects.values_list("pk", "updated_at", "id_cipher").order_by("pk"))
    again = _import(tree.committee, path)
    assert again.ok and again.counts.unchanged == 4
    assert (again.counts.created, again.counts.updated, again.counts.households_created) == (0, 0, 0)
    assert list(Resident.objects.values_list("pk", "updated_at", "id_cipher").order_by("pk")) == before
    assert Residence.objects.count() == 4 and ResidentTag.objects.count() == 2


def test_an_edited_sheet_updates_in_place(tree, tmp_path, family):
    _import(tree.committee, write_csv(tmp_path / "v1.csv", family))
    family[0][8] = "13800001111"  # new phone
    family[0][13] = ""  # no longer tagged 党员
    family[2][12] = "2026-09-01"  # the son moved out
    report = _import(tree.committee, write_csv(tmp_path / "v2.csv", family))
    assert report.ok, _reasons(report)
    assert (report.counts.updated, report.counts.unchanged, report.counts.moved_out) == (2, 2, 1)
    assert report.counts.tags_removed == 1
    assert Resident.objects.get(name="王建国").phone == "13800001111"
    son = Resident.objects.get(name="王小明")
    assert son.status == ResidentStatus.MOVED_OUT and son.moved_out_on == date(2026, 9, 1)
    assert Residence.objects.get(resident=son).end_reason == "moved_out"
    assert Resident.objects.count() == 4


def test_a_hand_set_tag_survives_a_reimport(tree, tmp_path, family, owner):
    path = write_csv(tmp_path / "census.csv", family)
    _import(tree.committee, path)
    wang = Resident.objects.get(name="王建国")
    ResidentTag.objects.create(resident=wang, tag=Tag.VETERAN, set_by=owner)
    family[0][13] = ""
    _import(tree.committee, write_csv(tmp_path / "v2.csv", family))
    assert set(wang.tags.values_list("tag", flat=True)) == {Tag.VETERAN}


def test_every_problem_is_reported_by_row_column_and_reason_and_nothing_is_written(tree, tmp_path, family):
    number = id_number("1960-01-01")
    bad = [
        person("好人", id_number("1970-01-01"), room="101"),
        person("校验错", "110105194912310021", room="102"),
        person("生日矛盾", id_number("1960-02-02"), room="103", birth="1960-02-03"),
        person("日期错", id_number("1961-01-01"), room="104", moved_in="2020-02-30"),
        person("电话错", id_number("1962-01-01"), room="105", phone="12345"),
        person("重复甲", number, room="106"),
        person("重复乙", number, room="107"),
        person("无此楼", id_number("1963-01-01"), building="99号楼", group="", room="108"),
        person("没户主", id_number("1964-01-01"), room="109", relation="子女"),
        person("", id_number("1965-01-01"), room="110"),
        person("性别错", id_number("1966-01-01", male=True), room="111", gender="女"),
        person("关系错", id_number("1967-01-01"), room="112", relation="表哥的朋友"),
        person("没号码", "", room="113"),
    ]
    report = _import(tree.committee, write_csv(tmp_path / "bad.csv", bad))
    assert not report.applied and not Resident.objects.exists() and not Household.objects.exists()
    found = {(row, column): reason for row, column, reason in _reasons(report)}
    assert "check digit" in found[(3, "身份证号")]
    assert "1960-02-02" in found[(4, "出生日期")]
    assert "not a real date" in found[(5, "迁入日期")]
    assert "12345" in found[(6, "联系电话")]
    assert "row 7" in found[(8, "身份证号")]
    assert "not a building of 延长新村居委会" in found[(9, "楼号")]
    assert "householder" in found[(10, "与户主关系")]
    assert "name is empty" in found[(11, "姓名")]
    assert "contradicts" in found[(12, "性别")]
    assert "not a relation" in found[(13, "与户主关系")]
    assert "identity-card number is empty" in found[(14, "身份证号")]
    assert report.problem_count == len(found) == 11
    assert report.rows == 13


def test_a_number_living_at_another_door_is_a_problem(tree, tmp_path):
    number = id_number("1955-05-05")
    resident(household(tree.building, "501"), "老住户", number=number)
    report = _import(tree.committee, write_csv(tmp_path / "c.csv", [person("老住户", number, room="502")]))
    (problem,) = report.problems
    assert problem.row == 2 and problem.column == "身份证号"
    assert "already recorded as living at 62号楼 room 501" in problem.reason
    assert problem.value == crypto.mask_id_number(number)


def test_someone_recorded_as_moved_out_comes_back_on_their_old_record(tree, tmp_path):
    number = id_number("1955-05-05")
    old = resident(household(tree.building, "501"), "回来了", number=number, status=ResidentStatus.MOVED_OUT)
    Residence.objects.filter(resident=old).update(end_reason="moved_out", moved_out_on=date(2020, 1, 1))
    report = _import(tree.committee, write_csv(tmp_path / "c.csv", [person("回来了", number, room="502")]))
    assert report.ok and report.counts.returned == 1, _reasons(report)
    old.refresh_from_db()
    assert old.status == ResidentStatus.LIVING and old.household.room == "502"
    assert Residence.objects.filter(resident=old).count() == 2


def test_two_householders_at_one_door_are_refused(tree, tmp_path):
    resident(household(tree.building, "601"), "已登记户主", number=id_number("1944-04-04"))
    report = _import(
        tree.committee, write_csv(tmp_path / "c.csv", [person("新户主", id_number("1945-04-04"), room="601")])
    )
    (problem,) = report.problems
    assert "2 householders" in problem.reason and problem.row == 2


def test_people_at_the_doors_who_are_not_in_the_sheet_are_counted_and_left_alone(tree, tmp_path, family):
    home = household(tree.building, "301", unit="2")
    resident(home, "手工录入", number="", relation="other")
    report = _import(tree.committee, write_csv(tmp_path / "c.csv", family))
    assert report.ok and report.not_in_sheet == 1
    assert Resident.objects.get(name="手工录入").status == ResidentStatus.LIVING


def test_xlsx_with_a_title_row_date_cells_and_header_variants(tree, tmp_path, family):
    header = [h.replace("身份证号", "公民身份号码").replace("室号", "房号") for h in HEADER]
    for row in family:
        row[11] = "2013-03-04"
    path = write_xlsx(tmp_path / "人口信息.xlsx", family, header=header, title="延长新村居委会人口信息采集表")
    report = _import(tree.committee, path)
    assert report.ok, _reasons(report)
    assert report.counts.created == 4
    assert Resident.objects.get(name="王建国").moved_in_on == date(2013, 3, 4)


def test_inline_string_xlsx_and_unused_columns(tree, tmp_path, family):
    rows = [[*row, "备注内容"] for row in family]
    path = write_xlsx(tmp_path / "c.xlsx", rows, header=[*HEADER, "备注"], constant_memory=True)
    report = _import(tree.committee, path)
    assert report.ok and report.counts.created == 4
    assert any("备注" in note for note in report.notes)


def test_an_identity_number_typed_as_a_number_is_explained(tree, tmp_path):
    rows = [person("数字格式", "3.10106195001021E+17", room="101")]
    report = _import(tree.committee, write_csv(tmp_path / "c.csv", rows))
    assert "format the column as text" in report.problems[0].reason


def test_a_gbk_csv_from_excel_on_windows(tree, tmp_path, family):
    report = _import(tree.committee, write_csv(tmp_path / "c.csv", family, encoding="gbk"))
    assert report.ok and report.counts.created == 4
    assert Resident.objects.filter(name="赵阿婆").exists()


def test_a_damaged_xls_file_and_a_sheet_without_required_columns_are_refused(tree, tmp_path):
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    (problem,) = _import(tree.committee, xls).problems
    assert "cannot be read" in problem.reason and problem.row == 0
    header = [h for h in HEADER if h != "身份证号"]
    (problem,) = _import(tree.committee, write_csv(tmp_path / "c.csv", [], header=header)).problems
    assert "身份证号" in problem.reason and problem.row == 1


def test_ambiguous_building_names_need_the_group(tree, tmp_path, building2):
    from areas.models import AreaLevel
    from tests.factories import local

    local(building2.parent, AreaLevel.BUILDING, "62号楼", 620)  # a second 62号楼, in 64号楼组
    rows = [person("甲", id_number("1950-06-06"), group="", room="101")]
    report = _import(tree.committee, write_csv(tmp_path / "c.csv", rows))
    assert "several building groups" in report.problems[0].reason
    rows = [person("甲", id_number("1950-06-06"), group="64号楼组", room="101")]
    assert _import(tree.committee, write_csv(tmp_path / "d.csv", rows)).ok


def test_a_bare_building_number_finds_the_building(tree, tmp_path):
    rows = [person("甲", id_number("1950-06-06"), group="", building="62", room="101")]
    report = _import(tree.committee, write_csv(tmp_path / "c.csv", rows))
    assert report.ok, _reasons(report)


def test_the_problem_file_lists_every_problem(tree, tmp_path):
    rows = [person(f"错{i}", "110105194912310021", room=str(100 + i)) for i in range(300)]
    out = tmp_path / "problems.csv"
    report = _import(tree.committee, write_csv(tmp_path / "c.csv", rows), problems_path=out)
    assert report.problem_count == 300 and len(report.problems) == 200
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 301 and "身份证号" in lines[1]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_committee_at_once_queue_instead_of_colliding(tree, tmp_path, family):
    """On PostgreSQL two uploads of the same sheet in parallel: one writes, the other waits
    for it and finds everything unchanged; neither fails."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time anyway")
    path = write_csv(tmp_path / "census.csv", family)
    reports, errors = [], []

    def run():
        try:
            reports.append(_import(tree.committee, path))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and all(r.ok for r in reports)
    assert sorted(r.counts.created for r in reports) == [0, 4]
    assert Resident.objects.count() == 4


def _rows_the_planner_believes(table: str) -> int | None:
    """What the database's statistics say the table holds (None: never gathered)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
            tuples = cursor.fetchone()[0]
            return None if tuples < 0 else int(tuples)
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone()[0]:
            return None
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        counts = [int(stat.split()[0]) for (stat,) in cursor.fetchall()]
        return max(counts) if counts else None


def test_a_large_import_refreshes_the_planners_statistics_once_committed(
    tree, tmp_path, family, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(importer, "ANALYZE_AFTER", 6)  # 4 residents, 2 households, 2 tags
    path = write_csv(tmp_path / "census.csv", family)
    with django_capture_on_commit_callbacks() as queued:
        assert _import(tree.committee, path, apply=False).ok  # a dry run writes nothing
    assert queued == []
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert _import(tree.committee, path).applied
    assert queued == [importer.refresh_statistics]
    for model in (Resident, Household):
        assert _rows_the_planner_believes(model._meta.db_table) == model.objects.count()
    # The same sheet again changes nothing, and gathers nothing.
    with django_capture_on_commit_callbacks() as queued:
        assert _import(tree.committee, path).applied
    assert queued == []


def test_every_cell_is_read_in_its_normal_form(tree, tmp_path):
    """Full-width digits, spaces and the dates committees type: one normaliser on every cell, so
    one such cell no longer blocks the whole (all-or-nothing) sheet."""
    full_width = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    number = id_number("1950-01-02")
    rows = [
        person(
            "全角",
            number.translate(full_width),
            room="３０１",
            phone="１３９ １２３４ ５６７８",
        ),
        person("横线", id_number("1951-01-02"), room="302", phone="139—1234—5678", moved_in="2013/3/4"),
        person("点号", id_number("1952-01-02"), room="303", phone="021－6412 3456", moved_in="2013.3.4"),
        person("年月日", id_number("1953-01-02"), room="304", moved_in="2013 年 3 月 4 日"),
        person("全角日期", id_number("1954-01-02"), room="305", moved_in="２０１３－０３－０４"),
        person("带时间", id_number("1955-01-02"), room="306", moved_in="2013-03-04 00:00:00"),
        person("序列号", id_number("1956-01-02"), room="307", moved_in="41337", unit="２"),
        person("\u3000空格\u3000", id_number("1957-01-02"), room="308", phone="13912345678.0"),
    ]
    report = _import(tree.committee, write_csv(tmp_path / "c.csv", rows))
    assert report.ok, _reasons(report)
    people = {p.name: p for p in Resident.objects.select_related("household")}
    assert people["全角"].phone == "13912345678" and people["全角"].household.room == "301"
    assert people["全角"].id_hash == crypto.keyed_hash(number)
    assert people["横线"].phone == "13912345678" and people["点号"].phone == "02164123456"
    assert {people[n].moved_in_on for n in ("横线", "点号", "年月日", "全角日期", "带时间", "序列号")} == {
        date(2013, 3, 4)
    }
    assert people["序列号"].household.unit == "2"
    assert people["空格"].phone == "13912345678"


def test_a_row_with_a_bad_phone_and_a_duplicate_number_reports_both(tree, tmp_path):
    """Every problem of every row: the checks across rows and against the registry run on rows
    with problems of their own too."""
    twice, again, recorded = id_number("1960-01-01"), id_number("1961-01-01"), id_number("1955-05-05")
    resident(household(tree.building, "501"), "老住户", number=recorded)
    rows = [
        person("甲", twice, room="101"),
        person("乙", twice, room="102", phone="12345"),  # a bad phone and the number of row 2
        person("丙", again, room="103", phone="123"),  # a bad phone: then row 5
        person("丁", again, room="104"),
        person("老住户", recorded, room="502", phone="1"),  # a bad phone, recorded at 501
    ]
    report = _import(tree.committee, write_csv(tmp_path / "c.csv", rows))
    found = _reasons(report)
    assert [(row, column) for row, column, _reason in found] == [
        (3, "联系电话"),
        (3, "身份证号"),
        (4, "联系电话"),
        (5, "身份证号"),
        (6, "联系电话"),
        (6, "身份证号"),
    ]
    assert "row 2" in found[1][2] and "row 4" in found[3][2]
    assert "already recorded as living at 62号楼 room 501" in found[5][2]
    assert report.problems[1].value == crypto.mask_id_number(twice)
    assert not report.applied


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_xlsx_xls_and_ods_from_excel_wps_and_libreoffice(tree, tmp_path, family, kind):
    """A title merged across the top, a header of two rows (联系方式 over 手机), date cells,
    phones typed as numbers, an empty row: the same residents from each format."""
    header: list = [*HEADER]
    header[HEADER.index("联系电话")] = "联系方式"
    below: list = [None] * len(HEADER)
    below[HEADER.index("联系电话")] = "手机"
    rows: list = [["延长新村居委会人口信息采集表", *[None] * (len(HEADER) - 1)], header, below]
    for number, row in enumerate(family):
        cells: list = list(row)
        cells[HEADER.index("迁入日期")] = date(2013, 3, 4)
        cells[HEADER.index("联系电话")] = 13912345670.0 + number
        rows.append(cells)
        if number == 1:
            rows.append([None] * len(HEADER))
    merges = ((0, 0, 0, len(HEADER) - 1),)
    report = _import(tree.committee, write_workbook(kind, tmp_path / f"人口.{kind}", rows, merges=merges))
    assert report.ok, _reasons(report)
    assert report.counts.created == 4 and report.rows == 4
    wang = Resident.objects.get(name="王建国")
    assert wang.phone == "13912345670" and wang.moved_in_on == date(2013, 3, 4)


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_an_identity_number_stored_as_a_number_in_a_workbook_is_explained(tree, tmp_path, kind):
    cells: list = person("数字格式", "", room="101")
    cells[HEADER.index("身份证号")] = float(id_number("1950-01-02")[:17] + "1")
    report = _import(tree.committee, write_workbook(kind, tmp_path / f"c.{kind}", [HEADER, cells]))
    (problem,) = report.problems
    assert problem.column == "身份证号" and "format the column as text" in problem.reason


def test_yes_no_columns_of_a_tag_set_the_tag(tree, tmp_path):
    """Sheets that keep a tag as its own column (是否独居, 党员) with 是/否, √/×, Y/N."""
    header = [*HEADER, "是否独居", "党员"]
    rows = [
        [*person("甲", id_number("1940-01-01"), room="101"), "是", "√"],
        [*person("乙", id_number("1941-01-01"), room="102"), "否", "×"],
        [*person("丙", id_number("1942-01-01"), room="103"), "", "Ｙ"],
    ]
    report = _import(tree.committee, write_csv(tmp_path / "c.csv", rows, header=header))
    assert report.ok, _reasons(report)
    assert set(ResidentTag.objects.values_list("resident__name", "tag")) == {
        ("甲", Tag.LIVING_ALONE),
        ("甲", Tag.PARTY_MEMBER),
        ("丙", Tag.PARTY_MEMBER),
    }
    rows[1][-1] = "也许"
    report = _import(tree.committee, write_csv(tmp_path / "d.csv", rows, header=header), apply=False)
    ((row, column, reason),) = _reasons(report)
    assert (row, column) == (3, "党员") and "是 or 否" in reason
