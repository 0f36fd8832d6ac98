"""Pages of teams, members and volunteers.

For residents: the hub (my teams, the directory), a team's page with "ask to join", leaving,
registering as a volunteer (from their account, or with a phone code when they do not live
here). For leaders and staff: the roster with requests waiting. For staff: founding and
editing teams, the committee's groups, the volunteer list and registering a volunteer.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.phone import mask_phone
from areas.models import Area, AreaLevel
from common.forms import form_errors, id_in, posted, show_errors
from common.schemas import day_or_none
from common.scope import Capability, staff_scope
from registry.models import Resident
from volunteers import memberships, profiles, recognition, selectors
from volunteers import teams as services
from volunteers.forms.teams import (
    AcceptForm,
    CategoryForm,
    JoinForm,
    NewcomerForm,
    PhoneForm,
    ProfileForm,
    ReasonForm,
    StaffVolunteerForm,
    TeamForm,
    VolunteerSearchForm,
)
from volunteers.models import Membership, MembershipStatus, Team, TeamCategory, Volunteer
from volunteers.rules import manages, may_run, volunteer_of

PER_PAGE = 30


def _manager_scope(request):
    return staff_scope(request, Capability.MANAGE_VOLUNTEERS)


# --- The hub and the directory ---------------------------------------------------------------


@login_required
def index(request):
    """Staff: their teams, requests waiting, the volunteers; a resident: their teams and the
    teams they may join."""
    scope = request.scope
    staff = scope.can(Capability.MANAGE_VOLUNTEERS)
    volunteer = volunteer_of(request.user)
    context = {
        "staff": staff,
        "volunteer": volunteer,
        "mine": list(selectors.memberships_of(volunteer)),
        "leading": list(selectors.led_by(request.user)),
        "directory": list(selectors.directory_for(request.user)),
        "has_resident": Resident.objects.living().filter(user=request.user).exists(),
        "my_year": recognition.my_year(volunteer, timezone.localdate().year) if volunteer else None,
    }
    if staff:
        context["teams"] = list(selectors.teams_in(scope))
        context["waiting"] = list(selectors.waiting_requests(scope)[:50])
        context["volunteer_count"] = scope.restrict(Volunteer.objects.current()).count()
    return render(request, "volunteers/index.html", context)


@login_required
def directory(request):
    """The teams a resident may find and join, by kind."""
    volunteer = volunteer_of(request.user)
    mine = {m.team_id for m in selectors.memberships_of(volunteer)}
    return render(
        request,
        "volunteers/teams/directory.html",
        {"teams": list(selectors.directory_for(request.user)), "mine": mine},
    )


def _visible(request, team_id: int) -> Team:
    found = selectors.visible_team(request.user, request.scope, team_id)
    if found is None:
        raise Http404(_("No such team."))
    return found


@login_required
def team(request, team_id: int):
    """What the team does, when it meets, how to join (and the button), its coming
    activities, and its size over time as a line and a table."""
    found = _visible(request, team_id)
    own = selectors.own_membership(request.user, found)
    points = selectors.size_history(found)
    problem = "" if own else memberships.may_join_problem(volunteer_of(request.user), found)
    return render(
        request,
        "volunteers/teams/team.html",
        {
            "team": found,
            "own": own,
            "own_is_member": own is not None and own.status == MembershipStatus.ACTIVE,
            "problem": problem,
            "join_form": JoinForm(),
            "may_run": may_run(request.user, found, request.scope),
            "manages": manages(request.scope, found.area),
            "activities": list(selectors.upcoming_activities(found)),
            "categories": list(found.categories.all()),
            "members": found.memberships.filter(status=MembershipStatus.ACTIVE).count(),
            "points": points,
            "chart": selectors.size_chart(points, _("Members")) if points else None,
        },
    )


@login_required
@require_POST
def join(request, team_id: int):
    found = _visible(request, team_id)
    form = JoinForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        memberships.ask_to_join(request.user, found, note, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request, _("You asked to join; the team's leaders will answer, and you will be told.")
        )
    return redirect(found)


@login_required
@require_POST
def leave(request, team_id: int):
    found = _visible(request, team_id)
    own = selectors.own_membership(request.user, found)
    if own is None:
        raise Http404
    try:
        memberships.leave(own, by=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("You are no longer in %(team)s.") % {"team": found.name})
    return redirect("volunteers:index")


# --- The roster (leaders and staff) --------------------------------------------------------------


def _runnable(request, team_id: int) -> Team:
    found = Team.objects.select_related("area").filter(pk=team_id).first()
    if found is None or not may_run(request.user, found, request.scope):
        raise Http404(_("No such team."))
    return found


ROSTER_ACTIONS = {"accept", "decline", "remove", "lead", "unlead", "group"}


@login_required
def roster(request, team_id: int):
    """Members by group with their dates, requests waiting (accept into a group, or decline
    with a reason), and those who left lately."""
    found = _runnable(request, team_id)
    if request.method == "POST":
        _roster_post(request, found)
        return redirect("volunteers:team_roster", team_id=found.pk)
    return render(
        request,
        "volunteers/teams/roster.html",
        {
            "team": found,
            "roster": selectors.roster(found),
            "accept_form": AcceptForm(team=found),
            "categories": list(found.categories.all()),
            "manages": manages(request.scope, found.area),
            "addable": selectors.addable_volunteers(found),
        },
    )


def _add_member(request, found: Team) -> None:
    """Enter a member directly (someone without a phone, a member since years)."""
    chosen = (
        Volunteer.objects.select_related("committee").filter(pk=id_in(request.POST.get("volunteer"))).first()
    )
    category = TeamCategory.objects.filter(pk=id_in(request.POST.get("category"))).first()
    joined_on = day_or_none(request.POST.get("joined_on"))
    if chosen is None:
        messages.error(request, _("Choose the volunteer to add."))
        return
    if request.POST.get("joined_on") and joined_on is None:
        messages.error(request, _("Give the day they joined as a date, such as 2019-05-01."))
        return
    try:
        memberships.add_member(
            found, chosen, by=request.user, scope=request.scope, category=category, joined_on=joined_on
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("%(name)s is a member now.") % {"name": chosen.name})


def _roster_post(request, found: Team) -> None:
    action = request.POST.get("action", "")
    if action == "add":
        _add_member(request, found)
        return
    row = Membership.objects.filter(team=found, pk=id_in(request.POST.get("membership"))).first()
    if row is None or action not in ROSTER_ACTIONS:
        messages.error(request, _("Choose a member and what to do."))
        return
    by, scope = request.user, request.scope
    reason = request.POST.get("reason", "")
    category = TeamCategory.objects.filter(pk=id_in(request.POST.get("category"))).first()
    try:
        if action == "accept":
            memberships.accept(row, by=by, scope=scope, category=category)
            messages.success(request, _("%(name)s is a member now.") % {"name": row.volunteer.name})
        elif action == "decline":
            memberships.decline(row, reason, by=by, scope=scope)
            messages.success(request, _("Declined; %(name)s is told why.") % {"name": row.volunteer.name})
        elif action == "remove":
            memberships.remove(row, reason, by=by, scope=scope)
            messages.success(request, _("%(name)s is removed and told why.") % {"name": row.volunteer.name})
        elif action == "group":
            memberships.move_to_group(row, category, by=by, scope=scope)
            messages.success(request, _("Moved."))
        else:
            memberships.set_leader(row, action == "lead", by=by, scope=scope)
            messages.success(request, _("Saved."))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        show_errors(request, error)


# --- Founding and editing teams; the committee's groups (staff) ------------------------------


def _home_area(scope) -> Area:
    try:
        return services.home_of(scope)
    except PermissionDenied as error:
        raise PermissionDenied(str(error)) from None


@login_required
def team_new(request):
    scope = _manager_scope(request)
    area = _home_area(scope)
    form = TeamForm(posted(request), area=area)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.create_team(form.draft(), scope=scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The team is set up; residents can find it in the directory."))
            return redirect(made)
    return render(request, "volunteers/teams/edit.html", {"form": form, "team": None, "area": area})


def _managed(request, team_id: int) -> Team:
    scope = _manager_scope(request)
    return scope.get(Team.objects.select_related("area"), _("No such team in your area."), pk=team_id)


@login_required
def team_edit(request, team_id: int):
    found = _managed(request, team_id)
    form = TeamForm(posted(request), area=found.area, team=found)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_team(found, form.draft(), scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(found)
    return render(
        request,
        "volunteers/teams/edit.html",
        {"form": form, "team": found, "area": found.area, "dissolve_form": ReasonForm()},
    )


@login_required
@require_POST
def team_dissolve(request, team_id: int):
    found = _managed(request, team_id)
    try:
        services.dissolve_team(found, request.POST.get("reason", ""), by=request.user, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
        return redirect("volunteers:team_edit", team_id=found.pk)
    messages.success(request, _("The team is dissolved; its members are told."))
    return redirect("volunteers:index")


@login_required
def categories(request):
    """The groups a committee sorts its teams' members into: add, rename, remove."""
    scope = _manager_scope(request)
    area = _home_area(scope)
    form = CategoryForm(request.POST if request.method == "POST" and "delete" not in request.POST else None)
    if request.method == "POST":
        existing = (
            scope.restrict(TeamCategory.objects.all()).filter(pk=id_in(request.POST.get("category"))).first()
        )
        try:
            if "delete" in request.POST:
                if existing is None:
                    raise Http404
                services.delete_category(existing, scope=scope)
                messages.success(request, _("The group is removed."))
                return redirect("volunteers:categories")
            if form.is_valid():
                services.save_category(
                    form.cleaned_data["name"],
                    scope=scope,
                    position=form.cleaned_data["position"],
                    category=existing,
                )
                messages.success(request, _("Saved."))
                return redirect("volunteers:categories")
        except ValidationError as error:
            if existing is None:
                form_errors(form, error)
            else:
                show_errors(request, error)
                return redirect("volunteers:categories")
    rows = list(selectors.with_category_counts(scope.restrict(TeamCategory.objects.all())))
    return render(request, "volunteers/teams/categories.html", {"form": form, "rows": rows, "area": area})


# --- Volunteers ---------------------------------------------------------------------------------


@login_required
def volunteers(request):
    """The committee's volunteers: search by name, number or workplace; by team and kind."""
    scope = _manager_scope(request)
    form = VolunteerSearchForm(request.GET or None, teams=selectors.teams_in(scope))
    data = form.cleaned_data if form.is_valid() else {}
    found = selectors.volunteers_in(scope, data.get("q", ""), data.get("team"), data.get("kind", ""))
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    for one in page.object_list:
        one.masked_phone = mask_phone(one.phone)
    return render(request, "volunteers/teams/volunteers.html", {"form": form, "page": page})


@login_required
def volunteer(request, volunteer_id: int):
    """One volunteer: who, skills, when free, teams with dates. Staff over their committee,
    or the volunteer themself."""
    found = Volunteer.objects.select_related("committee").filter(pk=volunteer_id).first()
    if found is None or not (found.user_id == request.user.pk or manages(request.scope, found.committee)):
        raise Http404(_("No such volunteer."))
    staff = manages(request.scope, found.committee)
    problem = ""
    if request.method == "POST" and staff:
        try:
            moved = profiles.move(request.user, found, request.POST.get("committee", ""), scope=request.scope)
        except ValidationError as error:
            problem = " ".join(error.message_dict.get("committee", error.messages))
        else:
            messages.success(
                request,
                _("%(name)s now serves in %(committee)s, with their hours and credits.")
                % {"name": moved.name, "committee": moved.committee.name},
            )
            return redirect("volunteers:volunteers")
    return render(
        request,
        "volunteers/teams/volunteer.html",
        {"v": selectors.volunteer_page(found), "staff": staff, "move_problem": problem},
        status=422 if problem else 200,
    )


def _resident_for(scope, raw) -> Resident | None:
    if not raw:
        return None
    return scope.get(Resident.objects.living(), _("No such resident in your area."), pk=raw)


@login_required
def volunteer_new(request):
    """Staff register a volunteer: a resident from the registry, or someone without a phone."""
    scope = _manager_scope(request)
    committee = scope.committee(_("Volunteers are registered with a committee; act in a committee role."))
    form = StaffVolunteerForm(posted(request), committee=committee)
    if request.method == "POST" and form.is_valid():
        try:
            made = profiles.register_by_staff(
                request.user, form.entry(_resident_for(scope, form.cleaned_data["resident"])), scope=scope
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("%(name)s is registered as a volunteer.") % {"name": made.name})
            return redirect(made)
    return render(request, "volunteers/teams/volunteer_new.html", {"form": form})


@login_required
def me(request):
    """My volunteer profile: a resident registers from their account, a volunteer edits."""
    volunteer = volunteer_of(request.user)
    resident = Resident.objects.living().filter(user=request.user).first()
    if volunteer is not None:
        committee = volunteer.committee
    elif resident is not None:
        committee = Area.objects.get(pk=resident.committee_id)
    else:
        return render(request, "volunteers/teams/me.html", {"form": None, "volunteer": None})
    initial = None
    if volunteer is not None:
        initial = {
            "skills": [s.pk for s in volunteer.skills.all()],
            "availability": volunteer.availability,
            "affiliation": volunteer.affiliation,
        }
    form = ProfileForm(posted(request), committee=committee, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if volunteer is None:
                profiles.register_resident(request.user, form.profile())
                messages.success(request, _("Thank you: you are registered as a volunteer."))
            else:
                profiles.update_profile(request.user, volunteer, form.profile(), scope=request.scope)
                messages.success(request, _("Changes saved."))
        except ValidationError as error:
            form_errors(form, error)
        else:
            return redirect("volunteers:me")
    return render(request, "volunteers/teams/me.html", {"form": form, "volunteer": volunteer})


# --- Registering with a phone (people who do not live here) ---------------------------------------


def _committee(code: str) -> Area:
    found = Area.objects.filter(code=code, level=AreaLevel.COMMITTEE, retired_at__isnull=True).first()
    if found is None:
        raise Http404(_("No such committee."))
    return found


def register(request, code: str):
    """The page a committee's poster links to: someone who does not live here (在职党员, a
    student, a foreign volunteer) registers with their mobile number and an SMS code."""
    committee = _committee(code)
    logged_in = request.user.is_authenticated
    if logged_in and volunteer_of(request.user) is not None:
        messages.info(request, _("You are registered as a volunteer already."))
        return redirect("volunteers:me")
    form = NewcomerForm(posted(request), committee=committee, logged_in=logged_in)
    if request.method == "POST" and form.is_valid():
        try:
            made = profiles.register_with_phone(
                committee, form.newcomer(), user=request.user if logged_in else None
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            if not logged_in:
                login(request, made.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Thank you: you are registered as a volunteer of %(c)s.") % {"c": committee.name}
            )
            return redirect("volunteers:directory")
    phone_form = PhoneForm(initial={"phone": request.user.phone} if logged_in else None)
    return render(
        request,
        "volunteers/teams/register.html",
        {"form": form, "phone_form": phone_form, "committee": committee, "logged_in": logged_in},
    )


@require_POST
def send_code(request, code: str):
    committee = _committee(code)
    form = PhoneForm(request.POST)
    phone = request.user.phone if request.user.is_authenticated else (form.data.get("phone") or "")
    try:
        profiles.send_phone_code(phone, committee)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("A code is on its way by SMS; it works for 10 minutes."))
    return redirect("volunteers:register", code=committee.code)
