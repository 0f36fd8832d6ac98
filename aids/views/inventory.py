"""Kinds of aid, their policies and the items: the pages.

Staff (``Capability.LEND_AIDS``) see the inventory with availability per kind, open a kind
(its items, its queue, lending and asking for a resident), keep the policy and the items.
A resident opening a kind sees what it is, who may borrow it, how many are free and how
long the queue is, and asks for it for themself or someone they act for.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aids import inventory as services
from aids import selectors
from aids.forms.inventory import ConditionForm, ItemForm, KindForm
from aids.forms.lending import AskForm
from aids.holds import eligibility_problem, who_may_borrow
from aids.models import AidItem, AidKind
from aids.rules import keeps, lends
from common.forms import form_errors, posted, show_errors
from common.scope import Capability, get_or_404, staff_scope
from registry.selectors import people_of, search_residents


def _staff(request):
    return staff_scope(request, Capability.LEND_AIDS)


def _kind_of_staff(request, kind_id: int) -> AidKind:
    return get_or_404(selectors.kinds_seen_by(_staff(request)), _("No such kind of aid."), pk=kind_id)


def _item_of_staff(request, item_id: int) -> AidItem:
    return get_or_404(selectors.items_seen_by(_staff(request)), _("No such aid."), pk=item_id)


@login_required
def index(request):
    """The inventory: every kind with items in service, lent, set aside, free and waiting."""
    scope = _staff(request)
    return render(
        request,
        "aids/inventory/index.html",
        {
            "kinds": selectors.inventory(scope),
            "may_add": keeps(scope, scope.area),
            "summary": selectors.due_soon_and_overdue(scope, timezone.localdate()),
        },
    )


@login_required
def kind_new(request):
    scope = _staff(request)
    form = KindForm(posted(request))
    if form.is_valid():
        try:
            made = services.create_kind(form.draft(), scope=scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("%(kind)s added. Now add its items.") % {"kind": made.name})
            return redirect(made)
    return render(request, "aids/inventory/kind_form.html", {"form": form, "kind": None})


@login_required
def kind(request, kind_id: int):
    """Staff: the items, the queue, lending. Residents: what it is and asking for it."""
    found = get_or_404(
        selectors.visible_to(request.user, request.scope), _("No such kind of aid."), pk=kind_id
    )
    counted = selectors.with_counts(AidKind.objects.filter(pk=found.pk)).get()
    counted.free = selectors.free_of(counted)  # type: ignore[attr-defined]
    context = {"kind": counted, "who": who_may_borrow(found), "ask_form": AskForm()}
    if lends(request.scope, found):
        query = request.GET.get("q", "").strip()
        context.update(
            staff=True,
            may_keep=keeps(request.scope, found.area),
            items=selectors.items_of(found),
            queue=selectors.queue(request.scope, found),
            query=query,
            found=search_residents(request.scope, query, limit=20) if query else [],
        )
    else:
        context["people"] = [
            (person, eligibility_problem(found, person)) for person in people_of(request.user)
        ]
    return render(request, "aids/inventory/kind.html", context)


@login_required
def kind_edit(request, kind_id: int):
    found = _kind_of_staff(request, kind_id)
    form = KindForm(posted(request), kind=found)
    if form.is_valid():
        try:
            services.change_kind(found, form.draft(), scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(found)
    return render(request, "aids/inventory/kind_form.html", {"form": form, "kind": found})


@login_required
@require_POST
def kind_archive(request, kind_id: int):
    found = _kind_of_staff(request, kind_id)
    try:
        services.archive_kind(found, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
        return redirect(found)
    messages.success(request, _("%(kind)s is no longer lent.") % {"kind": found.name})
    return redirect("aids:index")


@login_required
def item_new(request, kind_id: int):
    found = _kind_of_staff(request, kind_id)
    form = ItemForm(posted(request), sites=services.sites_for(found))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_item(
                found,
                scope=request.scope,
                code=data["code"],
                site=data["site"],
                condition=data["condition"],
                notes=data["notes"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request, _("%(kind)s %(code)s added.") % {"kind": found.name, "code": data["code"]}
            )
            return redirect(found)
    return render(request, "aids/inventory/item_new.html", {"form": form, "kind": found})


@login_required
def item(request, item_id: int):
    """One item: where it is, its condition, its loans; change it or send it to repair."""
    found = _item_of_staff(request, item_id)
    form = ItemForm(
        posted(request),
        sites=services.sites_for(found.kind),
        editing=True,
        initial={"code": found.code, "site": found.site_id, "notes": found.notes},
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.change_item(
                found, scope=request.scope, code=data["code"], site=data["site"], notes=data["notes"]
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(found)
    loans = found.loans.select_related("resident").order_by("-lent_at", "pk")[:50]
    return render(
        request,
        "aids/inventory/item.html",
        {
            "item": found,
            "form": form,
            "condition_form": ConditionForm(initial={"condition": found.condition}),
            "loans": loans,
            "may_keep": keeps(request.scope, found.kind.area),
        },
    )


@login_required
@require_POST
def item_condition(request, item_id: int):
    found = _item_of_staff(request, item_id)
    form = ConditionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a condition."))
        return redirect(found)
    try:
        services.set_condition(
            found, form.cleaned_data["condition"], scope=request.scope, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Condition saved."))
    return redirect(found)
