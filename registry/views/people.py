"""Households and residents: the household card, quick add, edits, moves, tags, consent and
building leaders. Each view parses its form, calls one service and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.models import Area, AreaLevel
from areas.selectors import breadcrumbs
from common.forms import form_errors, posted
from common.scope import Capability, staff_scope
from registry import selectors, services
from registry.forms import (
    ConsentForm,
    HouseholdForm,
    LeaderForm,
    MoveForm,
    NewHouseholdForm,
    PersonForm,
    TagsForm,
)
from registry.models import GroupLeader, Household, Resident
from registry.views.common import area_in_scope, household_in_scope, resident_in_scope, trail

# --- Households -----------------------------------------------------------------------------


@login_required
def household(request, household_id: int):
    scope = staff_scope(request, Capability.VIEW_PEOPLE)
    home = household_in_scope(scope, household_id)
    card = selectors.household_card(home)
    context = {
        "household": home,
        "crumbs": trail(home.building, scope),
        "can_edit": scope.can(Capability.EDIT_REGISTRY),
        **card,
    }
    return render(request, "registry/household.html", context)


@login_required
def household_new(request, code: str):
    """Quick add: a door of a building and its householder, in one form."""
    scope = staff_scope(request, Capability.EDIT_REGISTRY)
    building = area_in_scope(scope, code)
    if building.level != AreaLevel.BUILDING or building.is_retired:
        raise Http404
    form = NewHouseholdForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                home = services.create_household(
                    scope, building, unit=form.cleaned_data["unit"], room=form.cleaned_data["room"]
                )
                person = services.add_resident(scope, home, form.person())
                if form.cleaned_data["tags"]:
                    services.set_tags(scope, person, form.cleaned_data["tags"], request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("Added %(address)s with %(name)s.") % {"address": home.address, "name": person.name},
            )
            return redirect(home)
    return render(
        request,
        "registry/household_new.html",
        {
            "building": building,
            "form": form,
            "crumbs": trail(building, scope),
        },
    )


@login_required
def household_edit(request, household_id: int):
    scope = staff_scope(request, Capability.EDIT_REGISTRY)
    home = household_in_scope(scope, household_id)
    initial = {"unit": home.unit, "room": home.room, "phone": home.phone, "note": home.note}
    form = HouseholdForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_household(scope, home, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved %(address)s.") % {"address": home.address})
            return redirect(home)
    return render(request, "registry/household_edit.html", {"household": home, "form": form})


# --- Residents ------------------------------------------------------------------------------


@login_required
def resident_new(request, household_id: int):
    scope = staff_scope(request, Capability.EDIT_REGISTRY)
    home = household_in_scope(scope, household_id)
    form = PersonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                person = services.add_resident(scope, home, form.person())
                services.set_tags(scope, person, form.cleaned_data["tags"], request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request, _("Added %(name)s to %(address)s.") % {"name": person.name, "address": home.address}
            )
            return redirect(home)
    return render(request, "registry/resident_form.html", {"household": home, "form": form, "resident": None})


@login_required
def resident(request, resident_id: int):
    scope = staff_scope(request, Capability.VIEW_PEOPLE)
    person = resident_in_scope(scope, resident_id)
    context = {
        "resident": person,
        "household": person.household,
        "crumbs": trail(person.household.building, scope),
        "stays": person.residences.select_related("household__building").order_by("moved_in_on", "pk"),
        "tags": list(person.tags.select_related("set_by").order_by("tag")),
        "derived": person.derived_tags(),
        "posts": person.leader_posts.select_related("group").order_by("-since"),
        "proxies": person.proxies.filter(revoked_at__isnull=True).select_related("user"),
        "can_edit": scope.can(Capability.EDIT_REGISTRY) and person.anonymised_at is None,
        "can_reveal": scope.can(Capability.REVEAL_IDENTITY),
        "can_manage_account": scope.can(Capability.MANAGE_ACCOUNTS),
        "consent_form": ConsentForm() if scope.can(Capability.EDIT_REGISTRY) else None,
    }
    return render(request, "registry/resident.html", context)


def _person_initial(person: Resident) -> dict:
    return {
        "name": person.name,
        "gender": person.gender,
        "birth_date": person.birth_date,
        "phone": person.phone,
        "relation": person.relation,
        "residence_type": person.residence_type,
        "moved_in_on": person.moved_in_on,
        "tags": list(person.tags.values_list("tag", flat=True)),
    }


@login_required
def resident_edit(request, resident_id: int):
    scope = staff_scope(request, Capability.EDIT_REGISTRY)
    person = resident_in_scope(scope, resident_id)
    form = PersonForm(posted(request), initial=_person_initial(person), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.update_resident(scope, person, form.person())
                services.set_tags(scope, person, form.cleaned_data["tags"], request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": person.name})
            return redirect(person)
    return render(
        request,
        "registry/resident_form.html",
        {"household": person.household, "form": form, "resident": person},
    )


@login_required
def resident_move(request, resident_id: int):
    """Moved within the committee, moved away, or died."""
    scope = staff_scope(request, Capability.EDIT_REGISTRY)
    person = resident_in_scope(scope, resident_id)
    if not person.is_living:
        messages.error(request, _("%(name)s no longer lives here.") % {"name": person.name})
        return redirect(person)
    buildings = list(
        scope.restrict(Area.objects.subtree(person.committee).filter(level=AreaLevel.BUILDING))
        .active()
        .order_by("path")
    )
    form = MoveForm(posted(request), buildings=buildings, initial={"building": person.household.building_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if data["what"] == MoveForm.WITHIN:
                    target = _door(scope, buildings, data)
                    services.move_resident(scope, person, target, data["relation"], on=data["on"])
                else:
                    services.move_out(
                        scope, person, on=data["on"], deceased=data["what"] == MoveForm.DECEASED
                    )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Recorded for %(name)s.") % {"name": person.name})
            return redirect(person)
    return render(request, "registry/resident_move.html", {"resident": person, "form": form})


def _door(scope, buildings: list[Area], data) -> Household:
    """The household at the chosen door, created if the door has none yet."""
    building = next((b for b in buildings if str(b.pk) == data["building"]), None)
    if building is None:
        raise ValidationError({"building": _("Choose a building of this committee.")})
    unit, room = services.clean_door(data.get("unit") or "", data["room"])
    existing = Household.objects.filter(building=building, unit=unit, room=room).first()
    return existing or services.create_household(scope, building, unit=unit, room=room)


@require_POST
@login_required
def resident_tags(request, resident_id: int):
    scope = staff_scope(request, Capability.EDIT_REGISTRY)
    person = resident_in_scope(scope, resident_id)
    form = TagsForm(request.POST)
    if form.is_valid():
        try:
            services.set_tags(scope, person, form.cleaned_data["tags"], request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Tags of %(name)s saved.") % {"name": person.name})
    else:
        messages.error(request, _("Choose tags from the list."))
    return redirect(person)


@require_POST
@login_required
def resident_consent(request, resident_id: int):
    scope = staff_scope(request, Capability.EDIT_REGISTRY)
    person = resident_in_scope(scope, resident_id)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.record_consent(scope, person, on=form.cleaned_data["on"], how=form.cleaned_data["how"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Consent of %(name)s recorded.") % {"name": person.name})
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
    return redirect(person)


# --- Building leaders -----------------------------------------------------------------------


@login_required
def leaders(request, code: str):
    """The 楼组长 and 第二楼组长 of a building group: appoint and end posts."""
    scope = staff_scope(request, Capability.EDIT_REGISTRY)
    group = area_in_scope(scope, code)
    if not group.is_building_group:
        raise Http404
    if request.method == "POST" and request.POST.get("end"):
        end = request.POST["end"]
        post = get_object_or_404(GroupLeader, pk=int(end) if end.isdigit() else 0, group=group)
        try:
            services.end_leader(scope, post)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s's post has ended.") % {"name": post.resident.name})
        return redirect("registry:leaders", code=group.code)
    people = list(
        Resident.objects.living()
        .filter(household__building__path__startswith=group.path)
        .select_related("household__building")
        .order_by("household__building__path", "household__sort_key", "pk")[:2000]
    )
    form = LeaderForm(posted(request), residents=people)
    if request.method == "POST" and form.is_valid():
        person = next(p for p in people if p.pk == form.cleaned_data["resident"])
        try:
            services.assign_leader(scope, group, person, form.cleaned_data["position"])
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("%(name)s is now in post.") % {"name": person.name})
            return redirect("registry:leaders", code=group.code)
    context = {
        "group": group,
        "crumbs": breadcrumbs(group, scope),
        "posts": selectors.leaders_of(group),
        "form": form,
    }
    return render(request, "registry/leaders.html", context)
