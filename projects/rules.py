"""Who may run projects and competitions, judge, and see scores: the one place it is decided.

- Projects: staff with ``Capability.RUN_PROJECTS`` over a project's committee (or street) keep
  it (``runs``): its budget, milestones, status and report.
- Competitions: a round is set by a street, district or city; staff with
  ``Capability.RUN_COMPETITIONS`` over its area run it (``runs_round``): the call, the rubric,
  the judges, the eligibility check, the notice, the answers to objections, the results.
- A project is entered into a round whose area holds the project's, by those who keep the
  project or run the round (``may_enter``).
- Judges are users assigned to a round (``judge_of``): any verified account (``may_judge``), a
  resident's too. Scores are blind: nobody who is a judge of the round sees the scores of an
  entry before submitting their own or declaring a conflict on it (``may_see_scores``), not
  even when they also run the round.
"""

from __future__ import annotations

from areas.models import Area, AreaLevel
from common.scope import Capability, Scope
from projects.models import Conflict, Entry, Judge, Project, Round, Score
from registry.models import Resident

PROJECT_LEVELS = (AreaLevel.COMMITTEE, AreaLevel.STREET)
ROUND_LEVELS = (AreaLevel.STREET, AreaLevel.DISTRICT, AreaLevel.CITY)


def runs_area(scope: Scope, area: Area | None) -> bool:
    """May add a project of ``area`` (a committee or street of their scope)."""
    return bool(
        area is not None
        and area.level in PROJECT_LEVELS
        and scope.can(Capability.RUN_PROJECTS)
        and scope.covers(area)
    )


def runs(scope: Scope, project: Project) -> bool:
    return scope.can(Capability.RUN_PROJECTS) and scope.covers(project.area)


def sets_rounds(scope: Scope, area: Area | None) -> bool:
    """May open a competition round set by ``area`` (a street, district or city of their scope)."""
    return bool(
        area is not None
        and area.level in ROUND_LEVELS
        and scope.can(Capability.RUN_COMPETITIONS)
        and scope.covers(area)
    )


def runs_round(scope: Scope, round_: Round) -> bool:
    return scope.can(Capability.RUN_COMPETITIONS) and scope.covers(round_.area)


def round_holds(round_: Round, project: Project) -> bool:
    """Whether ``project``'s area is inside the area that set ``round_``."""
    return project.area.path.startswith(round_.area.path)


def may_enter(scope: Scope, round_: Round, project: Project) -> bool:
    return round_holds(round_, project) and (runs(scope, project) or runs_round(scope, round_))


def may_judge(user) -> bool:
    """A verified account: staff with a current role, or a resident whose account the committee
    verified. An expert judge may be a resident account."""
    if user is None or not user.is_active:
        return False
    if user.grant_list:
        return True
    return Resident.objects.filter(user=user, verified_at__isnull=False).exists()


def judge_of(user, round_: Round) -> Judge | None:
    if user is None or not user.is_authenticated:
        return None
    return Judge.objects.filter(round=round_, user=user).first()


def has_scored(judge: Judge, entry: Entry) -> bool:
    return Score.objects.filter(judge=judge, entry=entry).exists()


def has_conflict(judge: Judge, entry: Entry) -> bool:
    return Conflict.objects.filter(judge=judge, entry=entry).exists()


def may_see_scores(user, scope: Scope, entry: Entry) -> bool:
    """Blind judging: a judge of the round sees an entry's scores only after submitting their own
    (or declaring a conflict); those who run the round and are no judge of it see them."""
    judge = judge_of(user, entry.round)
    if judge is not None:
        return has_scored(judge, entry) or has_conflict(judge, entry)
    return runs_round(scope, entry.round)


def judges_round(user, round_: Round) -> bool:
    return judge_of(user, round_) is not None
