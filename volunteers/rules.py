"""Who may act on a team, a shift or someone's hours: the one place it is decided.

Staff act through their scope (``Capability.MANAGE_VOLUNTEERS`` over the team's area); a team
leader acts on their own team through their membership, whatever role they hold. Every
service that decides who may act takes the scope as a required argument and asks here.
"""

from __future__ import annotations

from accounts.models import User
from common.scope import Capability, Scope
from volunteers.models import Membership, MembershipStatus, Team, Volunteer


def volunteer_of(user: User | None) -> Volunteer | None:
    """The volunteer profile of a logged-in user, or None."""
    if user is None or not user.is_authenticated:
        return None
    return Volunteer.objects.filter(user=user).first()


def manages(scope: Scope, area) -> bool:
    """Staff with the volunteers capability over ``area`` (a committee or a street)."""
    return scope.can(Capability.MANAGE_VOLUNTEERS) and scope.covers(area)


def leads(user: User | None, team: Team) -> bool:
    """An active leader of ``team``."""
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        team=team, volunteer__user=user, is_leader=True, status=MembershipStatus.ACTIVE
    ).exists()


def may_run(user: User | None, team: Team, scope: Scope) -> bool:
    """May accept members, post shifts and confirm hours of ``team``: staff over its area or
    one of its leaders."""
    return manages(scope, team.area) or leads(user, team)


def is_member(volunteer: Volunteer, team: Team) -> bool:
    return Membership.objects.filter(team=team, volunteer=volunteer, status=MembershipStatus.ACTIVE).exists()
