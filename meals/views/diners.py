"""Diners: the list staff keep, registering (by staff, by the resident, by family acting for
them), a diner's page, changing their needs, ending the registration, and revealing the health
conditions with a logged reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.phone import mask_phone
from common.forms import form_errors, id_in, posted, show_errors
from common.scope import Capability, get_or_404, staff_scope
from meals import diners as service
from meals.forms.diners import DinerForm, EndForm, RevealHealthForm
from meals.models import Allergen, Diner, DiningPoint, DishTag
from registry.forms import REASONS
from registry.models import Resident
from registry.selectors import people_of, search_residents

PER_PAGE = 50


def _diner(request, diner_id: int) -> Diner:
    return get_or_404(
        service.visible_to(request.user, request.scope).select_related(
            "resident__household__building", "point", "committee", "registered_by"
        ),
        _("No such diner."),
        pk=diner_id,
    )


def _labels(values: list[str], choices) -> list[str]:
    names = dict(choices)
    return [str(names.get(v, v)) for v in values]


def _points_in(scope):
    return (
        DiningPoint.objects.current()
        .filter(Q(area__path__startswith=scope.path) | Q(serves__path__startswith=scope.path))
        .distinct()
        .order_by("name", "pk")
    )


@login_required
def diners(request):
    """Staff: the diners of their area, by point, delivery and special needs; fixed queries."""
    scope = staff_scope(request, Capability.RUN_MEALS)
    found = (
        service.seen_by_staff(scope)
        .current()
        .select_related("resident__household__building", "point")
        .order_by("point__name", "resident__household__building__path", "resident__household__room", "pk")
    )
    points = list(_points_in(scope))
    point_id = id_in(request.GET.get("point"))
    if point_id:
        found = found.filter(point_id=point_id)
    if request.GET.get("delivery") == "1":
        found = found.filter(delivery=True)
    if request.GET.get("special") == "1":
        found = found.exclude(needs="", allergies="")
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    for diner in page:
        diner.need_names = _labels(diner.need_list, DishTag.choices)  # type: ignore[attr-defined]
        diner.allergy_names = _labels(diner.allergy_list, Allergen.choices)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "meals/diners/list.html",
        {
            "page": page,
            "points": points,
            "point_id": point_id,
            "delivery": request.GET.get("delivery") == "1",
            "special": request.GET.get("special") == "1",
            "query": query.urlencode(),
        },
    )


@login_required
def diner(request, diner_id: int):
    found = _diner(request, diner_id)
    scope = request.scope
    staff = service.manages(scope, found)
    return render(
        request,
        "meals/diners/diner.html",
        {
            "diner": found,
            "staff": staff,
            "may_change": service.may_change(request.user, scope, found),
            "may_reveal": staff and scope.can(Capability.REVEAL_IDENTITY) and bool(found.health_cipher),
            "needs": _labels(found.need_list, DishTag.choices),
            "allergies": _labels(found.allergy_list, Allergen.choices),
            "phone": mask_phone(found.resident.phone),
            "end_form": EndForm() if found.is_current else None,
            "end_reason": service.end_reason(found),
        },
    )


def _resident_for(request, resident_id: int) -> Resident:
    """The resident to register, if the user may act for them; 404 otherwise (nothing said)."""
    person = (
        Resident.objects.filter(pk=resident_id, anonymised_at__isnull=True)
        .select_related("household__building", "household__committee")
        .first()
    )
    if person is None or service.acts_as_diner(request.user, person, request.scope) is None:
        raise Http404(_("No such resident."))
    return person


@login_required
def diner_new(request):
    """Register a diner: staff find a resident by name, room or phone; a resident picks
    themselves or someone they act for."""
    scope = request.scope
    staff = scope.can(Capability.RUN_MEALS)
    resident_id = id_in(request.POST.get("resident") or request.GET.get("resident"))
    if not resident_id:
        query = request.GET.get("q", "").strip() if staff else ""
        choices = [] if staff else people_of(request.user)
        if not staff and not choices:
            raise PermissionDenied
        return render(
            request,
            "meals/diners/new.html",
            {
                "staff": staff,
                "query": query,
                "found": search_residents(scope, query, limit=20) if query else [],
                "choices": choices,
            },
        )
    person = _resident_for(request, resident_id)
    already = Diner.objects.filter(resident=person).first()
    if already is not None and already.is_current:
        messages.info(request, _("%(name)s is already registered.") % {"name": person.name})
        return redirect(already)
    points = service.points_for(person)
    form = DinerForm(
        request.POST if request.method == "POST" and "point" in request.POST else None, points=points
    )
    if form.is_bound and form.is_valid():
        try:
            made = service.register(request.user, person, scope=scope, **form.service_fields())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("%(name)s is registered for meals.") % {"name": person.name})
            return redirect(made)
    return render(request, "meals/diners/form.html", {"form": form, "person": person, "diner": None})


@login_required
def diner_edit(request, diner_id: int):
    found = _diner(request, diner_id)
    if not service.may_change(request.user, request.scope, found) or not found.is_current:
        raise PermissionDenied
    initial = {
        "point": found.point_id,
        "needs": found.need_list,
        "allergies": found.allergy_list,
        "delivery": found.delivery,
        "delivery_note": found.delivery_note,
        "usual_label": found.usual_label,
        "usual_mode": found.usual_mode,
    }
    form = DinerForm(
        posted(request), initial=initial, points=service.points_for(found.resident), editing=True
    )
    if form.is_bound and form.is_valid():
        try:
            service.update(request.user, found, scope=request.scope, **form.service_fields())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(found)
    return render(request, "meals/diners/form.html", {"form": form, "person": found.resident, "diner": found})


@login_required
@require_POST
def diner_end(request, diner_id: int):
    found = _diner(request, diner_id)
    form = EndForm(request.POST)
    try:
        service.end(
            request.user,
            found,
            scope=request.scope,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request, _("%(name)s is no longer registered for meals.") % {"name": found.resident.name}
        )
    return redirect(found)


@never_cache
@login_required
def diner_reveal(request, diner_id: int):
    """GET asks why; POST with a reason shows the health conditions once, in this answer only."""
    scope = staff_scope(request, Capability.REVEAL_IDENTITY)
    found = get_or_404(
        service.seen_by_staff(scope).select_related("resident__household__building", "committee"),
        _("No such diner."),
        pk=diner_id,
    )
    form = RevealHealthForm(posted(request))
    value = None
    if form.is_bound and form.is_valid():
        try:
            value = service.reveal_health(
                request.user, found, scope=scope, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form_errors(form, error)
    context = {"diner": found, "form": form, "value": value, "reasons": REASONS}
    partial = request.headers.get("HX-Target") == "reveal-box"
    return render(request, "meals/diners/_revealed.html" if partial else "meals/diners/reveal.html", context)
