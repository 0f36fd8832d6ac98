"""Reading one census row: every cell checked, every problem named by row, column and reason.

Every cell is first brought to one normal form (``common.text``: NFKC, so full-width digits
and letters are plain ones; stripped; numbers and codes without inner spaces), the same form
the resident forms and the API read phone and identity numbers in.

A row is checked on its own here (cells, the identity number against the birth date and
gender, dates, the building); what needs other rows or the database (duplicate numbers, a
household without its householder) is checked by the importer, for rows with problems of
their own too: the report names every problem of every row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from areas.models import Area, AreaLevel
from common.spreadsheets import neutralise
from common.text import normal_code, normal_text, yes_no
from registry import crypto
from registry.census.columns import (
    COLUMN_BY_KEY,
    COLUMNS,
    HEADER_NAMES,
    CellError,
    normal_header,
    parse_date,
    parse_gender,
    parse_relation,
    parse_residence_type,
    parse_tags,
    plain_number,
    tag_column,
)
from registry.identity import normalize_contact_phone, parse_id_number
from registry.rules import clean_name, date_problems, door_problems, identity_problems, notes_problem

HEADER_SEARCH_ROWS = 10
_DIGITS = re.compile(r"\d+")
# Columns holding a number or a code: read without inner spaces ("139 1234 5678", "3 0 1").
# Dates keep theirs until parse_date, which reads a time of day after them.
CODE_COLUMNS = frozenset({"unit", "room", "id_number", "phone"})


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the sheet: where it is and why."""

    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = _("row %(row)d") % {"row": self.row} if self.row else _("the file")
        column = f" {self.column}" if self.column else ""
        return f"{where}{column}: {self.reason}"


@dataclass(slots=True)
class CensusRow:
    row: int
    building_id: int
    unit: str
    room: str
    name: str
    gender: str
    birth_date: date | None
    id_number: str
    id_hash: str
    phone: str
    relation: str
    residence_type: str
    moved_in_on: date | None
    moved_out_on: date | None
    tags: frozenset[str]
    health: str
    key_notes: str
    digest: str = ""
    notes: list[str] = field(default_factory=list)  # not problems: words ignored, e.g. 80岁以上

    def compute_digest(self) -> None:
        """A keyed fingerprint of everything the row says: equal means nothing to change."""
        tags = ",".join(sorted(self.tags)) if self.tags else ""
        text = (
            f"{self.building_id}\x1f{self.unit}\x1f{self.room}\x1f{self.name}\x1f{self.gender}\x1f"
            f"{self.birth_date or ''}\x1f{self.id_number}\x1f{self.phone}\x1f{self.relation}\x1f"
            f"{self.residence_type}\x1f{self.moved_in_on or ''}\x1f{self.moved_out_on or ''}\x1f{tags}\x1f"
            f"{self.health}\x1f{self.key_notes}"
        )
        self.digest = crypto.keyed_hash(text, "census")


@dataclass(slots=True)
class BadRow:
    """A row with problems of its own, and what is known of it for the checks across rows and
    against the registry (duplicate numbers, someone recorded at another door), which run on
    it all the same."""

    row: int
    problems: list[Problem]
    door: tuple[int, str, str] | None = None  # building id, unit, room: when all three are good
    id_number: str = ""  # when the identity number itself is good
    id_hash: str = ""
    moved_out_given: bool = False  # the 迁出日期 cell is filled (well or not)


class BuildingIndex:
    """The committee's active buildings by name, by building group and name, and by number."""

    def __init__(self, committee: Area) -> None:
        self.committee = committee
        self.by_name: dict[str, list[Area]] = {}
        self.by_group: dict[tuple[str, str], Area] = {}
        self.by_digits: dict[str, list[Area]] = {}
        self.retired: set[str] = set()
        buildings = Area.objects.subtree(committee).filter(level=AreaLevel.BUILDING).select_related("parent")
        for building in buildings:
            name = _compact(building.name)
            if building.is_retired:
                self.retired.add(name)
                continue
            self.by_name.setdefault(name, []).append(building)
            if building.parent is not None:
                self.by_group[(_compact(building.parent.name), name)] = building
            digits = "".join(_DIGITS.findall(building.name))
            if digits:
                self.by_digits.setdefault(digits, []).append(building)

    def find(self, group: str, name: str) -> Area:
        """The building meant by a sheet's 楼组 and 楼号 cells; CellError says why not."""
        group, name = _compact(group), _compact(name)
        if not name:
            raise CellError(_("The building is empty."))
        if group and (group, name) in self.by_group:
            return self.by_group[(group, name)]
        candidates = self.by_name.get(name) or self._by_number(name)
        if group:
            candidates = [
                b for b in candidates if b.parent and _compact(b.parent.name) == group
            ] or candidates
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            groups = "、".join(sorted({b.parent.name for b in candidates if b.parent}))
            raise CellError(
                _("“%(name)s” is in several building groups (%(groups)s); fill 楼组 to say which.")
                % {"name": name, "groups": groups}
            )
        if name in self.retired:
            raise CellError(_("“%(name)s” is retired.") % {"name": name})
        raise CellError(
            _("“%(name)s” is not a building of %(committee)s; add it under Areas first, or correct the name.")
            % {"name": name, "committee": self.committee.name}
        )

    def _by_number(self, name: str) -> list[Area]:
        digits = "".join(_DIGITS.findall(name))
        if not digits or not re.fullmatch(r"\d+(号楼|号|幢|栋|楼)?", name):
            return []
        return self.by_digits.get(digits, [])


def _compact(text: str) -> str:
    return "".join((text or "").split())


@dataclass
class Layout:
    """Which cell holds which column, found from the header row."""

    header_row: int
    positions: dict[str, int]
    headers: dict[str, str]  # key → the header as the sheet wrote it
    unused: list[str]
    tag_columns: list[tuple[int, str, str]] = field(default_factory=list)  # position, tag, header


def _known(cells: list[str]) -> set[str]:
    """The columns a row's cells name, if it is a header."""
    return {key for cell in cells if (key := HEADER_NAMES.get(normal_header(cell)))}


def find_layout(rows: list[tuple[int, list[str]]]) -> Layout | Problem:
    """The header is the first of the top rows that names the most columns; a title row above
    it (延长新村人口信息表) is allowed, and so is a header of two rows (联系方式 over 手机 and
    固定电话, 楼号 merged down both): the row below the best one, if it names columns too, fills
    and refines it, the row above fills its empty cells."""
    top = rows[:HEADER_SEARCH_ROWS]
    best: tuple[int, int, list[str]] | None = None
    for at, (_number, cells) in enumerate(top):
        known = len(_known(cells))
        if best is None or known > best[1]:
            best = (at, known, cells)
    if best is None or best[1] == 0:
        return Problem(
            1,
            "",
            "",
            _(
                "No header row found; the first row must name the columns "
                "(楼号, 室号, 姓名, 身份证号, 与户主关系 …)."
            ),
        )
    at, _count, cells = best
    number = top[at][0]
    cells = list(cells)
    if at > 0:  # the upper row of a two-row header: its column names over the empty cells
        above = top[at - 1][1]
        cells += [""] * (len(above) - len(cells))
        for index, cell in enumerate(above):
            if not cells[index].strip() and normal_header(cell) in HEADER_NAMES:
                cells[index] = cell
    if at + 1 < len(top):  # the lower row, if a header's: its names are the more precise
        below_number, below = top[at + 1]
        named = [cell for cell in below if cell.strip()]
        if named and 2 * len(_known(below)) >= len(named):
            cells += [""] * (len(below) - len(cells))
            for index, cell in enumerate(below):
                if cell.strip():
                    cells[index] = cell
            number = below_number
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    unused = []
    tag_columns = []
    for index, cell in enumerate(cells):
        key = HEADER_NAMES.get(normal_header(cell))
        if key is None:
            tag = tag_column(cell)
            if tag is not None:
                tag_columns.append((index, tag, cell.strip()))
            elif cell.strip():
                unused.append(cell.strip())
            continue
        if key in positions:
            return Problem(
                number,
                cell,
                "",
                _("Two columns mean %(column)s (%(first)s and %(second)s); keep one.")
                % {"column": COLUMN_BY_KEY[key].header, "first": headers[key], "second": cell.strip()},
            )
        positions[key], headers[key] = index, cell.strip()
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        return Problem(
            number, "", "", _("Required columns are missing: %(columns)s.") % {"columns": "、".join(missing)}
        )
    return Layout(number, positions, headers, unused, tag_columns)


def masked_id(value: str) -> str:
    """An identity-number cell as a problem shows it: masked, and neutralised first, so that a
    cell typed as ``=HYPERLINK(…)`` shows as ``'=H…`` and never as the start of a formula."""
    return crypto.mask_id_number(neutralise(value))


class RowCleaner:
    """Turns a sheet row into a ``CensusRow``, or into the list of what is wrong with it."""

    def __init__(self, layout: Layout, buildings: BuildingIndex, *, date1904: bool, today: date) -> None:
        self.layout = layout
        self.buildings = buildings
        self.date1904 = date1904
        self.today = today
        self._positions = list(layout.positions.items())
        self._caches: dict[str, dict[str, tuple]] = {}

    def _date(self, text: str) -> date | None:
        return parse_date(text, date1904=self.date1904)

    def header(self, key: str) -> str:
        return self.layout.headers.get(key) or COLUMN_BY_KEY[key].header

    def _cached(self, key: str, text: str, parse):
        """(value, problem) for a cell of a column whose few distinct values repeat on every
        row (building, gender, relation …): each distinct text is read once."""
        cache = self._caches.setdefault(key, {})
        found = cache.get(text)
        if found is None:
            try:
                found = (parse(text), None)
            except (CellError, ValidationError) as error:
                found = (None, error.messages[0] if isinstance(error, ValidationError) else str(error))
            if len(cache) < 10_000:
                cache[text] = found
        return found

    def _bad(self, problems: list[Problem], number: int, key: str, value: str, reason: str) -> None:
        shown = masked_id(value) if key == "id_number" else value
        problems.append(Problem(number, self.header(key), shown, reason))

    def _read(self, problems, number, values, key, parse, default=None):
        """A cell read by ``parse``; a problem (and ``default``) if it cannot be."""
        text = values.get(key, "")
        if not text and parse != self._id_card:
            return default if default is not None else parse(text)
        try:
            return parse(text)
        except (CellError, ValidationError) as error:
            reason = error.messages[0] if isinstance(error, ValidationError) else str(error)
            self._bad(problems, number, key, text, reason)
            return default

    def _lookup(self, problems, number, values, key, parse, default=None, text=None):
        """A cell of a column with few distinct values, each read once (see ``_cached``)."""
        text = values.get(key, "") if text is None else text
        value, problem = self._cached(key, text, parse)
        if problem is not None:
            self._bad(problems, number, key, values.get(key, ""), problem)
            return default
        return value

    def _id_card(self, text: str):
        return parse_id_number(text, today=self.today)

    def _values(self, cells: list[str]) -> dict[str, str] | None:
        """The row's cells by column key in their normal form; None for a blank row."""
        width = len(cells)
        values = {}
        blank = True
        for key, index in self._positions:
            text = cells[index] if index < width else ""
            if text:
                text = normal_code(text) if key in CODE_COLUMNS else normal_text(text)
                blank = blank and not text
            values[key] = text
        return None if blank else values

    def clean(self, number: int, cells: list[str]) -> CensusRow | BadRow | None:
        """None for a blank row. The hot loop of a large import: no closures per row."""
        values = self._values(cells)
        if values is None:
            return None
        problems: list[Problem] = []
        get = values.get
        group, building_name = get("group", ""), get("building", "")
        building = self._lookup(
            problems,
            number,
            values,
            "building",
            lambda _key: self.buildings.find(group, building_name),
            text=f"{group}\x1f{building_name}",
        )
        unit = plain_number(get("unit", "")).removesuffix("单元")
        room = plain_number(get("room", "")).removesuffix("室")
        door_issues = door_problems(unit, room)
        for key, reason in door_issues.items():
            self._bad(problems, number, key, unit if key == "unit" else room, reason)
        name, reason = clean_name(get("name", ""))
        if reason:
            self._bad(problems, number, "name", name, reason)
        card = self._read(problems, number, values, "id_number", self._id_card)
        gender = self._lookup(problems, number, values, "gender", parse_gender, "")
        birth_date = self._read(problems, number, values, "birth_date", self._date)
        phone = self._read(problems, number, values, "phone", normalize_contact_phone, "")
        relation = self._lookup(problems, number, values, "relation", parse_relation, "")
        residence_type = self._lookup(problems, number, values, "residence_type", parse_residence_type, "")
        moved_in_on = self._read(problems, number, values, "moved_in_on", self._date)
        moved_out_on = self._read(problems, number, values, "moved_out_on", self._date)
        tags, ignored = self._lookup(problems, number, values, "tags", parse_tags, (frozenset(), []))
        for index, tag, header in self.layout.tag_columns:
            text = cells[index] if index < len(cells) else ""
            answer = yes_no(text)
            if answer:
                tags = tags | {tag}
            elif answer is None and normal_text(text):
                problems.append(
                    Problem(number, header, normal_text(text), _("Write 是 or 否 (√ or ×) here."))
                )
        health, key_notes = get("health", ""), get("key_notes", "")
        for key, text in (("health", health), ("key_notes", key_notes)):
            reason = notes_problem(text)
            if reason:
                self._bad(problems, number, key, text[:20] + "…", reason)
        checks = {
            **identity_problems(card, gender, birth_date),
            **date_problems(
                birth_date or (card.birth_date if card else None), moved_in_on, moved_out_on, self.today
            ),
        }
        for key, reason in checks.items():
            self._bad(problems, number, key, get(key, ""), reason)
        if problems:
            return BadRow(
                number,
                problems,
                door=(building.pk, unit, room) if building is not None and not door_issues else None,
                id_number=card.number if card else "",
                id_hash=crypto.keyed_hash(card.number) if card else "",
                moved_out_given=bool(get("moved_out_on")),
            )
        assert card is not None and building is not None
        row = CensusRow(
            row=number,
            building_id=building.pk,
            unit=unit,
            room=room,
            name=name,
            gender=card.gender,
            birth_date=card.birth_date,
            id_number=card.number,
            id_hash=crypto.keyed_hash(card.number),
            phone=phone,
            relation=relation,
            residence_type=residence_type,
            moved_in_on=moved_in_on,
            moved_out_on=moved_out_on,
            tags=tags,
            health=health,
            key_notes=key_notes,
        )
        if ignored:
            row.notes.append(
                _("%(words)s is worked out from the birth date; the cell was not needed.")
                % {"words": "、".join(ignored)}
            )
        row.compute_digest()
        return row
