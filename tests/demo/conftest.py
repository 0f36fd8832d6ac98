"""The demo, loaded once for the package: test_load_demo and test_volunteers_demo share it
(both are in the xdist group "load_demo", so on one worker), instead of loading it twice."""

import re
from collections import defaultdict
from functools import cached_property
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from audit.rules import covered, quiet_fields, suspended_now
from tests.demo.cleanup import delete_demo, last_service_id


class Writes:
    """The tables each kind of write reached while the log was not suspended."""

    STATEMENT = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)
    ACTION = {"INSERT INTO": "create", "UPDATE": "update", "DELETE FROM": "delete"}

    def __init__(self) -> None:
        self.seen: dict[str, set[str]] = defaultdict(set)

    def __call__(self, execute, sql, params, many, context):
        found = self.STATEMENT.match(sql)
        if found and not suspended_now():
            action, table = self.ACTION[found.group(1).upper()], found.group(2)
            columns = self.columns_set(sql) if action == "update" else set()
            if not columns or not columns <= self.quiet.get(table, set()):
                self.seen[action].add(table)
        return execute(sql, params, many, context)

    @staticmethod
    def columns_set(sql: str) -> set[str]:
        assignments = re.split(r"\bWHERE\b", sql.split(" SET ", 1)[-1])[0]
        return set(re.findall(r'"?(\w+)"? = ', assignments))

    @cached_property
    def quiet(self) -> dict[str, set[str]]:
        """The columns whose change alone the log leaves out (counters, last-seen stamps)."""
        return {
            m._meta.db_table: {f.column for f in m._meta.concrete_fields if f.name in quiet_fields(m)}
            for m in apps.get_models()
            if covered(m)
        }


WRITES = Writes()


@pytest.fixture(scope="package")
def demo_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        out = StringIO()
        services = last_service_id()
        with connection.execute_wrapper(WRITES):
            call_command("load_demo", stdout=out)
        yield out.getvalue()
        # Package-scoped data lives outside the per-test transactions: clean it up.
        delete_demo(services)
