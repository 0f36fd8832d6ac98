"""Local talent (睦邻达人) for staff with ``Capability.RUN_AWARDS``: the list by skill, entering a
resident, confirming an offer, taking someone off the list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import form_errors, id_in, posted, show_errors
from common.scope import Capability, staff_scope
from recognition import selectors
from recognition import talent as service
from recognition.forms import TalentForm
from recognition.models import Talent, TalentStatus
from registry.models import Resident
from registry.selectors import search_residents

PER_PAGE = 50


def _staff(request):
    return staff_scope(request, Capability.RUN_AWARDS)


@login_required
def talent_list(request):
    scope = _staff(request)
    skill = request.GET.get("skill", "")[:50]
    status = request.GET.get("status", "")
    status = status if status in TalentStatus.values else ""
    page = Paginator(selectors.talent_in(scope, skill, status), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "recognition/talent/index.html",
        {"page": page, "skill": skill, "status": status, "statuses": TalentStatus.choices},
    )


@login_required
def talent_new(request):
    """Find the resident, then enter their skills; confirmed at once."""
    scope = _staff(request)
    query = request.GET.get("q", "")[:50]
    found = search_residents(scope, query) if query else []
    person = (
        scope.get(
            Resident.objects.living().select_related("household__building"),
            _("No such resident."),
            pk=id_in(request.GET.get("resident")),
        )
        if request.GET.get("resident")
        else None
    )
    form = TalentForm(
        posted(request), initial={"shown_as": service.default_shown_as(person) if person else ""}
    )
    if person is not None and form.is_valid():
        try:
            service.add_talent(request.user, person, service.TalentDraft(**form.cleaned_data), scope=scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Added to the local talent."))
            return redirect("recognition:talent")
    return render(
        request, "recognition/talent/form.html", {"form": form, "person": person, "found": found, "q": query}
    )


def _talent(request, talent_id: int) -> Talent:
    return _staff(request).get(
        Talent.objects.select_related("resident__household__building"), _("No such talent."), pk=talent_id
    )


@login_required
@require_POST
def talent_confirm(request, talent_id: int):
    scope = _staff(request)
    try:
        service.confirm(request.user, _talent(request, talent_id), scope=scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Confirmed: they now appear on the public list."))
    return redirect("recognition:talent")


@login_required
@require_POST
def talent_withdraw(request, talent_id: int):
    scope = _staff(request)
    try:
        service.withdraw(request.user, _talent(request, talent_id), scope=scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Taken off the list."))
    return redirect("recognition:talent")
