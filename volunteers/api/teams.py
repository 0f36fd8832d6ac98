"""API endpoints of teams, members and volunteers (under /api/v1/volunteers/).

The same services and selectors as the pages: residents see the directory of their committee
and street, ask to join and leave; leaders and staff see the roster and decide; staff found
teams, keep the groups and the volunteers. A team or volunteer the caller may not see answers
404, as on the pages."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from areas.schemas import AreaRef
from common.api import ERRORS, Id, Pages, id_path
from common.schemas import Day, Text
from common.scope import Capability, staff_scope
from registry.models import Resident
from volunteers import memberships, profiles, selectors
from volunteers import teams as services
from volunteers.models import (
    Membership,
    MembershipStatus,
    Service,
    Team,
    TeamCategory,
    TeamKind,
    Volunteer,
    VolunteerKind,
)
from volunteers.rules import manages, may_run, volunteer_of

router = Router(tags=["volunteers"])
TEAM_ID = id_path("A team's id.")
VOLUNTEER_ID = id_path("A volunteer's id.")
MEMBERSHIP_ID = id_path("A membership's (or request's) id.")


# --- Schemas ----------------------------------------------------------------------------------


class TeamCategoryOut(Schema):
    id: int
    name: str
    position: int


class TeamOut(Schema):
    id: int
    name: str
    kind: TeamKind
    area: AreaRef
    about: str
    meets: str
    how_to_join: str
    open_to_join: bool
    founded_on: date | None
    dissolved: bool
    members: int = Field(description="Members now.")
    categories: list[TeamCategoryOut]
    url: str

    @staticmethod
    def resolve_dissolved(obj: Team) -> bool:
        return obj.dissolved_at is not None

    @staticmethod
    def resolve_members(obj: Team) -> int:
        counted = getattr(obj, "members", None)
        if counted is not None:
            return counted
        return obj.memberships.filter(status=MembershipStatus.ACTIVE).count()

    @staticmethod
    def resolve_categories(obj: Team):
        return list(obj.categories.all())

    @staticmethod
    def resolve_url(obj: Team) -> str:
        return obj.get_absolute_url()


class TeamIn(Schema):
    name: Text = Field(..., max_length=60)
    kind: TeamKind
    about: Text = Field("", max_length=5000)
    meets: Text = Field("", max_length=200)
    how_to_join: Text = Field("", max_length=200)
    open_to_join: bool = True
    founded_on: Day | None = None
    categories: list[Id] = Field(
        default_factory=list, max_length=50, description="Ids of the committee's groups."
    )


class MembershipOut(Schema):
    id: int
    team: int
    team_name: str
    volunteer: int
    volunteer_name: str
    status: MembershipStatus
    category: TeamCategoryOut | None
    is_leader: bool
    note: str
    requested_at: datetime
    joined_on: date | None
    ended_on: date | None
    reason: str

    @staticmethod
    def resolve_team(obj: Membership) -> int:
        return obj.team_id

    @staticmethod
    def resolve_team_name(obj: Membership) -> str:
        return obj.team.name

    @staticmethod
    def resolve_volunteer(obj: Membership) -> int:
        return obj.volunteer_id

    @staticmethod
    def resolve_volunteer_name(obj: Membership) -> str:
        return obj.volunteer.name


class TeamRosterGroupOut(Schema):
    category: TeamCategoryOut | None
    members: list[MembershipOut]


class TeamRosterOut(Schema):
    team: int
    size: int
    groups: list[TeamRosterGroupOut]
    requests: list[MembershipOut]


class TeamSizeOut(Schema):
    day: date = Field(description="A month's last day (today for this month).")
    members: int


class TeamJoinIn(Schema):
    note: Text = Field("", max_length=200)


class MembershipDecisionIn(Schema):
    accept: bool
    category: Id | None = Field(None, description="The team's group the member joins (when accepting).")
    reason: Text = Field("", max_length=200, description="Why declined: required when not accepting.")
    joined_on: Day | None = Field(None, description="Staff entering an older membership: since when.")


class TeamAddMemberIn(Schema):
    volunteer: Id
    category: Id | None = Field(None, description="The team's group (required when the team has groups).")
    joined_on: Day | None = Field(None, description="Since when; default today.")


class TeamReasonIn(Schema):
    reason: Text = Field(..., max_length=200)


class MembershipLeaderIn(Schema):
    leader: bool


class VolunteerServiceOut(Schema):
    id: int
    name: str


class VolunteerOut(Schema):
    id: int
    name: str
    kind: VolunteerKind
    committee: AreaRef
    phone: str = Field(description="Masked (138****5678) in lists; empty for someone without a phone.")
    phone_verified: bool
    affiliation: str
    availability: str
    registered_at: datetime
    resident: int | None
    url: str

    @staticmethod
    def resolve_phone(obj: Volunteer) -> str:
        return f"{obj.phone[:3]}****{obj.phone[-4:]}" if obj.phone else ""

    @staticmethod
    def resolve_phone_verified(obj: Volunteer) -> bool:
        return obj.phone_verified_at is not None

    @staticmethod
    def resolve_resident(obj: Volunteer) -> int | None:
        return obj.resident_id

    @staticmethod
    def resolve_url(obj: Volunteer) -> str:
        return obj.get_absolute_url()


class VolunteerDetailOut(VolunteerOut):
    skills: list[VolunteerServiceOut]
    memberships: list[MembershipOut]

    @staticmethod
    def resolve_skills(obj: Volunteer):
        return list(obj.skills.all())

    @staticmethod
    def resolve_memberships(obj: Volunteer):
        return list(obj.memberships.all())


class VolunteerProfileIn(Schema):
    skills: list[Id] = Field(default_factory=list, max_length=50, description="Ids of services offered.")
    availability: Text = Field("", max_length=200)
    affiliation: Text = Field("", max_length=120)


class NewVolunteerIn(VolunteerProfileIn):
    name: Text = Field("", max_length=60)
    kind: VolunteerKind = VolunteerKind.RESIDENT
    phone: Text = Field("", max_length=20, description="Empty for an elderly volunteer without a phone.")
    resident: Id | None = Field(None, description="The resident in the registry, for a resident volunteer.")


class VolunteerQuery(Schema):
    q: Text = Query("", max_length=50, description="Name, number or workplace.")
    team: Id | None = Query(None, description="Only members of this team.")
    kind: VolunteerKind | None = Query(None)


# --- Helpers ----------------------------------------------------------------------------------


def _visible(request, team_id: int) -> Team:
    found = selectors.visible_team(request.user, request.scope, team_id)
    if found is None:
        raise HttpError(404, _("No such team."))
    return found


def _managed(request, team_id: int) -> Team:
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    return scope.get(Team.objects.select_related("area"), _("No such team in your area."), pk=team_id)


def _membership(request, membership_id: int) -> Membership:
    found = (
        Membership.objects.select_related("team__area", "volunteer", "category")
        .filter(pk=membership_id)
        .first()
    )
    if found is None or not may_run(request.user, found.team, request.scope):
        raise HttpError(404, _("No such membership in a team you run."))
    return found


def _profile(payload: VolunteerProfileIn, committee) -> profiles.Profile:
    skills = list(profiles.services_for(committee).filter(pk__in=payload.skills))
    missing = set(payload.skills) - {s.pk for s in skills}
    if missing:
        raise HttpError(
            422, _("No service %(ids)s here.") % {"ids": ", ".join(map(str, sorted(missing)))[:100]}
        )
    return profiles.Profile(skills, payload.availability, payload.affiliation)


def _draft(payload: TeamIn, area) -> services.TeamDraft:
    groups = list(services.categories_for(area).filter(pk__in=payload.categories))
    missing = set(payload.categories) - {c.pk for c in groups}
    if missing:
        raise HttpError(
            422,
            _("No group %(ids)s in this committee.") % {"ids": ", ".join(map(str, sorted(missing)))[:100]},
        )
    data = payload.dict()
    data["categories"] = groups
    return services.TeamDraft(**data)


def _with_relations(rows):
    return rows.select_related("team", "volunteer", "category")


# --- Residents ---------------------------------------------------------------------------------


@router.get("/teams", response={200: list[TeamOut], **ERRORS}, summary="Teams I may join (the directory)")
def directory(request):
    """The current teams of the caller's committee and its street, with how many members each has."""
    return list(selectors.directory_for(request.user).prefetch_related("categories"))


@router.get("/teams/mine", response={200: list[MembershipOut], **ERRORS}, summary="My teams and requests")
def my_teams(request):
    return list(_with_relations(selectors.memberships_of(volunteer_of(request.user))))


@router.get("/teams/{int:team_id}", response={200: TeamOut, **ERRORS}, summary="One team")
def get_team(request, team_id: int = TEAM_ID):
    return _visible(request, team_id)


@router.get(
    "/teams/{int:team_id}/size", response={200: list[TeamSizeOut], **ERRORS}, summary="Members month by month"
)
def size(request, team_id: int = TEAM_ID):
    """The members at each month's end, from the memberships' dates (this month: today)."""
    return [{"day": d, "members": n} for d, n in selectors.size_history(_visible(request, team_id))]


@router.post("/teams/{int:team_id}/join", response={201: MembershipOut, **ERRORS}, summary="Ask to join")
def join(request, payload: TeamJoinIn, team_id: int = TEAM_ID):
    """A resident not yet a volunteer is registered from their verified account on the way."""
    team = _visible(request, team_id)
    return Status(201, memberships.ask_to_join(request.user, team, payload.note, scope=request.scope))


@router.post(
    "/teams/{int:team_id}/leave",
    response={200: MembershipOut, **ERRORS},
    summary="Leave (or take a request back)",
)
def leave(request, team_id: int = TEAM_ID):
    team = _visible(request, team_id)
    own = selectors.own_membership(request.user, team)
    if own is None:
        raise HttpError(404, _("You are not in this team."))
    return memberships.leave(own, by=request.user)


@router.get("/me", response={200: VolunteerDetailOut, **ERRORS}, summary="My volunteer profile")
def me(request):
    found = volunteer_of(request.user)
    if found is None:
        raise HttpError(404, _("You are not registered as a volunteer."))
    return selectors.volunteer_page(found)


@router.post(
    "/me", response={201: VolunteerDetailOut, **ERRORS}, summary="Register as a volunteer (a resident)"
)
def register_me(request, payload: VolunteerProfileIn):
    """From the caller's account verified against the registry; someone who does not live here
    registers on the committee's page with an SMS code."""
    resident = Resident.objects.living().filter(user=request.user).first()
    if resident is None:
        raise HttpError(400, _("Your account is not yet verified against the committee's registry."))
    made = profiles.register_resident(request.user, _profile(payload, resident.committee))
    return Status(201, selectors.volunteer_page(made))


@router.put("/me", response={200: VolunteerDetailOut, **ERRORS}, summary="Change my skills and times")
def update_me(request, payload: VolunteerProfileIn):
    found = volunteer_of(request.user)
    if found is None:
        raise HttpError(404, _("You are not registered as a volunteer."))
    profiles.update_profile(request.user, found, _profile(payload, found.committee), scope=request.scope)
    return selectors.volunteer_page(found)


@router.get(
    "/services", response={200: list[VolunteerServiceOut], **ERRORS}, summary="Services a volunteer may offer"
)
def services_offered(request):
    found = volunteer_of(request.user)
    if found is not None:
        return list(profiles.services_for(found.committee))
    return list(Service.objects.filter(area__isnull=True, retired_at__isnull=True))


# --- Leaders and staff -------------------------------------------------------------------------


@router.get(
    "/teams/{int:team_id}/roster",
    response={200: TeamRosterOut, **ERRORS},
    summary="The roster (leaders, staff)",
)
def roster(request, team_id: int = TEAM_ID):
    team = Team.objects.select_related("area").filter(pk=team_id).first()
    if team is None or not may_run(request.user, team, request.scope):
        raise HttpError(404, _("No such team that you run."))
    found = selectors.roster(team)
    for row in [*found.requests, *(m for g in found.groups for m in g.members)]:
        row.team = team
    return {
        "team": team.pk,
        "size": found.size,
        "groups": [{"category": g.category, "members": g.members} for g in found.groups],
        "requests": found.requests,
    }


@router.post(
    "/teams/{int:team_id}/members", response={201: MembershipOut, **ERRORS}, summary="Add a member directly"
)
def add_member(request, payload: TeamAddMemberIn, team_id: int = TEAM_ID):
    """For someone who cannot ask (an elderly volunteer without a phone), or a member since
    earlier years, with their date. Leaders and staff."""
    team = Team.objects.select_related("area").filter(pk=team_id).first()
    if team is None or not may_run(request.user, team, request.scope):
        raise HttpError(404, _("No such team that you run."))
    chosen = Volunteer.objects.select_related("committee").filter(pk=payload.volunteer).first()
    if chosen is None:
        raise HttpError(404, _("No such volunteer."))
    category = TeamCategory.objects.filter(pk=payload.category).first() if payload.category else None
    if payload.category and category is None:
        raise HttpError(422, _("No such group."))
    made = memberships.add_member(
        team, chosen, by=request.user, scope=request.scope, category=category, joined_on=payload.joined_on
    )
    return Status(201, made)


@router.post(
    "/memberships/{int:membership_id}/decision",
    response={200: MembershipOut, **ERRORS},
    summary="Accept or decline a request",
)
def decide(request, payload: MembershipDecisionIn, membership_id: int = MEMBERSHIP_ID):
    row = _membership(request, membership_id)
    try:
        if payload.accept:
            category = TeamCategory.objects.filter(pk=payload.category).first() if payload.category else None
            if payload.category and category is None:
                raise HttpError(422, _("No such group."))
            return memberships.accept(
                row, by=request.user, scope=request.scope, category=category, joined_on=payload.joined_on
            )
        return memberships.decline(row, payload.reason, by=request.user, scope=request.scope)
    except PermissionDenied:
        raise HttpError(404, _("No such membership in a team you run.")) from None


@router.post(
    "/memberships/{int:membership_id}/remove",
    response={200: MembershipOut, **ERRORS},
    summary="Remove a member",
)
def remove(request, payload: TeamReasonIn, membership_id: int = MEMBERSHIP_ID):
    return memberships.remove(
        _membership(request, membership_id), payload.reason, by=request.user, scope=request.scope
    )


@router.post(
    "/memberships/{int:membership_id}/leader",
    response={200: MembershipOut, **ERRORS},
    summary="Make or unmake a leader",
)
def leader(request, payload: MembershipLeaderIn, membership_id: int = MEMBERSHIP_ID):
    return memberships.set_leader(
        _membership(request, membership_id), payload.leader, by=request.user, scope=request.scope
    )


@router.get(
    "/teams/manage", response={200: list[TeamOut], **ERRORS}, summary="The teams of my committee or street"
)
@paginate(Pages)
def teams_in_scope(request):
    return selectors.teams_in(staff_scope(request, Capability.MANAGE_VOLUNTEERS)).prefetch_related(
        "categories"
    )


@router.post("/teams", response={201: TeamOut, **ERRORS}, summary="Found a team")
def create_team(request, payload: TeamIn):
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    return Status(201, services.create_team(_draft(payload, services.home_of(scope)), scope=scope))


@router.put("/teams/{int:team_id}", response={200: TeamOut, **ERRORS}, summary="Change a team")
def update_team(request, payload: TeamIn, team_id: int = TEAM_ID):
    team = _managed(request, team_id)
    return services.update_team(team, _draft(payload, team.area), scope=request.scope)


@router.post("/teams/{int:team_id}/dissolve", response={200: TeamOut, **ERRORS}, summary="Dissolve a team")
def dissolve(request, payload: TeamReasonIn, team_id: int = TEAM_ID):
    return services.dissolve_team(
        _managed(request, team_id), payload.reason, by=request.user, scope=request.scope
    )


@router.get("/people", response={200: list[VolunteerOut], **ERRORS}, summary="The volunteers of my committee")
@paginate(Pages)
def volunteers(request, query: Query[VolunteerQuery]):
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    team = (
        scope.get(Team.objects.all(), _("No such team in your area."), pk=query.team) if query.team else None
    )
    return selectors.volunteers_in(scope, query.q, team, query.kind or "")


@router.get(
    "/people/{int:volunteer_id}", response={200: VolunteerDetailOut, **ERRORS}, summary="One volunteer"
)
def get_volunteer(request, volunteer_id: int = VOLUNTEER_ID):
    found = Volunteer.objects.select_related("committee").filter(pk=volunteer_id).first()
    if found is None or not (found.user_id == request.user.pk or manages(request.scope, found.committee)):
        raise HttpError(404, _("No such volunteer."))
    return selectors.volunteer_page(found)


@router.post("/people", response={201: VolunteerDetailOut, **ERRORS}, summary="Register a volunteer (staff)")
def create_volunteer(request, payload: NewVolunteerIn):
    """A resident of the registry, or someone named here with or without a phone."""
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    committee = scope.committee(_("Volunteers are registered with a committee; act in a committee role."))
    resident = (
        scope.get(Resident.objects.living(), _("No such resident in your area."), pk=payload.resident)
        if payload.resident
        else None
    )
    entry = profiles.StaffEntry(
        name=payload.name,
        kind=payload.kind,
        phone=payload.phone,
        resident=resident,
        profile=_profile(payload, committee),
    )
    return Status(201, selectors.volunteer_page(profiles.register_by_staff(request.user, entry, scope=scope)))
