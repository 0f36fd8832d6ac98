"""Two live bookings of one space never overlap, and the database is what says so.

PostgreSQL: an exclusion constraint over the space and ``tstzrange(starts_at, ends_at)`` for
pending and confirmed bookings (btree_gist lets ``space_id WITH =`` sit in a GiST index).
SQLite: triggers before insert and before update abort a write that would overlap a live
booking of the same space; SQLite writes one transaction at a time, so the check and the
write cannot interleave. Either way the error is an IntegrityError naming
``booking_no_overlap``, which ``spaces.bookings`` turns into a refusal naming the clash.
"""

from django.db import migrations

LIVE = "('pending', 'confirmed')"

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE spaces_booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist "
    "(space_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
    f"WHERE (status IN {LIVE})",
]
POSTGRES_UNDO = ["ALTER TABLE spaces_booking DROP CONSTRAINT IF EXISTS booking_no_overlap"]

_SQLITE_CHECK = (
    "BEGIN SELECT RAISE(ABORT, 'booking_no_overlap') "
    "WHERE NEW.status IN ('pending', 'confirmed') AND EXISTS ("
    "SELECT 1 FROM spaces_booking b WHERE b.space_id = NEW.space_id AND b.id IS NOT NEW.id "
    "AND b.status IN ('pending', 'confirmed') "
    "AND b.starts_at < NEW.ends_at AND NEW.starts_at < b.ends_at); END"
)
SQLITE = [
    f"CREATE TRIGGER booking_no_overlap_insert BEFORE INSERT ON spaces_booking {_SQLITE_CHECK}",
    "CREATE TRIGGER booking_no_overlap_update BEFORE UPDATE OF space_id, starts_at, ends_at, status "
    f"ON spaces_booking {_SQLITE_CHECK}",
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS booking_no_overlap_insert",
    "DROP TRIGGER IF EXISTS booking_no_overlap_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("spaces", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_UNDO, "sqlite": SQLITE_UNDO}),
        )
    ]
