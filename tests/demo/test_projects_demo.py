"""The demo's governance projects (issue 21): 杨浦's competition of about 50 projects with the
ten best chosen, and the invariants the services keep, for every row the demo wrote."""

from decimal import Decimal

import pytest
from django.db.models import Count

from demo import projects as demo_projects
from projects import ranking
from projects.models import Conflict, Entry, Objection, Project, Round, RoundPhase, Score

# Loaded once for the package, with the other demo tests, on the demo's xdist worker (conftest.py).
pytestmark = [pytest.mark.xdist_group("load_demo"), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _demo(demo_output):
    """The demo loaded once for the package (tests/demo/conftest.py)."""


def _round() -> Round:
    return Round.objects.get(area__code=demo_projects.YANGPU, title=demo_projects.ROUND_TITLE)


def test_the_summary_tells_of_the_competition(demo_output):
    assert "governance projects" in demo_output or "治理项目" in demo_output


def test_about_fifty_projects_and_the_ten_best_published():
    round_ = _round()
    assert round_.phase == RoundPhase.RESULTS
    assert 45 <= round_.entries.count() <= 55
    chosen = round_.entries.filter(chosen=True)
    assert chosen.count() == 10
    assert sorted(rank or 0 for rank in chosen.values_list("rank", flat=True)) == list(range(1, 11))
    assert Project.objects.filter(area__code=demo_projects.GONGJIAO).exists()


def test_the_frozen_ranking_is_the_ranking_of_the_scores():
    round_ = _round()
    rows = ranking.rank(round_)
    assert [(r.entry.pk, r.rank, r.result) for r in rows] == [
        (e.pk, e.rank, e.result) for e in ranking.frozen(round_)
    ]


def test_no_judge_scored_an_entry_they_declared_a_conflict_with():
    for conflict in Conflict.objects.all():
        assert not Score.objects.filter(judge=conflict.judge, entry=conflict.entry).exists()
    assert Conflict.objects.filter(judge__round=_round()).exists()


def test_one_current_score_per_judge_and_entry_each_within_100():
    twice = Score.objects.filter(superseded_at__isnull=True).values("judge", "entry").annotate(n=Count("pk"))
    assert not twice.filter(n__gt=1).exists()
    assert not Score.objects.filter(total__gt=Decimal(100)).exists()
    assert not Score.objects.exclude(entry__eligibility="eligible").exists()


def test_entries_not_eligible_say_why_and_objections_are_answered():
    round_ = _round()
    for entry in Entry.objects.filter(round=round_, eligibility="ineligible"):
        assert entry.eligibility_reason and entry.rank is None
    objections = Objection.objects.filter(entry__round=round_)
    assert objections.exists()
    assert not objections.filter(answered_at__isnull=True).exists()
