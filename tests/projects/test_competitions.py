"""A competition round: the call, the rubric, entries and eligibility, blind judging, conflicts,
scoring once, the trimmed mean and its ties, the public notice, objections and results."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from projects import competitions, judging, ranking
from projects.competitions import CriterionDraft
from projects.models import Criterion, Entry, GovernanceStatus, RoundPhase, Score
from projects.rules import may_see_scores
from tests.factories import UserFactory, scope_of
from tests.projects.conftest import make_project


def marks(contest, a, b, c) -> dict[int, Decimal]:
    return {crit.pk: Decimal(str(v)) for crit, v in zip(contest.criteria, (a, b, c), strict=True)}


def test_weights_must_add_up_to_100(contest, street_admin, english):
    scope = scope_of(street_admin)
    with pytest.raises(ValidationError) as caught:
        competitions.set_rubric(
            contest.round, [CriterionDraft("需求", 40), CriterionDraft("参与", 55)], scope=scope
        )
    assert caught.value.message_dict["weights"] == ["The weights add up to 95; they must add up to 100."]
    assert Criterion.objects.filter(round=contest.round).count() == 3
    competitions.set_rubric(
        contest.round, [CriterionDraft("需求", 60), CriterionDraft("参与", 40, 5)], scope=scope
    )
    assert [c.weight for c in contest.round.criteria.all()] == [60, 40]


def test_committee_staff_enter_their_project_while_the_call_is_open(contest, project, worker, english):
    entry = competitions.enter(contest.round, project, scope=scope_of(worker))
    assert entry.area == project.area
    with pytest.raises(ValidationError, match="already entered"):
        competitions.enter(contest.round, project, scope=scope_of(worker))


def test_entering_after_the_call_closes_is_refused(contest, project, worker, english):
    contest.round.call_closes = timezone.localdate() - timedelta(days=1)
    contest.round.save()
    with pytest.raises(ValidationError) as caught:
        competitions.enter(contest.round, project, scope=scope_of(worker))
    assert "The call closed on" in caught.value.message_dict["round"][0]
    assert not Entry.objects.exists()


def test_a_proposed_project_is_not_entered(contest, tree, worker, english):
    draft = make_project(tree.committee, status=GovernanceStatus.PROPOSED)
    with pytest.raises(ValidationError, match="Only approved"):
        competitions.enter(contest.round, draft, scope=scope_of(worker))


def test_eligibility_check_and_opening_judging(contest, project, street_admin, english):
    scope = scope_of(street_admin)
    entry = contest.entry(project, eligible=False)
    with pytest.raises(ValidationError, match="why"):
        competitions.check_entry(entry, False, "", scope=scope)
    contest.round.call_closes = timezone.localdate() - timedelta(days=1)
    contest.round.call_opens = contest.round.call_closes - timedelta(days=5)
    contest.round.save()
    with pytest.raises(ValidationError, match="still to be checked"):
        competitions.open_judging(contest.round, scope=scope)
    competitions.check_entry(entry, True, "", scope=scope)
    assert competitions.open_judging(contest.round, scope=scope).phase == RoundPhase.JUDGING


def test_a_judge_scores_once_and_a_second_submission_is_refused(contest, project, english):
    entry = contest.entry(project)
    contest.judging()
    judge = contest.judges[0].user
    score = judging.submit(judge, entry, marks(contest, 8, 7, 9))
    assert score.total == Decimal("80.00")  # 8/10*40 + 7/10*30 + 9/10*30
    with pytest.raises(ValidationError) as caught:
        judging.submit(judge, entry, marks(contest, 10, 10, 10))
    assert "already scored" in caught.value.message_dict["marks"][0]
    assert Score.objects.count() == 1


def test_an_amendment_keeps_the_first_score(contest, project, english):
    entry = contest.entry(project)
    contest.judging()
    judge = contest.judges[0].user
    first = judging.submit(judge, entry, marks(contest, 8, 7, 9))
    second = judging.amend(judge, entry, marks(contest, 9, 7, 9))
    first.refresh_from_db()
    assert not first.is_current and second.amends == first
    assert Score.objects.filter(entry=entry).count() == 2


def test_a_score_out_of_range_names_the_criterion(contest, project, english):
    entry = contest.entry(project)
    contest.judging()
    with pytest.raises(ValidationError) as caught:
        judging.submit(contest.judges[0].user, entry, marks(contest, 11, 7, -1))
    errors = caught.value.message_dict
    assert "“需求” is scored from 0 to 10; 11 is out of range." in errors[f"c{contest.criteria[0].pk}"]
    assert f"c{contest.criteria[2].pk}" in errors
    assert not Score.objects.exists()


def test_a_conflicted_judge_cannot_score(contest, project, english):
    entry = contest.entry(project)
    contest.judging()
    judge = contest.judges[1].user
    judging.declare_conflict(judge, entry, "我是该团队成员")
    with pytest.raises(PermissionDenied, match="declared a conflict"):
        judging.submit(judge, entry, marks(contest, 5, 5, 5))


def test_a_judge_cannot_score_their_own_entry(contest, tree, english):
    judge = contest.judges[2].user
    own = make_project(tree.committee, title="我的项目", created_by=judge)
    entry = contest.entry(own)
    contest.judging()
    with pytest.raises(PermissionDenied, match="your own entry"):
        judging.submit(judge, entry, marks(contest, 5, 5, 5))


def test_someone_not_a_judge_cannot_score(contest, project, worker, english):
    entry = contest.entry(project)
    contest.judging()
    with pytest.raises(PermissionDenied, match="not a judge"):
        judging.submit(worker, entry, marks(contest, 5, 5, 5))


def test_scores_are_blind_until_the_judge_scores(contest, project, street_admin, english):
    entry = contest.entry(project)
    contest.judging()
    first, second = contest.judges[0].user, contest.judges[1].user
    judging.submit(first, entry, marks(contest, 8, 8, 8))
    assert not may_see_scores(second, scope_of(second), entry)  # a judge who also runs the round
    judging.submit(second, entry, marks(contest, 6, 6, 6))
    assert may_see_scores(second, scope_of(second), entry)
    assert may_see_scores(street_admin, scope_of(street_admin), entry)


def test_trimmed_mean_drops_highest_and_lowest_from_five_scores():
    values = [Decimal(v) for v in ("90", "80", "70", "60", "10")]
    assert ranking.trimmed_mean(values) == Decimal("70.00")
    assert ranking.trimmed_mean(values[:4]) == Decimal("75.00")
    assert ranking.trimmed_mean([]) is None


def test_ties_are_broken_by_median_then_top_marks_then_entry_order(contest, tree, english):
    a = contest.entry(make_project(tree.committee, title="甲"))
    b = contest.entry(make_project(tree.committee, title="乙"))
    c = contest.entry(make_project(tree.committee, title="丙"))
    contest.judging()
    # 甲 and 乙 both average 70, 甲 with the higher median; 丙 is best.
    judging.submit(contest.judges[0].user, a, marks(contest, 10, 10, 10))  # 100
    judging.submit(contest.judges[1].user, a, marks(contest, 5, 5, 5))  # 50
    judging.submit(contest.judges[2].user, a, marks(contest, 6, 6, 6))  # 60
    judging.submit(contest.judges[0].user, b, marks(contest, 7, 7, 7))  # 70
    judging.submit(contest.judges[1].user, b, marks(contest, 7, 7, 7))
    judging.submit(contest.judges[2].user, b, marks(contest, 7, 7, 7))
    judging.submit(contest.judges[0].user, c, marks(contest, 9, 9, 9))
    rows = ranking.rank(contest.round)
    assert [r.entry for r in rows] == [c, b, a]
    assert [r.result for r in rows] == [Decimal("90.00"), Decimal("70.00"), Decimal("70.00")]
    assert rows[2].tie == str(ranking.TIE_MEDIAN)
    assert [r.chosen for r in rows] == [True, True, False]  # pick = 2


def _notice(contest, project, street_admin):
    entry = contest.entry(project)
    contest.judging()
    judging.submit(contest.judges[0].user, entry, marks(contest, 8, 8, 8))
    return entry, competitions.publish_notice(contest.round, 7, scope=scope_of(street_admin))


def test_the_notice_freezes_results_and_takes_objections(contest, project, street_admin, people, english):
    entry, round_ = _notice(contest, project, street_admin)
    entry.refresh_from_db()
    assert round_.is_notice and entry.rank == 1 and entry.result == Decimal("80.00") and entry.chosen
    with pytest.raises(ValidationError, match="Say what you object to"):
        competitions.object_to(people.wang_user, entry, " ")
    objection = competitions.object_to(people.wang_user, entry, "项目并未完成")
    with pytest.raises(ValidationError, match=r"still to be answered|runs until"):
        competitions.publish_results(round_, scope=scope_of(street_admin))
    competitions.answer(street_admin, objection, "已核实，项目已完成。", scope=scope_of(street_admin))


def test_results_are_not_published_before_the_notice_period_ends(contest, project, street_admin, english):
    _entry, round_ = _notice(contest, project, street_admin)
    with pytest.raises(ValidationError) as caught:
        competitions.publish_results(round_, scope=scope_of(street_admin))
    assert "The public notice runs until" in caught.value.message_dict["phase"][0]
    round_.notice_until = timezone.localdate() - timedelta(days=1)
    round_.save()
    assert competitions.publish_results(round_, scope=scope_of(street_admin)).has_results


def test_a_judge_must_have_a_verified_account(contest, street_admin, tree, people, english):
    scope = scope_of(street_admin)
    stranger = UserFactory.create(name="路人", home_area=tree.committee)
    with pytest.raises(ValidationError, match="no verified account"):
        competitions.add_judge(contest.round, stranger, scope=scope)
    people.wang.verified_at = timezone.now()
    people.wang.save()
    assert competitions.add_judge(contest.round, people.wang_user, scope=scope).user == people.wang_user
