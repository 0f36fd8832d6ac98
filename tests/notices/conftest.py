"""Notices' tests read English and run tasks at once, with the shared residents (see
tests/fixtures.py)."""

from __future__ import annotations

from datetime import date

from tests import fixtures

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
leader = fixtures.leader
street_admin = fixtures.street_admin

TODAY = date.today()
