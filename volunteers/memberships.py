"""Members of a team: people ask to join (with a note); a leader or staff accepts (into one
of the team's groups) or declines with a reason; leaders and staff add a member directly
(someone without a phone, with their date); members leave or are removed with a reason;
leaders are made and unmade. A membership keeps its dates and is never deleted, so a
team's size on any day can be counted afterwards (``selectors.size_history``).

Who may act is asked of ``volunteers.rules`` (staff over the team's area, or its leader).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.scope import Scope
from volunteers import profiles
from volunteers.models import Membership, MembershipStatus, Team, TeamCategory, Volunteer
from volunteers.rules import manages, may_run, volunteer_of
from volunteers.teams import tell


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
    tell(
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
    tell([row.volunteer], _("Welcome to %(team)s") % {"team": team.name}, team.meets, team)
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
    tell(
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
    tell([volunteer], _("Welcome to %(team)s") % {"team": locked.name}, locked.meets, locked)
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
    tell([row.volunteer], _("You were removed from %(team)s") % {"team": row.team.name}, reason, row.team)
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
