"""A judge pressing "submit" on two devices at once: one score is kept, the other refused."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from projects import judging
from projects.models import Score

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL"),
]

THREADS = 8


def test_a_judge_submitting_at_once_from_eight_devices_scores_once(contest, project):
    entry = contest.entry(project)
    contest.judging()
    judge = contest.judges[0].user
    marks = {c.pk: Decimal("7") for c in contest.criteria}
    barrier = threading.Barrier(THREADS)
    results: list = []

    def run():
        try:
            barrier.wait()
            results.append(judging.submit(judge, entry, marks))
        except Exception as error:  # a loser of the race is counted, not raised
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(isinstance(r, Score) for r in results) == 1
    assert all(isinstance(r, (Score, ValidationError)) for r in results), results
    assert Score.objects.filter(entry=entry).count() == 1
