"""Made-up but realistic census sheets for the demo and the benchmarks.

Households of one to five people at the doors of a committee's buildings: householders of
every age, spouses of about the same age, children and grandchildren, tenants; the elderly
living alone and elderly-only couples tagged as a committee would tag them; party members,
veterans, the disabled and low-income households in plausible shares. Names come from
Faker's zh_CN provider, identity numbers are well-formed (GB 11643) for Shanghai's districts
and a few other provinces, and everything follows from a seed, so the same call gives the
same sheet.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

from areas.models import Area, AreaLevel
from common.spreadsheets import XlsxText, csv_writer
from registry.census.columns import COLUMNS
from registry.identity import check_digit

HEADER = [column.header for column in COLUMNS]
SHANGHAI_REGIONS = ["310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112", "310115"]
OTHER_REGIONS = ["320102", "330102", "340102", "360102", "410102", "420102", "510104", "130102"]
HEALTH_NOTES = [
    "高血压",
    "糖尿病",
    "行动不便，需助行",
    "心脏病，定期复查",
    "听力下降",
    "术后康复中",
    "慢性支气管炎",
]
SIZES = [1] * 24 + [2] * 36 + [3] * 26 + [4] * 10 + [5] * 4


@dataclass(frozen=True)
class Door:
    group: str
    building: str
    unit: str
    room: str


def doors_of(buildings: list[tuple[str, str]], households: int, rng: random.Random) -> list[Door]:
    """``households`` doors spread evenly over the buildings: units, floors, rooms per floor."""
    per_building = -(-households // max(len(buildings), 1))
    units = 1 if per_building <= 24 else 2 if per_building <= 60 else 3
    per_unit = -(-per_building // units)
    per_floor = 4 if per_unit > 12 else 2
    doors = []
    for group, building in buildings:
        for index in range(per_building):
            unit, place = divmod(index, per_unit)
            floor, room = divmod(place, per_floor)
            doors.append(
                Door(group, building, str(unit + 1) if units > 1 else "", f"{floor + 1}{room + 1:02d}")
            )
    rng.shuffle(doors)
    return sorted(doors[:households], key=lambda d: (d.building, d.unit, int(d.room)))


class PeopleMaker:
    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.today = today
        self.numbers: set[str] = set()
        self.phones: set[str] = set()

    def birth(self, lowest: int, highest: int) -> date:
        age_days = self.rng.randint(lowest * 365, highest * 365 + 364)
        return self.today - timedelta(days=age_days)

    def id_number(self, born: date, male: bool, local: bool = True) -> str:
        regions = SHANGHAI_REGIONS if local else OTHER_REGIONS
        while True:
            order = self.rng.randrange(0, 500) * 2 + (1 if male else 0)
            first17 = f"{self.rng.choice(regions)}{born:%Y%m%d}{order:03d}"
            number = first17 + check_digit(first17)
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def phone(self) -> str:
        while True:
            phone = f"1{self.rng.choice('35789')}{self.rng.randrange(10**9):09d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def name(self, male: bool, surname: str | None = None) -> str:
        given = self.fake.first_name_male() if male else self.fake.first_name_female()
        return (surname or self.fake.last_name()) + given

    def household(self, door: Door, sizes: list[int] | None = None) -> list[list[str]]:
        rng = self.rng
        size = rng.choice(sizes or SIZES)
        kind = rng.choices(["户籍", "常住", "人户分离", "流动"], [70, 15, 5, 10])[0]
        local = kind != "流动" or rng.random() < 0.2
        elderly_household = size <= 2 and rng.random() < 0.55
        head_age = (60, 95) if elderly_household else (25, 80)
        male = rng.random() < 0.6
        surname = self.fake.last_name()
        head_birth = self.birth(*head_age)
        moved_in = max(head_birth + timedelta(days=365 * 20), date(1985, 1, 1)) + timedelta(
            days=rng.randrange(3000)
        )
        moved_in = min(moved_in, self.today - timedelta(days=30))
        people = [("户主", male, self.name(male, surname), head_birth)]
        if size >= 2:
            spouse_birth = min(
                head_birth + timedelta(days=rng.randint(-2500, 2500)), self.today - timedelta(days=20 * 365)
            )
            people.append(("配偶", not male, self.name(not male), spouse_birth))
        for _ in range(size - len(people)):
            parent_age = (self.today - head_birth).days // 365
            if parent_age > 55 and rng.random() < 0.4:
                people.append(
                    ("孙子女", rng.random() < 0.5, self.name(rng.random() < 0.5, surname), self.birth(1, 17))
                )
            else:
                child_male = rng.random() < 0.5
                highest = max(min(parent_age - 20, 50), 1)
                people.append(("子女", child_male, self.name(child_male, surname), self.birth(0, highest)))
        ages = [(self.today - born).days // 365 for _r, _m, _n, born in people]
        rows = []
        for (relation, is_male, name, born), age in zip(people, ages, strict=True):
            tags = []
            if size == 1 and age >= 60:
                tags.append("独居")
            elif size >= 2 and min(ages) >= 60:
                tags.append("纯老")
            if age >= 18:
                roll = rng.random()
                if roll < 0.08:
                    tags.append("党员" if age >= 60 or rng.random() < 0.5 else "在职党员")
                if rng.random() < 0.03:
                    tags.append("残疾")
                if rng.random() < 0.015:
                    tags.append("低保")
                if is_male and age >= 40 and rng.random() < 0.03:
                    tags.append("退役军人")
            health = rng.choice(HEALTH_NOTES) if age >= 65 and rng.random() < 0.35 else ""
            phone = self.phone() if age >= 16 and rng.random() < (0.95 if age < 80 else 0.6) else ""
            stay = moved_in if born <= moved_in else born
            rows.append(
                [
                    door.group,
                    door.building,
                    door.unit,
                    door.room,
                    name,
                    "男" if is_male else "女",
                    born.isoformat(),
                    self.id_number(born, is_male, local),
                    phone,
                    relation,
                    kind,
                    stay.isoformat(),
                    "",
                    "、".join(tags),
                    health,
                    "",
                ]
            )
        return rows


def census_rows(
    buildings: list[tuple[str, str]], households: int, *, seed: int = 2026, today: date | None = None
) -> Iterator[list[str]]:
    """The rows of a census of ``households`` households over ``buildings`` (group, building)."""
    maker = PeopleMaker(seed, today or date.today())
    for door in doors_of(buildings, households, maker.rng):
        yield from maker.household(door)


def write_census_csv(path: Path, rows) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv_writer(handle)
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def write_census_xlsx(path: Path, rows) -> int:
    """The way Excel saves it: shared strings, dates as date cells."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("人口信息")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    text = book.add_format({"num_format": "@"})
    cells = XlsxText(book)
    cells.write_row(sheet, 0, 0, HEADER)
    count = 0
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if not value:
                continue
            if HEADER[c].endswith("日期"):
                sheet.write_datetime(r, c, date.fromisoformat(value), date_format)
            else:
                cells.write(sheet, r, c, value, text if c == 7 else None)
        count += 1
    book.close()
    return count


def make_committee(
    code: str = "310106019016", name: str = "慧芝湖花园居委会", *, groups: int = 37, per_group: int = 2
):
    """A committee on its official chain (上海市 › 静安区 › 大宁路街道) with ``groups`` building
    groups of ``per_group`` buildings each, for benchmarks and tests that need a registry of
    their own. Returns the committee and its (group, building) names, in order."""

    def area(area_code, area_name, level, parent=None, official=True):
        found, _created = Area.objects.get_or_create(
            code=area_code,
            defaults={"name": area_name, "level": level, "parent": parent, "official": official},
        )
        return found

    city = area("3101", "上海市", AreaLevel.CITY)
    district = area("310106", "静安区", AreaLevel.DISTRICT, city)
    street = area("310106019", "大宁路街道", AreaLevel.STREET, district)
    committee = area(code, name, AreaLevel.COMMITTEE, street)
    buildings = []
    for g in range(1, groups + 1):
        group = area(f"{code}.L{g}", f"{g}号楼组", AreaLevel.BUILDING_GROUP, committee, official=False)
        for b in range((g - 1) * per_group + 1, g * per_group + 1):
            area(f"{group.code}.B{b}", f"{b}号楼", AreaLevel.BUILDING, group, official=False)
            buildings.append((group.name, f"{b}号楼"))
    return committee, buildings
