"""The partner unit's own page ("my unit"), for its people (the partner-unit role and a
current contact of the unit): what it offers (which they keep up to date), the residents'
requests given to it (answered on the requests' own pages, ``demands:unit_request``) and
the shifts it staffs. A contact of several units picks one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.forms import form_errors, id_in
from common.scope import Capability, get_or_404, staff_scope
from partners import selectors, services
from partners.forms import OfferForm
from partners.models import OfferKind, PartnerUnit


def _units(request):
    scope = staff_scope(request, Capability.SERVE_AS_PARTNER)
    return scope, selectors.units_of(request.user, scope)


@login_required
def mine(request):
    """The one unit the login acts for, or the list to pick from."""
    _scope, units = _units(request)
    found = list(units.select_related("area")[:50])
    if len(found) == 1:
        return redirect("partners:mine_unit", unit_id=found[0].pk)
    return render(request, "partners/mine.html", {"units": found})


@login_required
def mine_unit(request, unit_id: int):
    scope, units = _units(request)
    unit: PartnerUnit = get_or_404(units.select_related("area"), _("Not a unit you act for."), pk=unit_id)
    form = OfferForm(request.POST if request.POST.get("action") in ("offer", "update_offer") else None)
    if request.method == "POST" and _act(request, scope, unit, form):
        return redirect("partners:mine_unit", unit_id=unit.pk)
    return render(
        request,
        "partners/mine_unit.html",
        {
            "page": selectors.unit_page(unit, staff=False),
            "form": form,
            "several": units.count() > 1,
            "kinds": OfferKind.choices,
        },
    )


def _act(request, scope, unit: PartnerUnit, form: OfferForm) -> bool:
    what = request.POST.get("action", "")
    try:
        if what == "withdraw_offer":
            offer = get_or_404(unit.offers.all(), pk=id_in(request.POST.get("id")))
            services.withdraw_offer(request.user, scope, offer)
            messages.success(request, _("Offer withdrawn."))
            return True
        if what not in ("offer", "update_offer"):
            messages.error(request, _("Unknown action."))
            return True
        if not form.is_valid():
            return False
        if what == "offer":
            services.add_offer(request.user, scope, unit, **form.cleaned_data)
            messages.success(request, _("Offer added."))
        else:
            offer = get_or_404(unit.offers.all(), pk=id_in(request.POST.get("id")))
            services.update_offer(request.user, scope, offer, **form.cleaned_data)
            messages.success(request, _("Offer updated."))
    except ValidationError as error:
        if what == "withdraw_offer":
            for text in error.messages:
                messages.error(request, text)
            return True
        form_errors(form, error)
        return False
    return True
