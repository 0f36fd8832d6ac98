"""Shift pages: the open shifts for volunteers ("I'll do it"), my shifts, one shift, and for
staff and team leaders the shifts they run, posting and changing one, and the roster at the
stall (check-in, check-out, did not come). Phone first; every action is a plain form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.forms import form_errors, id_in, posted, show_errors
from common.schemas import day_or_none
from common.scope import Capability, get_or_404
from volunteers import roster, shift_posting, shift_selectors, shifts
from volunteers.forms.shifts import CancelForm, ShiftForm, SwapForm
from volunteers.models import Shift, ShiftClaim, Volunteer

PER_PAGE = 25


def _visible(request, shift_id: int) -> Shift:
    return get_or_404(
        shift_selectors.visible_to(request.user, request.scope), _("No such shift."), pk=shift_id
    )


def _run(request, shift_id: int) -> Shift:
    return get_or_404(
        shift_selectors.run_by(request.user, request.scope).select_related("area", "team", "partner_unit"),
        _("No shift you run."),
        pk=shift_id,
    )


def _claim(request, claim_id: int) -> ShiftClaim:
    """A claim the user holds, or one on a shift they run."""
    return get_or_404(
        shift_selectors.claims_open_to(request.user, request.scope), _("No such claim."), pk=claim_id
    )


@login_required
def index(request):
    """Open shifts: this week's first, then the next four weeks, with places left."""
    day = day_or_none(request.GET.get("week")) or timezone.localdate()
    start, end = shift_selectors.week_bounds(day)
    volunteer = shift_selectors.profile_of(request.user)
    now = timezone.now()
    return render(
        request,
        "volunteers/shifts/index.html",
        {
            "volunteer": volunteer,
            "week": shift_selectors.open_for(request.user, request.scope, volunteer, start, end, now=now),
            "later": shift_selectors.open_for(
                request.user, request.scope, volunteer, end, end + timedelta(days=28), now=now
            ),
            "start": start.date(),
            "end": (end - timedelta(days=1)).date(),
            "previous": (start - timedelta(days=7)).date().isoformat(),
            "next": end.date().isoformat(),
        },
    )


@login_required
def mine(request):
    volunteer = shift_selectors.profile_of(request.user)
    claims = shift_selectors.claims_of(volunteer) if volunteer else []
    return render(request, "volunteers/shifts/mine.html", {"volunteer": volunteer, "claims": claims})


@login_required
def detail(request, shift_id: int):
    shift = _visible(request, shift_id)
    volunteer = shift_selectors.profile_of(request.user)
    own = (
        ShiftClaim.objects.filter(shift=shift, volunteer=volunteer, status__in=shift_selectors.LIVE).first()
        if volunteer
        else None
    )
    problem = shifts.claim_problem(volunteer, shift) if volunteer and own is None else ""
    swap_form = SwapForm(candidates=shift_selectors.swap_candidates(own)) if own and shift.team_id else None
    return render(
        request,
        "volunteers/shifts/detail.html",
        {
            "shift": shift,
            "volunteer": volunteer,
            "own": own,
            "problem": problem,
            "swap_form": swap_form,
            "runs": shifts.runs(request.user, shift, request.scope),
            "can_withdraw": own is not None and timezone.now() < shift.withdraw_until,
        },
    )


@login_required
@require_POST
def claim(request, shift_id: int):
    """ "I'll do it", or (staff and leaders, from the roster) put a volunteer on it."""
    shift = _visible(request, shift_id)
    someone = None
    if request.POST.get("volunteer"):
        someone = Volunteer.objects.filter(pk=id_in(request.POST.get("volunteer"))).first()
        if someone is None:
            raise Http404
    try:
        made = shifts.claim(request.user, shift, scope=request.scope, volunteer=someone)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal) or _("You may not claim this shift."))
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request,
            _("Thank you, %(name)s: you are on %(title)s.")
            % {"name": made.volunteer.name, "title": shift.title},
        )
    if someone is not None:
        return redirect("volunteers:shift_roster", shift_id=shift.pk)
    return redirect(shift)


@login_required
@require_POST
def withdraw(request, claim_id: int):
    found = _claim(request, claim_id)
    try:
        shifts.withdraw(request.user, found, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Withdrawn: the place is free for someone else."))
    if found.volunteer.user_id == request.user.pk:
        return redirect(found.shift)
    return redirect("volunteers:shift_roster", shift_id=found.shift_id)


@login_required
@require_POST
def swap(request, claim_id: int):
    found = _claim(request, claim_id)
    form = SwapForm(request.POST, candidates=shift_selectors.swap_candidates(found))
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, str(text))
        return redirect(found.shift)
    try:
        made = shifts.swap(request.user, found, form.cleaned_data["to"], scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request, _("Handed to %(name)s; both of you are told.") % {"name": made.volunteer.name}
        )
    return redirect(found.shift)


# --- Staff and team leaders ------------------------------------------------------------------


def _posting_choices(request):
    teams = shift_selectors.teams_posted_by(request.user, request.scope)
    areas = [t.area for t in teams]
    if request.scope.can(Capability.MANAGE_VOLUNTEERS) and request.scope.area is not None:
        areas.append(request.scope.area)
    return teams, areas


@login_required
def manage(request):
    """The shifts the user runs, from a week ago on."""
    _teams, areas = _posting_choices(request)
    since = timezone.now() - timedelta(days=7)
    listed = shift_selectors.runnable_list(request.user, request.scope, since)
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    if not areas and not page.object_list:
        raise PermissionDenied(_("Shifts are run by staff of the area and by team leaders."))
    return render(request, "volunteers/shifts/manage.html", {"page": page, "may_post": bool(areas)})


@login_required
def new(request):
    teams, areas = _posting_choices(request)
    if not areas:
        raise PermissionDenied(_("Shifts are posted by staff of the area and by team leaders."))
    form = ShiftForm(posted(request), teams=teams, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            made = shift_posting.post_shift(request.user, form.draft(), scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        except PermissionDenied as refusal:
            form.add_error("team", str(refusal))
        else:
            messages.success(request, _("Posted: volunteers can claim it now."))
            return redirect("volunteers:shift_roster", shift_id=made.pk)
    return render(request, "volunteers/shifts/edit.html", {"form": form, "shift": None})


@login_required
def edit(request, shift_id: int):
    shift = _run(request, shift_id)
    teams, areas = _posting_choices(request)
    form = ShiftForm(posted(request), teams=teams, areas=[*areas, shift.area], shift=shift)
    if request.method == "POST" and form.is_valid():
        try:
            shift_posting.change_shift(request.user, shift, form.draft(), scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("volunteers:shift_roster", shift_id=shift.pk)
    return render(
        request, "volunteers/shifts/edit.html", {"form": form, "shift": shift, "cancel_form": CancelForm()}
    )


@login_required
@require_POST
def cancel(request, shift_id: int):
    shift = _run(request, shift_id)
    try:
        shift_posting.cancel_shift(request.user, shift, request.POST.get("reason", ""), scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
        return redirect("volunteers:shift_edit", shift_id=shift.pk)
    messages.success(request, _("Cancelled; everyone on it is told."))
    return redirect("volunteers:shift_roster", shift_id=shift.pk)


# Each roster action: the service, what is said when done, its button, whether it is the main one.
# What the roster page may do to a claim: the service, what it says, the button, and whether
# it is the main button of its row.
ROSTER_ACTIONS: dict[str, tuple[Callable[..., object], Promise, Promise, bool]] = {
    "check_in": (roster.check_in, gettext_lazy("%(name)s is checked in."), gettext_lazy("Check in"), True),
    "check_out": (
        roster.check_out,
        gettext_lazy("%(name)s is checked out; the hours are recorded."),
        gettext_lazy("Check out"),
        True,
    ),
    "no_show": (
        roster.no_show,
        gettext_lazy("%(name)s is marked as not come."),
        gettext_lazy("Did not come"),
        False,
    ),
    "remove": (
        shifts.withdraw,
        gettext_lazy("%(name)s is taken off the shift and told."),
        gettext_lazy("Take off the shift"),
        False,
    ),
}


@login_required
def roster_page(request, shift_id: int):
    """The list at the stall: big buttons to check each volunteer in and out, or mark them
    as not come; a volunteer without a phone can be put on it here."""
    shift = _run(request, shift_id)
    if request.method == "POST":
        action = ROSTER_ACTIONS.get(request.POST.get("action", ""))
        found = (
            ShiftClaim.objects.select_related("volunteer")
            .filter(shift=shift, pk=id_in(request.POST.get("claim")))
            .first()
        )
        if action is None or found is None:
            messages.error(request, _("Choose a volunteer and what to do."))
        else:
            service, said, _label, _main = action
            try:
                service(request.user, found, scope=request.scope)
            except ValidationError as error:
                show_errors(request, error)
            else:
                messages.success(request, str(said) % {"name": found.volunteer.name})
        return redirect("volunteers:shift_roster", shift_id=shift.pk)
    now = timezone.now()
    rows = [
        (
            c,
            [
                (code, ROSTER_ACTIONS[code][2], ROSTER_ACTIONS[code][3])
                for code in roster.actions(c, shift, now)
            ],
        )
        for c in shift_selectors.roster_of(shift)
    ]
    return render(
        request,
        "volunteers/shifts/roster.html",
        {"shift": shift, "rows": rows, "addable": list(shift_selectors.addable_to(shift))},
    )
