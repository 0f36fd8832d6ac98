"""An index that serves ``path LIKE 'prefix%'`` on each database.

PostgreSQL needs the ``varchar_pattern_ops`` operator class for LIKE under a non-C
collation. SQLite uses an index for LIKE only when the column's index collation matches
LIKE's case-insensitivity, so the index is ``COLLATE NOCASE`` (paths are ASCII digits and
letters, so nothing is lost).
"""

from django.db import migrations

INDEX = "areas_area_path_prefix"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX {INDEX} ON areas_area (path varchar_pattern_ops)")
    elif vendor == "sqlite":
        schema_editor.execute(f"CREATE INDEX {INDEX} ON areas_area (path COLLATE NOCASE)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor in ("postgresql", "sqlite"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
