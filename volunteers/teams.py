"""Teams and their groups: staff found, edit and dissolve teams (members told, dates kept),
and keep the groups a committee sorts members into. Members joining, leaving and being
decided on are in ``memberships``.

Who may act is asked of ``volunteers.rules`` (staff over the team's area).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area, AreaLevel
from audit.services import record
from common.scope import Capability, Scope
from notifications.models import NotificationKind
from notifications.services import notify
from volunteers.models import (
    Membership,
    MembershipStatus,
    Team,
    TeamCategory,
    TeamKind,
    Volunteer,
)
from volunteers.rules import manages

# --- Teams and their groups (staff) ---------------------------------------------------------


def home_of(scope: Scope) -> Area:
    """The committee or street that a staff action files a team (or group) under: the area of
    the active role, which must be one of the two."""
    if not scope.can(Capability.MANAGE_VOLUNTEERS):
        raise PermissionDenied(_("Your active role may not run volunteer teams."))
    area = scope.area
    if area is None or area.level not in (AreaLevel.COMMITTEE, AreaLevel.STREET):
        raise PermissionDenied(
            _("Teams belong to a committee or a street; act in a committee or street role.")
        )
    return area


def _require_manager(scope: Scope, area: Area) -> None:
    if not manages(scope, area):
        raise PermissionDenied(_("This team belongs to another committee."))


def categories_for(area: Area):
    """The groups a team of ``area`` may sort members into: its own area's and, for a
    committee, its street's."""
    return TeamCategory.objects.filter(area_id__in=[area.pk, area.parent_id])


@dataclass
class TeamDraft:
    name: str
    kind: str
    about: str = ""
    meets: str = ""
    how_to_join: str = ""
    open_to_join: bool = True
    founded_on: date | None = None
    categories: list[TeamCategory] = field(default_factory=list)


def _check_team(area: Area, draft: TeamDraft, team: Team | None) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    name = " ".join(draft.name.split())
    if not name:
        problems["name"] = [_("Give the team a name.")]
    elif len(name) > 60:
        problems["name"] = [_("A name of 60 characters or fewer.")]
    else:
        same = Team.objects.current().filter(area=area, name=name)
        if team is not None:
            same = same.exclude(pk=team.pk)
        if same.exists():
            problems["name"] = [
                _("%(area)s already has a team called %(name)s.") % {"area": area.name, "name": name}
            ]
    if draft.kind not in TeamKind.values:
        problems["kind"] = [_("Choose what kind of team it is.")]
    for key, limit in (("meets", 200), ("how_to_join", 200)):
        if len(getattr(draft, key)) > limit:
            problems[key] = [_("%(n)d characters or fewer.") % {"n": limit}]
    if draft.founded_on and draft.founded_on > timezone.localdate():
        problems["founded_on"] = [_("A team cannot be founded after today.")]
    allowed = set(categories_for(area).values_list("pk", flat=True))
    strange = [c.name for c in draft.categories if c.pk not in allowed]
    if strange:
        problems["categories"] = [
            _("%(names)s is not a group of this committee.") % {"names": "、".join(strange)}
        ]
    return problems


def _write_team(team: Team, draft: TeamDraft) -> None:
    team.name = " ".join(draft.name.split())
    team.kind = draft.kind
    team.about = draft.about.strip()
    team.meets = " ".join(draft.meets.split())
    team.how_to_join = " ".join(draft.how_to_join.split())
    team.open_to_join = draft.open_to_join
    team.founded_on = draft.founded_on
    team.save()
    team.categories.set(draft.categories)


@transaction.atomic
def create_team(draft: TeamDraft, *, scope: Scope) -> Team:
    """A team of the staff member's committee (or street, for a street-wide team)."""
    area = home_of(scope)
    problems = _check_team(area, draft, None)
    if problems:
        raise ValidationError(problems)
    team = Team(area=area)
    _write_team(team, draft)
    return team


@transaction.atomic
def update_team(team: Team, draft: TeamDraft, *, scope: Scope) -> Team:
    _require_manager(scope, team.area)
    locked = Team.objects.select_for_update().get(pk=team.pk)
    if locked.dissolved_at:
        raise ValidationError(_("This team was dissolved; it can no longer be changed."))
    problems = _check_team(locked.area, draft, locked)
    if problems:
        raise ValidationError(problems)
    _write_team(locked, draft)
    return locked


@transaction.atomic
def dissolve_team(team: Team, reason: str, *, by: User, scope: Scope) -> Team:
    """The team ends: its members' memberships end today (their dates are kept), requests
    waiting are declined, and everyone is told why."""
    _require_manager(scope, team.area)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the team is dissolved.")})
    locked = Team.objects.select_for_update().get(pk=team.pk)
    if locked.dissolved_at:
        raise ValidationError(_("This team was dissolved already."))
    now, today = timezone.now(), timezone.localdate()
    open_rows = list(
        Membership.objects.filter(
            team=locked, status__in=[MembershipStatus.REQUESTED, MembershipStatus.ACTIVE]
        ).select_related("volunteer__user")
    )
    for row in open_rows:
        ended = row.status == MembershipStatus.ACTIVE
        row.status = MembershipStatus.REMOVED if ended else MembershipStatus.DECLINED
        row.ended_on = today if ended else None
        row.decided_by, row.decided_at, row.reason = by, now, reason[:200]
        row.save()
    locked.dissolved_at = now
    locked.save(update_fields=["dissolved_at"])
    record("update", locked, note=_("Dissolved: %(reason)s") % {"reason": reason[:200]}, actor=by)
    tell(
        [r.volunteer for r in open_rows],
        _("%(team)s is dissolved") % {"team": locked.name},
        reason,
        locked,
    )
    return locked


@transaction.atomic
def save_category(
    name: str, *, scope: Scope, position: int = 100, category: TeamCategory | None = None
) -> TeamCategory:
    """Add or rename a group of the committee's (or street's) teams (宁聚883's eight)."""
    area = home_of(scope) if category is None else category.area
    if category is not None:
        _require_manager(scope, area)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the group a name.")})
    if len(name) > 40:
        raise ValidationError({"name": _("A name of 40 characters or fewer.")})
    same = TeamCategory.objects.filter(area=area, name=name)
    if category is not None:
        same = same.exclude(pk=category.pk)
    if same.exists():
        raise ValidationError({"name": _("There is a group called %(name)s already.") % {"name": name}})
    if not 0 <= position <= 32767:
        raise ValidationError({"position": _("An order between 0 and 32767.")})
    row = category or TeamCategory(area=area)
    row.name, row.position = name, position
    row.save()
    return row


@transaction.atomic
def delete_category(category: TeamCategory, *, scope: Scope) -> None:
    """A group nobody is in may go; one with members is kept (move them first), so that no
    member silently loses their group."""
    _require_manager(scope, category.area)
    members = Membership.objects.filter(category=category, status=MembershipStatus.ACTIVE).count()
    if members:
        raise ValidationError(
            _("%(n)d members are in the group %(name)s; move them to another group first.")
            % {"n": members, "name": category.name}
        )
    category.delete()


def tell(volunteers: list[Volunteer], title: str, body: str, team: Team) -> None:
    """Tell the volunteers with an account, with a link to the team."""
    users = [v.user for v in volunteers if v.user is not None]
    if users:
        notify(users, kind=NotificationKind.VOLUNTEER, title=title, body=body, url=team.get_absolute_url())
