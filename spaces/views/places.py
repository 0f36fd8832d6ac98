"""Sites, spaces, their hours, closures and rules; the public page: the pages.

The public page of a committee (``public``) and of one space (``space``) need no login: what
can be booked, where, when and how, with the free times of the coming days. Staff keep the
sites and spaces on the other pages (``Capability.MANAGE_SPACES``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.models import Area
from areas.selectors import committee_of
from common.forms import form_errors, posted, show_errors
from common.scope import Capability, get_or_404, staff_scope
from registry.selectors import committees_of
from spaces import places, selectors
from spaces.forms.places import (
    AudienceRuleForm,
    ClosureForm,
    HoursForm,
    PhotosForm,
    PrioritySlotForm,
    SiteForm,
    SpaceForm,
)
from spaces.models import AudienceRule, Closure, PrioritySlot, Site, Space, SpacePhoto
from volunteers.models import Team


def _committee(code: str) -> Area:
    area = Area.objects.filter(code=code).first()
    committee = committee_of(area) if area is not None else None
    if committee is None:
        raise Http404(_("No committee with code %(code)s.") % {"code": code})
    return committee


# --- For everyone --------------------------------------------------------------------------------


@login_required
def index(request):
    """Staff to the places they keep; a resident to their committee's page."""
    if request.scope.can(Capability.MANAGE_SPACES):
        return redirect("spaces:places")
    homes = Area.objects.filter(pk__in=committees_of(request.user)).order_by("path")
    first = homes.first()
    if first is not None:
        return redirect("spaces:public", code=first.code)
    return redirect("spaces:my_bookings")


def public(request, code: str):
    """A committee's spaces: where, when open, the rules, how to book and the free times of
    the coming days. No login needed; shows nobody's name."""
    committee = _committee(code)
    return render(
        request,
        "spaces/places/public.html",
        {"committee": committee, "sites": selectors.public_places(committee)},
    )


def space(request, space_id: int):
    found = get_or_404(
        Space.objects.current().select_related("area", "site"), _("No such space."), pk=space_id
    )
    return render(request, "spaces/places/space.html", {"row": selectors.public_space(found), "space": found})


def photo(request, space_photo_id: int):
    """A space's photo, for the public page (only of a space still offered)."""
    item = get_or_404(
        SpacePhoto.objects.filter(space__archived_at__isnull=True), _("No such photo."), pk=space_photo_id
    )
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, filename=item.name)


# --- Staff: sites ----------------------------------------------------------------------------------


def _scope(request):
    return staff_scope(request, Capability.MANAGE_SPACES)


@login_required
def staff_list(request):
    scope = _scope(request)
    return render(
        request,
        "spaces/places/staff_list.html",
        {
            "sites": list(selectors.staff_sites(scope).order_by("closed_at", "name", "pk")),
            "spaces": list(selectors.staff_spaces(scope).order_by("archived_at", "name", "pk")),
            "committee": scope.in_committee,
        },
    )


def _site(request, site_id: int) -> Site:
    scope = _scope(request)
    return scope.get(Site.objects.select_related("area"), _("No site you keep."), pk=site_id)


@login_required
def site_new(request):
    scope = _scope(request)
    form = SiteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            made = places.create_site(request.user, scope.area, form.cleaned_data, scope=scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Site added."))
            return redirect(made)
    return render(request, "spaces/places/site.html", {"form": form, "site": None})


@login_required
def site(request, site_id: int):
    found = _site(request, site_id)
    form = SiteForm(posted(request), instance=found)
    if request.method == "POST" and form.is_valid():
        try:
            places.change_site(request.user, found, form.cleaned_data, scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(found)
    return render(request, "spaces/places/site.html", {"form": form, "site": found})


@login_required
@require_POST
def site_close(request, site_id: int):
    found = _site(request, site_id)
    try:
        places.close_site(request.user, found, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("%(site)s is closed.") % {"site": found.name})
    return redirect(found)


# --- Staff: spaces ---------------------------------------------------------------------------------


def _kept(request, space_id: int) -> Space:
    scope = _scope(request)
    return scope.get(selectors.kept_spaces(scope), _("No space you keep."), pk=space_id)


def _sites_for(area: Area):
    return Site.objects.current().filter(area=area).order_by("name", "pk")


def _teams_for(space: Space):
    return Team.objects.filter(dissolved_at__isnull=True, area__path__startswith=space.area.path).order_by(
        "name"
    )


@login_required
def space_new(request):
    scope = _scope(request)
    if scope.area is None:
        raise PermissionDenied
    form = SpaceForm(posted(request), sites=_sites_for(scope.area))
    if request.method == "POST" and form.is_valid():
        try:
            made = places.create_space(request.user, scope.area, form.cleaned_data, scope=scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Space added: now give its opening hours."))
            return redirect("spaces:space_hours", space_id=made.pk)
    return render(request, "spaces/places/space_form.html", {"form": form, "space": None})


def _edit_page(request, found: Space, status: int = 200, **forms):
    context = {
        "space": found,
        "form": forms.get("form") or SpaceForm(instance=found, sites=_sites_for(found.area)),
        "closure_form": forms.get("closure_form") or ClosureForm(),
        "rule_form": forms.get("rule_form") or AudienceRuleForm(),
        "slot_form": forms.get("slot_form") or PrioritySlotForm(teams=_teams_for(found)),
        "photos_form": forms.get("photos_form") or PhotosForm(),
        "hours": list(found.hours.all()),
        "closures": list(found.closures.all()),
        "rules": list(found.audience_rules.all()),
        "slots": list(found.priority_slots.select_related("team")),
        "photos": list(found.photos.all()),
    }
    return render(request, "spaces/places/space_form.html", context, status=status)


@login_required
def space_edit(request, space_id: int):
    found = _kept(request, space_id)
    form = SpaceForm(posted(request), instance=found, sites=_sites_for(found.area))
    if request.method == "POST" and form.is_valid():
        try:
            places.change_space(request.user, found, form.cleaned_data, scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("spaces:space_edit", space_id=found.pk)
    if request.method == "POST":
        found.refresh_from_db()
    return _edit_page(request, found, form=form)


@login_required
def space_hours(request, space_id: int):
    found = _kept(request, space_id)
    form = HoursForm(posted(request), space=found)
    if request.method == "POST" and form.is_valid():
        try:
            places.set_hours(request.user, found, form.cleaned_data["week"], scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Opening hours saved."))
            return redirect("spaces:space_edit", space_id=found.pk)
    return render(request, "spaces/places/hours.html", {"form": form, "space": found})


@login_required
@require_POST
def closure_add(request, space_id: int):
    found = _kept(request, space_id)
    form = ClosureForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            places.add_closure(
                request.user, found, data["starts_at"], data["ends_at"], data["reason"], scope=request.scope
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Closure added."))
            return redirect("spaces:space_edit", space_id=found.pk)
    return _edit_page(request, found, 422, closure_form=form)


@login_required
@require_POST
def audience_rule_add(request, space_id: int):
    found = _kept(request, space_id)
    form = AudienceRuleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            places.add_audience_rule(
                request.user,
                found,
                scope=request.scope,
                days=data["weekdays"],
                starts=data["starts"],
                ends=data["ends"],
                note=data["note"],
                min_age=data["min_age"],
                tags=data["tags"],
                free=data["free"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Rule added."))
            return redirect("spaces:space_edit", space_id=found.pk)
    return _edit_page(request, found, 422, rule_form=form)


@login_required
@require_POST
def priority_slot_add(request, space_id: int):
    found = _kept(request, space_id)
    form = PrioritySlotForm(request.POST, teams=_teams_for(found))
    if form.is_valid():
        data = form.cleaned_data
        try:
            places.add_priority_slot(
                request.user,
                found,
                data["team"],
                scope=request.scope,
                days=data["weekdays"],
                starts=data["starts"],
                ends=data["ends"],
                release_hours=data["release_hours"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Priority slot added."))
            return redirect("spaces:space_edit", space_id=found.pk)
    return _edit_page(request, found, 422, slot_form=form)


@login_required
@require_POST
def photos_add(request, space_id: int):
    found = _kept(request, space_id)
    form = PhotosForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            places.add_photos(request.user, found, form.cleaned_data["photos"], scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Photos added."))
            return redirect("spaces:space_edit", space_id=found.pk)
    return _edit_page(request, found, 422, photos_form=form)


@login_required
@require_POST
def space_archive(request, space_id: int):
    found = _kept(request, space_id)
    try:
        places.archive_space(request.user, found, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
        return redirect("spaces:space_edit", space_id=found.pk)
    messages.success(request, _("%(space)s is archived: it is no longer offered.") % {"space": found.name})
    return redirect("spaces:places")


def _remove(request, model, pk: int, service, said: str):
    scope = _scope(request)
    found = scope.get(model.objects.select_related("space__area"), _("Not found in your area."), pk=pk)
    service(request.user, found, scope=scope)
    messages.success(request, said)
    return redirect("spaces:space_edit", space_id=found.space_id)


@login_required
@require_POST
def closure_remove(request, closure_id: int):
    return _remove(request, Closure, closure_id, places.remove_closure, _("Closure removed."))


@login_required
@require_POST
def audience_rule_remove(request, audience_rule_id: int):
    return _remove(request, AudienceRule, audience_rule_id, places.remove_audience_rule, _("Rule removed."))


@login_required
@require_POST
def priority_slot_remove(request, priority_slot_id: int):
    return _remove(
        request, PrioritySlot, priority_slot_id, places.remove_priority_slot, _("Priority slot removed.")
    )


@login_required
@require_POST
def photo_remove(request, space_photo_id: int):
    return _remove(request, SpacePhoto, space_photo_id, places.remove_photo, _("Photo removed."))
