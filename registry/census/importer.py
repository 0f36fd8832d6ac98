"""The census import: a whole sheet checked and applied in one transaction, in batches.

The rules, once:

- Always a dry run first. A dry run is the apply itself, rolled back at the end, so its
  report says exactly what applying would do: rows read, households and residents created,
  updated, unchanged, moved out or back, tags set, and every problem by row and column.
- Applying is all or nothing: one problem anywhere and nothing is written. A killed
  process leaves nothing half-applied (the transaction never commits).
- Idempotent: every row carries a keyed fingerprint of what it says; a row whose
  fingerprint is unchanged is not touched, so importing the same sheet twice changes
  nothing, and an edited sheet updates in place the rows that changed.
- A person is found by their identity number (its keyed hash) within the committee: a new
  number is a new resident, a known one is updated; someone recorded as moved out comes back
  on their old record. A number that lives at another door of the committee is a problem
  (record the move on the resident's page), as is the same number twice in the sheet.
  These checks run on rows with problems of their own too (a bad phone and a duplicate
  number are both reported): every problem of every row, so one round of corrections does.
- Every door the sheet names needs exactly one living householder once it is applied.
- Constant memory: rows stream from the file; what must be remembered across rows (the
  numbers seen, the doors seen) lives in two temporary tables of the transaction, and the
  problem list beyond the first few hundred goes to a file.

Writes are raw multi-row statements rather than the ORM's bulk methods, which spend more
time preparing values than the database spends storing them; per-row audit entries are
replaced by one summary entry, as for the division import.

- Fresh statistics: an import that wrote many rows runs ``ANALYZE`` on the registry's tables
  once it has committed. Otherwise the query planner goes on believing them as small as before
  until autovacuum next looks (on PostgreSQL the today page's plan took 528 ms instead of
  11 ms after a committee's first import); SQLite never gathers them by itself.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area
from audit import context as audit_context
from audit.services import record
from common.spreadsheets import csv_writer
from registry import crypto
from registry.census.report import ImportReport
from registry.census.rows import (
    HEADER_SEARCH_ROWS,
    BadRow,
    BuildingIndex,
    CensusRow,
    Layout,
    Problem,
    RowCleaner,
    find_layout,
    masked_id,
)
from registry.census.sheets import SheetError, open_sheet
from registry.census.sql import Inserter, placeholders, quote, select_by_hash
from registry.models import (
    EndReason,
    Household,
    Relation,
    Residence,
    Resident,
    ResidentStatus,
    ResidentTag,
    TagSource,
    natural_key,
)
from registry.names import name_pinyin

BATCH_SIZE = 1000
# Rows written (created, updated, moved, tags) from which the tables' statistics are refreshed.
ANALYZE_AFTER = 1000
PROBLEMS_SHOWN = 200
BUILDINGS_CACHED = 32
Door = tuple[int, str, str]  # building id, unit, room
UNIT_LENGTH = Household._meta.get_field("unit").max_length or 10
ROOM_LENGTH = Household._meta.get_field("room").max_length or 20


@dataclass(slots=True)
class _BadRow:
    problems: list[Problem]
    door: Door | None


def import_census(
    committee: Area,
    path: Path | str,
    *,
    file_name: str = "",
    apply: bool = False,
    actor=None,
    progress: Callable[[int], None] | None = None,
    problems_path: Path | None = None,
    today: date | None = None,
) -> ImportReport:
    """Check (and with ``apply``, write) a census sheet for ``committee``."""
    path = Path(path)
    file_name = file_name or path.name
    report = ImportReport(file_name=file_name, committee=committee.name, apply=apply)
    today = today or timezone.localdate()
    problem_handle = problems_path.open("w", newline="", encoding="utf-8-sig") if problems_path else None
    sink = csv_writer(problem_handle) if problem_handle else None
    if sink is not None:
        sink.writerow([_("row"), _("column"), _("value"), _("problem")])
        report.problems_file = str(problems_path)
    try:
        try:
            sheet = open_sheet(path, file_name)
            head = list(itertools.islice(sheet.rows, HEADER_SEARCH_ROWS))
        except SheetError as error:
            report.add([Problem(0, "", "", str(error))], sink)
            return report
        layout = find_layout(head)
        if isinstance(layout, Problem):
            report.add([layout], sink)
            return report
        if layout.unused:
            report.notes.append(
                _("These columns are not part of the census and were left out: %(columns)s.")
                % {"columns": "、".join(layout.unused)}
            )
        cleaner = RowCleaner(layout, BuildingIndex(committee), date1904=sheet.date1904, today=today)
        body = itertools.chain((r for r in head if r[0] > layout.header_row), sheet.rows)
        _run(committee, cleaner, layout, body, report, sink, apply, actor, progress, today)
    except SheetError as error:
        report.add([Problem(0, "", "", str(error))], sink)
    finally:
        if problem_handle is not None:
            problem_handle.close()
    return report


def _run(committee, cleaner, layout: Layout, body, report, sink, apply, actor, progress, today) -> None:
    with transaction.atomic():
        # One import of a committee at a time: a second one waits for the first to finish
        # and then sees its rows, instead of colliding with them on the unique indexes.
        Area.objects.select_for_update().filter(pk=committee.pk).first()
        with audit_context.suspended():
            writer = _Writer(committee, report, sink, actor, today, cleaner)
            writer.open()
            try:
                for batch in _batches(cleaner, body, report):
                    writer.write(batch)
                    if progress is not None:
                        progress(report.rows)
                writer.final_checks()
            finally:
                writer.close()
        if apply and report.ok:
            report.applied = True
            record(
                "import",
                note=_("census %(file)s") % {"file": report.file_name},
                changes={"rows": report.rows, **asdict(report.counts)},
                area_path=committee.path,
                actor=actor,
            )
            if _written(report) >= ANALYZE_AFTER:
                transaction.on_commit(refresh_statistics)
        else:
            transaction.set_rollback(True)


def _written(report: ImportReport) -> int:
    c = report.counts
    return (
        c.households_created
        + c.created
        + c.updated
        + c.moved_out
        + c.returned
        + c.tags_added
        + c.tags_removed
    )


def refresh_statistics() -> None:
    """``ANALYZE`` the tables a census import writes, so the planner knows their new size."""
    with connection.cursor() as cursor:
        for model in (Household, Resident, Residence, ResidentTag):
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")


def _batches(cleaner: RowCleaner, body, report: ImportReport) -> Iterator[list[CensusRow | BadRow]]:
    """The rows in order, good and bad together: the checks across rows need both."""
    batch: list[CensusRow | BadRow] = []
    for number, cells in body:
        result = cleaner.clean(number, cells)
        if result is None:
            continue
        report.rows += 1
        if isinstance(result, CensusRow):
            report.notes.extend(n for n in result.notes if n not in report.notes)
        batch.append(result)
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


class _Writer:
    """Writes the batches and remembers, in two temporary tables, what later rows need."""

    def __init__(self, committee: Area, report: ImportReport, sink, actor, today: date, cleaner: RowCleaner):
        self.committee = committee
        self.report = report
        self.sink = sink
        self.actor_id = actor.pk if actor is not None else None
        self.today = today
        self.cleaner = cleaner
        self.now: datetime = timezone.now()
        self.households: OrderedDict[int, dict[tuple[str, str], int]] = OrderedDict()
        self.buildings = {b.pk: b for group in cleaner.buildings.by_name.values() for b in group}
        self.t_resident = quote(Resident._meta.db_table)
        self.t_household = quote(Household._meta.db_table)
        self.t_residence = quote(Residence._meta.db_table)
        self.t_tag = quote(ResidentTag._meta.db_table)
        self.insert_household = Inserter(Household)
        self.insert_resident = Inserter(Resident)
        self.insert_residence = Inserter(Residence)
        self.insert_tag = Inserter(ResidentTag, " ON CONFLICT DO NOTHING")

    # -- temporary tables --

    def open(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS census_seen")
            cursor.execute("DROP TABLE IF EXISTS census_doors")
            cursor.execute(
                "CREATE TEMPORARY TABLE census_seen (id_hash VARCHAR(64) PRIMARY KEY, row_number INTEGER)"
            )
            cursor.execute(
                f"CREATE TEMPORARY TABLE census_doors (building_id BIGINT, unit VARCHAR({UNIT_LENGTH}), "
                f"room VARCHAR({ROOM_LENGTH}), "
                "first_row INTEGER, living INTEGER, bad INTEGER, PRIMARY KEY (building_id, unit, room))"
            )

    def close(self) -> None:
        if connection.needs_rollback:
            return  # the failed transaction is rolled back with its temporary tables
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS census_seen")
            cursor.execute("DROP TABLE IF EXISTS census_doors")

    def _doors(self, cursor, doors: dict[Door, list[int]]) -> None:
        """Upsert (first row, living rows, bad) per door."""
        if not doors:
            return
        cursor.executemany(
            "INSERT INTO census_doors (building_id, unit, room, first_row, living, bad) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (building_id, unit, room) DO UPDATE SET "
            "living = census_doors.living + excluded.living, "
            "bad = CASE WHEN excluded.bad > census_doors.bad THEN excluded.bad ELSE census_doors.bad END",
            [(*door, *values) for door, values in doors.items()],
        )

    # -- problems --

    def _id_problem(self, row: CensusRow | BadRow, reason: str) -> Problem:
        """A problem with the row's identity number, shown masked."""
        header = self.cleaner.header("id_number")
        return Problem(row.row, header, masked_id(row.id_number), reason)

    # -- households --

    def _household_ids(self, cursor, rows: list[CensusRow]) -> dict[Door, int]:
        """The household of every row's door, created where missing; buildings cached LRU."""
        if not rows:
            return {}
        wanted = {r.building_id for r in rows}
        missing = [b for b in wanted if b not in self.households]
        if missing:
            cursor.execute(
                f"SELECT id, building_id, unit, room FROM {self.t_household} "
                f"WHERE building_id IN ({placeholders(missing)})",
                missing,
            )
            for b in missing:
                self.households[b] = {}
            for pk, building_id, unit, room in cursor.fetchall():
                self.households[building_id][(unit, room)] = pk
        for b in wanted:
            self.households.move_to_end(b)
        new = {
            (r.building_id, r.unit, r.room)
            for r in rows
            if (r.unit, r.room) not in self.households[r.building_id]
        }
        if new:
            self.insert_household.run(
                cursor,
                [
                    {
                        "building_id": b,
                        "committee_id": self.committee.pk,
                        "unit": unit,
                        "room": room,
                        "sort_key": natural_key(unit, room),
                        "created_at": self.now,
                        "updated_at": self.now,
                    }
                    for b, unit, room in sorted(new)
                ],
            )
            self.report.counts.households_created += len(new)
            buildings = sorted({b for b, _u, _r in new})
            cursor.execute(
                f"SELECT id, building_id, unit, room FROM {self.t_household} "
                f"WHERE building_id IN ({placeholders(buildings)})",
                buildings,
            )
            for pk, building_id, unit, room in cursor.fetchall():
                self.households[building_id][(unit, room)] = pk
        while len(self.households) > BUILDINGS_CACHED:
            self.households.popitem(last=False)
        return {
            (r.building_id, r.unit, r.room): self.households[r.building_id][(r.unit, r.room)] for r in rows
        }

    # -- a batch --

    def write(self, batch: list[CensusRow | BadRow]) -> None:
        """Check a batch's rows against each other, earlier rows and the registry; report the
        problems row by row, in order; write the good rows."""
        with connection.cursor() as cursor:
            more: dict[int, list[Problem]] = {}  # problems found across rows, by row number
            numbered = self._drop_duplicates(cursor, [r for r in batch if r.id_hash], more)
            existing = self._existing(cursor, numbered)
            fresh: list[CensusRow] = []
            changed: list[tuple[CensusRow, dict]] = []
            doors: dict[Door, list[int]] = {}
            for row in batch:
                if isinstance(row, BadRow):
                    known = existing.get(row.id_hash) if row.id_hash and row.row not in more else None
                    reason = self._registry_problem(row.door, row.moved_out_given, known) if known else None
                    if reason:
                        more.setdefault(row.row, []).append(self._id_problem(row, reason))
                    self.report.add(row.problems + more.get(row.row, []), self.sink)
                    if row.door is not None:
                        doors.setdefault(row.door, [row.row, 0, 0])[2] = 1
                    continue
                door = (row.building_id, row.unit, row.room)
                entry = doors.setdefault(door, [row.row, 0, 0])
                if row.row in more:  # the same number on an earlier row
                    self.report.add(more[row.row], self.sink)
                    entry[2] = 1
                    continue
                known = existing.get(row.id_hash)
                reason = self._registry_problem(door, row.moved_out_on is not None, known) if known else None
                if reason:
                    self.report.add([self._id_problem(row, reason)], self.sink)
                    entry[2] = 1
                    continue
                entry[1] += row.moved_out_on is None
                if known is None:
                    fresh.append(row)
                elif known["census_digest"] == row.digest:
                    self.report.counts.unchanged += 1
                else:
                    changed.append((row, known))
            household_ids = self._household_ids(cursor, fresh + [row for row, _known in changed])
            self._create(cursor, fresh, household_ids)
            self._update(cursor, changed, household_ids)
            self._doors(cursor, doors)

    def _drop_duplicates(
        self, cursor, rows: list[CensusRow | BadRow], more: dict[int, list[Problem]]
    ) -> list[CensusRow | BadRow]:
        """The rows whose identity number no earlier row has; the others' problems in ``more``."""
        first = dict(
            select_by_hash(
                cursor, "SELECT id_hash, row_number FROM census_seen WHERE id_hash IN ({})", [], rows
            )
        )
        kept = []
        for row in rows:
            earlier = first.get(row.id_hash)
            if earlier is not None:
                reason = _("The same identity number is on row %(row)d too.") % {"row": earlier}
                more.setdefault(row.row, []).append(self._id_problem(row, reason))
                continue
            first[row.id_hash] = row.row
            kept.append(row)
        cursor.executemany(
            "INSERT INTO census_seen (id_hash, row_number) VALUES (%s, %s)",
            [(r.id_hash, r.row) for r in kept],
        )
        return kept

    def _existing(self, cursor, rows: list[CensusRow | BadRow]) -> dict[str, dict]:
        found = select_by_hash(
            cursor,
            f"SELECT r.id, r.id_hash, r.household_id, r.status, r.census_digest, r.moved_out_on, "
            f"h.building_id, h.unit, h.room FROM {self.t_resident} r JOIN {self.t_household} h "
            # "+committee_id": not by the committee's index (every resident of the committee,
            # once per batch), but by the identity hashes' own.
            f"ON h.id = r.household_id WHERE +r.committee_id = %s AND r.id_hash IN ({{}})",
            [self.committee.pk],
            rows,
        )
        names = (
            "id",
            "id_hash",
            "household_id",
            "status",
            "census_digest",
            "moved_out_on",
            "building_id",
            "unit",
            "room",
        )
        return {values[1]: dict(zip(names, values, strict=True)) for values in found}

    def _registry_problem(self, door: Door | None, moving_out: bool, known: dict) -> str | None:
        """Why a person the registry knows may not be written as the row says: they live at
        another door (when the row's door is known), or have died."""
        elsewhere = door is not None and (known["building_id"], known["unit"], known["room"]) != door
        if known["status"] == ResidentStatus.LIVING and elsewhere:
            building = self.buildings.get(known["building_id"])
            home = Household(building=building, unit=known["unit"], room=known["room"]) if building else None
            return _(
                "This person is already recorded as living at %(address)s. Record the move on "
                "their page first, or correct the door in the sheet."
            ) % {"address": home.address if home else _("another door")}
        if known["status"] == ResidentStatus.DECEASED and not moving_out:
            return _("This person is recorded as deceased.")
        return None

    def _resident_values(self, row: CensusRow, household_id: int) -> dict:
        pinyin, initials = name_pinyin(row.name)
        return {
            "committee_id": self.committee.pk,
            "household_id": household_id,
            "name": row.name,
            "gender": row.gender,
            "birth_date": row.birth_date,
            "id_cipher": crypto.encrypt(row.id_number),
            "id_hash": row.id_hash,
            "id_masked": crypto.mask_id_number(row.id_number),
            "phone": row.phone,
            "relation": row.relation,
            "residence_type": row.residence_type,
            "status": ResidentStatus.LIVING if row.moved_out_on is None else ResidentStatus.MOVED_OUT,
            "moved_in_on": row.moved_in_on,
            "moved_out_on": row.moved_out_on,
            "health_cipher": crypto.encrypt(row.health),
            "key_note_cipher": crypto.encrypt(row.key_notes),
            "pinyin": pinyin,
            "initials": initials,
            "census_digest": row.digest,
            "created_at": self.now,
            "updated_at": self.now,
        }

    def _residence(
        self, resident_id: int, household_id: int, row: CensusRow, moved_in_on: date | None
    ) -> dict:
        return {
            "resident_id": resident_id,
            "household_id": household_id,
            "relation": row.relation,
            "moved_in_on": moved_in_on,
            "moved_out_on": row.moved_out_on,
            "end_reason": EndReason.MOVED_OUT if row.moved_out_on else "",
            "created_at": self.now,
        }

    def _tag(self, resident_id: int, tag: str) -> dict:
        return {
            "resident_id": resident_id,
            "tag": tag,
            "source": TagSource.CENSUS,
            "set_by_id": self.actor_id,
            "set_at": self.now,
        }

    def _create(self, cursor, rows: list[CensusRow], household_ids: dict[Door, int]) -> None:
        if not rows:
            return
        doors = [household_ids[(r.building_id, r.unit, r.room)] for r in rows]
        self.insert_resident.run(
            cursor, [self._resident_values(r, h) for r, h in zip(rows, doors, strict=True)]
        )
        ids = dict(
            select_by_hash(
                cursor,
                f"SELECT id_hash, id FROM {self.t_resident} WHERE +committee_id = %s AND id_hash IN ({{}})",
                [self.committee.pk],
                rows,
            )
        )
        self.insert_residence.run(
            cursor,
            [self._residence(ids[r.id_hash], h, r, r.moved_in_on) for r, h in zip(rows, doors, strict=True)],
        )
        tags = [self._tag(ids[r.id_hash], tag) for r in rows for tag in sorted(r.tags)]
        self.insert_tag.run(cursor, tags)
        self.report.counts.created += len(rows)
        self.report.counts.moved_out += sum(1 for r in rows if r.moved_out_on)
        self.report.counts.tags_added += len(tags)

    def _update(self, cursor, changed: list[tuple[CensusRow, dict]], household_ids: dict[Door, int]) -> None:
        if not changed:
            return
        updates, closing, opening, relations = [], [], [], []
        for row, known in changed:
            values = self._resident_values(row, household_ids[(row.building_id, row.unit, row.room)])
            was_living = known["status"] == ResidentStatus.LIVING
            if not was_living and row.moved_out_on is None:  # back from away
                values["moved_in_on"] = row.moved_in_on or self.today
                opening.append(
                    self._residence(known["id"], values["household_id"], row, values["moved_in_on"])
                )
                self.report.counts.returned += 1
            elif not was_living:  # still away: the last household stays the record's
                values["household_id"] = known["household_id"]
                values["status"] = (
                    ResidentStatus.DECEASED
                    if known["status"] == ResidentStatus.DECEASED
                    else ResidentStatus.MOVED_OUT
                )
            elif row.moved_out_on is not None:
                closing.append((row.moved_out_on, EndReason.MOVED_OUT, known["id"]))
                self.report.counts.moved_out += 1
            else:
                relations.append((row.relation, known["id"]))
            values.pop("created_at")
            values.pop("committee_id")
            values.pop("id_hash")
            updates.append(values | {"id": known["id"]})
        self._update_residents(cursor, updates)
        cursor.executemany(
            f"UPDATE {self.t_residence} SET moved_out_on = %s, end_reason = %s "
            f"WHERE resident_id = %s AND end_reason = ''",
            [(connection.ops.adapt_datefield_value(d), reason, pk) for d, reason, pk in closing],
        )
        cursor.executemany(
            f"UPDATE {self.t_residence} SET relation = %s WHERE resident_id = %s AND end_reason = ''",
            relations,
        )
        self.insert_residence.run(cursor, opening)
        self._update_tags(cursor, [(row, known["id"]) for row, known in changed])
        self.report.counts.updated += len(changed)

    def _update_residents(self, cursor, updates: list[dict]) -> None:
        columns = [name for name in updates[0] if name != "id"]
        fields = {f.attname: f for f in Resident._meta.concrete_fields}
        assignments = ", ".join(f"{quote(fields[name].column)} = %s" for name in columns)
        adapters = self.insert_resident.adapters
        params = []
        for values in updates:
            row = [
                adapters[n](values[n]) if n in adapters and values[n] is not None else values[n]
                for n in columns
            ]
            params.append([*row, values["id"]])
        cursor.executemany(f"UPDATE {self.t_resident} SET {assignments} WHERE id = %s", params)

    def _update_tags(self, cursor, people: list[tuple[CensusRow, int]]) -> None:
        ids = [pk for _row, pk in people]
        cursor.execute(
            f"SELECT resident_id, tag, source FROM {self.t_tag} WHERE resident_id IN ({placeholders(ids)})",
            ids,
        )
        have: dict[int, dict[str, str]] = {}
        for resident_id, tag, source in cursor.fetchall():
            have.setdefault(resident_id, {})[tag] = source
        add, remove = [], []
        for row, pk in people:
            current = have.get(pk, {})
            add += [self._tag(pk, tag) for tag in sorted(row.tags - current.keys())]
            remove += [
                (pk, tag)
                for tag, source in current.items()
                if source == TagSource.CENSUS and tag not in row.tags
            ]
        self.insert_tag.run(cursor, add)
        cursor.executemany(f"DELETE FROM {self.t_tag} WHERE resident_id = %s AND tag = %s", remove)
        self.report.counts.tags_added += len(add)
        self.report.counts.tags_removed += len(remove)

    # -- after the last batch --

    def final_checks(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Temporary tables have no statistics until analysed; without them the planner
                # may loop over every door for every resident.
                cursor.execute("ANALYZE census_doors")
                cursor.execute("ANALYZE census_seen")
            cursor.execute(
                f"SELECT d.first_row, d.building_id, d.unit, d.room, COUNT(r.id) FROM census_doors d "
                f"JOIN {self.t_household} h "
                f"ON h.building_id = d.building_id AND h.unit = d.unit AND h.room = d.room "
                f"LEFT JOIN {self.t_resident} r "
                f"ON r.household_id = h.id AND r.status = %s AND r.relation = %s "
                f"WHERE d.bad = 0 AND d.living > 0 GROUP BY d.first_row, d.building_id, d.unit, d.room "
                f"HAVING COUNT(r.id) <> 1 ORDER BY d.first_row",
                [ResidentStatus.LIVING, Relation.HOUSEHOLDER],
            )
            header = self.cleaner.header("relation")
            for first_row, building_id, unit, room, count in cursor.fetchall():
                address = Household(building=self.buildings[building_id], unit=unit, room=room).address
                if count == 0:
                    reason = _(
                        "Nobody at %(address)s is the householder (户主); one person of each door must be."
                    )
                else:
                    reason = _(
                        "%(address)s would have %(count)d householders; keep one 户主 (check the people "
                        "already recorded there too)."
                    )
                self.report.add(
                    [Problem(first_row, header, "", reason % {"address": address, "count": count})], self.sink
                )
            cursor.execute(
                f"SELECT COUNT(*) FROM {self.t_resident} r "
                f"JOIN {self.t_household} h ON h.id = r.household_id "
                f"JOIN census_doors d "
                f"ON d.building_id = h.building_id AND d.unit = h.unit AND d.room = h.room "
                f"WHERE r.status = %s AND r.anonymised_at IS NULL AND (r.id_hash = '' OR NOT EXISTS "
                f"(SELECT 1 FROM census_seen s WHERE s.id_hash = r.id_hash))",
                [ResidentStatus.LIVING],
            )
            self.report.not_in_sheet = cursor.fetchone()[0]
