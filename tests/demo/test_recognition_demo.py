"""The demo's centres, talent and awards (issue 21): 杨浦's rated centres (seed 003), its 46
睦邻达人, and 江秋新苑's 最美江秋人 with its vote (seed 004); the rules the services keep, for
every row the demo wrote."""

import pytest
from django.db.models import Count, F, Sum
from django.utils import timezone

from areas.models import Area
from deliberation.models import Ballot, PollOption
from demo import recognition as demo_recognition
from recognition import selectors
from recognition.models import Award, Centre, Criterion, Rating, Score, Talent

# Loaded once for the package, with the other demo tests, on the demo's xdist worker (conftest.py).
pytestmark = [pytest.mark.xdist_group("load_demo"), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _demo(demo_output):
    """The demo loaded once for the package (tests/demo/conftest.py)."""


def _yangpu() -> Area:
    return Area.objects.get(code=demo_recognition.YANGPU)


def test_the_summary_tells_of_the_centres(demo_output):
    assert "centres rated" in demo_output or "睦邻中心已评星级" in demo_output


def test_yangpu_has_47_centres_run_by_29_organisations_17_of_them_five_star():
    district = _yangpu()
    found = Centre.objects.filter(area__path__startswith=district.path)
    assert found.count() == 47
    assert found.values("operator").distinct().count() == 29
    year = timezone.localdate().year
    finals = selectors.final_ratings(district, year)
    assert finals.count() == 47 and finals.filter(stars=5).count() == 17
    rows = selectors.star_figures(district, year)
    assert sum(r.five_star for r in rows) == 17 and sum(r.centres for r in rows) == 47


def test_every_rating_keeps_the_sheets_rules():
    for rating in Rating.objects.select_related("sheet").prefetch_related("sheet__bands"):
        scores = Score.objects.filter(rating=rating)
        assert scores.count() == Criterion.objects.filter(sheet=rating.sheet_id).count()
        assert scores.aggregate(total=Sum("points"))["total"] == rating.score
        assert rating.sheet.stars_for(rating.score) == rating.stars
        assert all(s.has_evidence for s in scores)
    assert not Score.objects.filter(points__gt=F("criterion__points")).exists()
    assert (
        not Rating.objects.final().values("centre", "year").annotate(n=Count("pk")).filter(n__gt=1).exists()
    )


def test_46_talents_are_listed_by_their_chosen_name():
    district = _yangpu()
    listed = selectors.public_talent(district)
    assert listed.count() == 46
    assert all(t.shown_as != t.resident.name for t in listed.select_related("resident"))
    assert Talent.objects.filter(status="offered").count() >= 1


def test_jiangqiu_elected_its_winners_beside_the_vote():
    award = Award.objects.get(committee__code=demo_recognition.JIANGQIU, title="最美江秋人")
    assert award.is_decided and award.nominations.filter(won=True).count() == 5
    poll = award.topic.poll
    ballots = Ballot.objects.filter(poll=poll)
    assert ballots.count() == ballots.values("key").distinct().count() > 100
    assert all(n.option_id for n in award.nominations.all())
    assert PollOption.objects.filter(poll=poll).aggregate(v=Sum("votes"))["v"] >= ballots.count()
    assert award.topic.is_finished
