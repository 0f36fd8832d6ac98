"""Teams and their members: staff found, edit and dissolve teams and the groups a committee
sorts members into; people ask to join; a leader or staff accepts (into a group) or declines
with a reason; members leave or are removed with a reason. A membership keeps its dates and
is never deleted, so a team's size on any day can be counted afterwards.

Who may act is asked of ``volunteers.rules`` (staff over the team's area, or its leader).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area, AreaLevel
from audit.services import record
from common.scope import Capability, Scope
from notifications.models import NotificationKind
from notifications.services import notify
from volunteers import profiles
from volunteers.models import (
    Membership,
    MembershipStatus,
    Team,
    TeamCategory,
    TeamKind,
    Volunteer,
)
from volunteers.rules import manages, may_run, volunteer_of

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
    _tell(
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


# --- Members -------------------------------------------------------------------------------


def _tell(volunteers: list[Volunteer], title: str, body: str, team: Team) -> None:
    users = [v.user for v in volunteers if v.user is not None]
    if users:
        notify(users, kind=NotificationKind.VOLUNTEER, title=title, body=body, url=team.get_absolute_url())


def _require_runner(by: User, team: Team, scope: Scope) -> None:
    if not may_run(by, team, scope):
        raise PermissionDenied(_("Only the team's leaders and the committee's staff may do this."))


def may_join_problem(volunteer: Volunteer | None, team: Team) -> str:
    """Why ``volunteer`` may not ask to join ``team``, in their words; "" if they may."""
    if team.dissolved_at:
        return _("This team was dissolved.")
    if not team.open_to_join:
        return _("This team does not take requests to join; ask its leader.")
    if volunteer is None:
        return ""
    if volunteer.left_at:
        return _("Your volunteer registration has ended; ask the committee.")
    committee = volunteer.committee
    if team.area_id not in (committee.pk, committee.parent_id):
        return _("This team is in another committee.")
    return ""


@transaction.atomic
def ask_to_join(user: User, team: Team, note: str = "", *, scope: Scope) -> Membership:
    """Ask to join a team, with a word on why; its leaders are told. A resident not yet
    registered as a volunteer is registered from their verified account on the way."""
    volunteer = volunteer_of(user)
    if volunteer is None:
        volunteer = profiles.register_resident(user, profiles.Profile())
    locked = Team.objects.select_for_update().get(pk=team.pk)
    problem = may_join_problem(volunteer, locked)
    if problem:
        raise ValidationError(problem)
    note = " ".join((note or "").split())
    if len(note) > 200:
        raise ValidationError({"note": _("A note of 200 characters or fewer.")})
    existing = Membership.objects.filter(
        team=locked, volunteer=volunteer, status__in=[MembershipStatus.REQUESTED, MembershipStatus.ACTIVE]
    ).first()
    if existing is not None:
        raise ValidationError(
            _("You are a member of %(team)s already.") % {"team": locked.name}
            if existing.status == MembershipStatus.ACTIVE
            else _("You asked to join %(team)s already; its leaders will answer.") % {"team": locked.name}
        )
    try:
        with transaction.atomic():
            made = Membership.objects.create(team=locked, volunteer=volunteer, note=note)
    except IntegrityError:
        raise ValidationError(_("You asked to join %(team)s already.") % {"team": locked.name}) from None
    leaders = Volunteer.objects.filter(
        memberships__team=locked,
        memberships__is_leader=True,
        memberships__status=MembershipStatus.ACTIVE,
        user__isnull=False,
    ).select_related("user")
    _tell(
        list(leaders),
        _("%(name)s asks to join %(team)s") % {"name": volunteer.name, "team": locked.name},
        note,
        locked,
    )
    return made


def _locked(membership: Membership) -> Membership:
    """The membership under its row lock (only its own row: PostgreSQL locks no outer join)."""
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("team__area", "volunteer__user")
        .get(pk=membership.pk)
    )


@transaction.atomic
def accept(
    membership: Membership,
    *,
    by: User,
    scope: Scope,
    category: TeamCategory | None = None,
    joined_on: date | None = None,
) -> Membership:
    """A leader or staff accepts a request, into one of the team's groups; the person is told."""
    row = _locked(membership)
    team = row.team
    _require_runner(by, team, scope)
    if team.dissolved_at:
        raise ValidationError(_("This team was dissolved."))
    if row.status != MembershipStatus.REQUESTED:
        raise ValidationError(
            _("This request was answered already (%(status)s).") % {"status": row.get_status_display()}
        )
    groups = list(team.categories.all())
    if category is not None and category not in groups:
        raise ValidationError(
            {"category": _("%(name)s is not a group of this team.") % {"name": category.name}}
        )
    if category is None and groups:
        raise ValidationError(
            {"category": _("Choose the group %(name)s joins.") % {"name": row.volunteer.name}}
        )
    today = timezone.localdate()
    joined_on = joined_on or today
    if joined_on > today:
        raise ValidationError({"joined_on": _("A member cannot join after today.")})
    row.status, row.category, row.joined_on = MembershipStatus.ACTIVE, category, joined_on
    row.decided_by, row.decided_at = by, timezone.now()
    row.save()
    _tell([row.volunteer], _("Welcome to %(team)s") % {"team": team.name}, team.meets, team)
    return row


@transaction.atomic
def decline(membership: Membership, reason: str, *, by: User, scope: Scope) -> Membership:
    """A leader or staff declines a request, saying why; the person is told the reason."""
    row = _locked(membership)
    _require_runner(by, row.team, scope)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the request is declined; the person is told.")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("A reason of 200 characters or fewer.")})
    if row.status != MembershipStatus.REQUESTED:
        raise ValidationError(
            _("This request was answered already (%(status)s).") % {"status": row.get_status_display()}
        )
    row.status, row.reason = MembershipStatus.DECLINED, reason
    row.decided_by, row.decided_at = by, timezone.now()
    row.save()
    _tell(
        [row.volunteer],
        _("Your request to join %(team)s was declined") % {"team": row.team.name},
        reason,
        row.team,
    )
    return row


@transaction.atomic
def add_member(
    team: Team,
    volunteer: Volunteer,
    *,
    by: User,
    scope: Scope,
    category: TeamCategory | None = None,
    joined_on: date | None = None,
) -> Membership:
    """A leader or staff enter a member directly: someone without a phone who cannot ask
    (an elderly volunteer registered by staff), or a member since years, with their date."""
    locked = Team.objects.select_for_update().get(pk=team.pk)
    _require_runner(by, locked, scope)
    if locked.dissolved_at:
        raise ValidationError(_("This team was dissolved."))
    if volunteer.left_at:
        raise ValidationError(_("%(name)s no longer serves as a volunteer.") % {"name": volunteer.name})
    if locked.area_id not in (volunteer.committee_id, volunteer.committee.parent_id):
        raise ValidationError(_("%(name)s serves in another committee.") % {"name": volunteer.name})
    if Membership.objects.filter(
        team=locked, volunteer=volunteer, status__in=[MembershipStatus.REQUESTED, MembershipStatus.ACTIVE]
    ).exists():
        raise ValidationError(
            _("%(name)s is in %(team)s already, or has asked to join; answer the request instead.")
            % {"name": volunteer.name, "team": locked.name}
        )
    groups = list(locked.categories.all())
    if category is not None and category not in groups:
        raise ValidationError(
            {"category": _("%(name)s is not a group of this team.") % {"name": category.name}}
        )
    if category is None and groups:
        raise ValidationError({"category": _("Choose the group %(name)s joins.") % {"name": volunteer.name}})
    today = timezone.localdate()
    joined_on = joined_on or today
    if joined_on > today:
        raise ValidationError({"joined_on": _("A member cannot join after today.")})
    made = Membership.objects.create(
        team=locked,
        volunteer=volunteer,
        category=category,
        status=MembershipStatus.ACTIVE,
        joined_on=joined_on,
        decided_by=by,
        decided_at=timezone.now(),
    )
    _tell([volunteer], _("Welcome to %(team)s") % {"team": locked.name}, locked.meets, locked)
    return made


def _end(row: Membership, status: str, *, by: User, reason: str = "") -> None:
    today = timezone.localdate()
    row.status = status
    row.ended_on = max(today, row.joined_on) if row.joined_on else today
    row.is_leader = False
    row.decided_by, row.decided_at, row.reason = by, timezone.now(), reason
    row.save()


@transaction.atomic
def leave(membership: Membership, *, by: User) -> Membership:
    """A member leaves (or takes back a request not yet answered): their own, nobody else's."""
    row = _locked(membership)
    if row.volunteer.user_id != by.pk:
        raise PermissionDenied(_("You may leave only your own teams."))
    if row.status == MembershipStatus.REQUESTED:
        row.status, row.decided_by, row.decided_at = MembershipStatus.LEFT, by, timezone.now()
        row.reason = _("Took the request back")
        row.save()
        return row
    if row.status != MembershipStatus.ACTIVE:
        raise ValidationError(_("You are no longer a member of %(team)s.") % {"team": row.team.name})
    _end(row, MembershipStatus.LEFT, by=by)
    return row


@transaction.atomic
def remove(membership: Membership, reason: str, *, by: User, scope: Scope) -> Membership:
    """A leader or staff removes a member, saying why; the member is told."""
    row = _locked(membership)
    _require_runner(by, row.team, scope)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the member is removed; they are told.")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("A reason of 200 characters or fewer.")})
    if row.status != MembershipStatus.ACTIVE:
        raise ValidationError(_("%(name)s is not a member now.") % {"name": row.volunteer.name})
    if row.volunteer.user_id == by.pk:
        raise ValidationError(_("To leave the team yourself, use Leave."))
    _end(row, MembershipStatus.REMOVED, by=by, reason=reason)
    _tell([row.volunteer], _("You were removed from %(team)s") % {"team": row.team.name}, reason, row.team)
    return row


@transaction.atomic
def set_leader(membership: Membership, leader: bool, *, by: User, scope: Scope) -> Membership:
    """Make a member a leader, or no longer one. A team keeps at least one leader once it
    has had one, unless staff step in."""
    row = _locked(membership)
    _require_runner(by, row.team, scope)
    if row.status != MembershipStatus.ACTIVE:
        raise ValidationError(_("%(name)s is not a member now.") % {"name": row.volunteer.name})
    if row.is_leader == leader:
        raise ValidationError(
            _("%(name)s leads the team already.") % {"name": row.volunteer.name}
            if leader
            else _("%(name)s is not a leader.") % {"name": row.volunteer.name}
        )
    if not leader and not manages(scope, row.team.area):
        others = Membership.objects.filter(
            team=row.team, is_leader=True, status=MembershipStatus.ACTIVE
        ).exclude(pk=row.pk)
        if not others.exists():
            raise ValidationError(_("The team needs a leader: make another member a leader first."))
    row.is_leader = leader
    row.save(update_fields=["is_leader"])
    return row


@transaction.atomic
def move_to_group(
    membership: Membership, category: TeamCategory | None, *, by: User, scope: Scope
) -> Membership:
    """Put a member in another of the team's groups."""
    row = _locked(membership)
    _require_runner(by, row.team, scope)
    if row.status != MembershipStatus.ACTIVE:
        raise ValidationError(_("%(name)s is not a member now.") % {"name": row.volunteer.name})
    if category is not None and not row.team.categories.filter(pk=category.pk).exists():
        raise ValidationError(
            {"category": _("%(name)s is not a group of this team.") % {"name": category.name}}
        )
    row.category = category
    row.save(update_fields=["category"])
    return row
