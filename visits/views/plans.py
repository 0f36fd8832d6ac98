"""Visit plans: the list, a new plan split automatically, its coverage page with the
households still to visit, its title and period, who has which building group, and deleting
a plan made by mistake."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from areas.models import AreaLevel
from common.forms import form_errors, posted
from common.scope import Capability, staff_scope
from visits import planning, selectors, services
from visits.forms import PlanEditForm, PlanForm, SharesForm

PER_PAGE = 20
TO_VISIT_PER_PAGE = 50


def _can_plan(scope) -> bool:
    return (
        scope.can(Capability.VISIT_HOUSEHOLDS)
        and scope.area is not None
        and scope.area.level == AreaLevel.COMMITTEE
    )


@login_required
def plans(request):
    scope = staff_scope(request, *services.VISITOR)
    page = Paginator(selectors.plans_in(scope), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "visits/plans.html",
        {"page": page, "can_plan": _can_plan(scope)},
    )


@login_required
def new(request):
    scope = staff_scope(request, *services.VISITOR)
    committee = services.committee_of_scope(scope)
    eligible = planning.eligible_workers(committee)
    form = PlanForm(posted(request), eligible=eligible, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(request.user, scope, form.draft())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("Plan saved and shared out; every worker has been told which building groups are theirs."),
            )
            return redirect("visits:plan", plan_id=plan.pk)
    units = planning.units_of(committee)
    return render(
        request,
        "visits/plan_new.html",
        {
            "form": form,
            "units": units,
            "households": sum(u.households for u in units),
            "committee": committee,
        },
    )


@login_required
def plan(request, plan_id: int):
    """Coverage per building, building group and worker, and the households still to visit."""
    scope = staff_scope(request, *services.VISITOR)
    found = selectors.plan_in_scope(scope, plan_id)
    covered = selectors.coverage(found, scope)
    mine = request.GET.get("mine") == "1"
    left = selectors.to_visit(found, scope, worker=request.user if mine else None)
    page = Paginator(left, TO_VISIT_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "visits/plan.html",
        {
            "plan": found,
            "coverage": covered,
            "page": page,
            "mine": mine,
            "query": "mine=1" if mine else "",
            "can_plan": _can_plan(scope) and scope.covers(found.committee),
            "today": timezone.localdate(),
        },
    )


@login_required
def edit(request, plan_id: int):
    scope = staff_scope(request, *services.VISITOR)
    found = selectors.plan_in_scope(scope, plan_id)
    services.require_own_plan(scope, found)
    initial = {"title": found.title, "starts_on": found.starts_on, "ends_on": found.ends_on}
    form = PlanEditForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_plan(scope, found, data["title"], data["starts_on"], data["ends_on"])
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("visits:plan", plan_id=found.pk)
    deletable = services.deletion_refused(found) is None
    return render(request, "visits/plan_edit.html", {"plan": found, "form": form, "deletable": deletable})


@login_required
def delete(request, plan_id: int):
    """Asks first (GET), deletes on POST: a plan made by mistake, before it has ended."""
    scope = staff_scope(request, *services.VISITOR)
    found = selectors.plan_in_scope(scope, plan_id)
    services.require_own_plan(scope, found)
    problem = None
    if request.method == "POST":
        try:
            services.delete_plan(scope, found)
        except ValidationError as error:
            problem = error.messages[0]
        else:
            messages.success(
                request,
                _("The plan “%(title)s” is deleted; the visits logged stay in the households' records.")
                % {"title": found.title},
            )
            return redirect("visits:plans")
    else:
        problem = services.deletion_refused(found)
    workers = found.shares.exclude(worker=request.user).values("worker").distinct().count()
    return render(request, "visits/plan_delete.html", {"plan": found, "problem": problem, "workers": workers})


@login_required
def shares(request, plan_id: int):
    """Change any building group's worker; give one to households that have none."""
    scope = staff_scope(request, *services.VISITOR)
    found = selectors.plan_in_scope(scope, plan_id)
    services.require_own_plan(scope, found)
    units = planning.units_of(found.committee)
    current = {s.area_id: s for s in found.shares.select_related("worker")}
    eligible = planning.eligible_workers(found.committee)
    form = SharesForm(posted(request), units=units, current=current, eligible=eligible)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.assign_shares(scope, found, form.changes())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d building group changed hands; the new worker has been told.",
                    "%(n)d building groups changed hands; the new workers have been told.",
                    changed,
                )
                % {"n": changed},
            )
            return redirect("visits:plan", plan_id=found.pk)
    missing = [u for u in units if u.area.pk not in current]
    return render(request, "visits/plan_shares.html", {"plan": found, "form": form, "missing": missing})
