"""Subsidy rules: the list (set by a street or district, read by its committees), one rule with
what it has paid this month and whom it covers today, a new rule, changing or deleting one no
order has used, and ending one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import form_errors, id_in, posted, show_errors
from common.scope import Capability, get_or_404, staff_scope
from meals import subsidies as service
from meals.forms.subsidies import RuleEndForm, RuleForm
from meals.models import MealKind, SubsidyRule
from registry.models import Tag


def _rule(request, rule_id: int) -> SubsidyRule:
    scope = staff_scope(request, Capability.RUN_MEALS)
    return get_or_404(service.seen_by(scope), _("No such subsidy rule."), pk=rule_id)


def _describe(rule: SubsidyRule) -> SubsidyRule:
    """Labels for the template: tags and meals as people read them."""
    tags = dict(Tag.choices)
    meals = dict(MealKind.choices)
    rule.tag_names = [str(tags.get(t, t)) for t in rule.tag_list]  # type: ignore[attr-defined]
    rule.meal_names = [str(meals.get(m, m)) for m in rule.meal_list]  # type: ignore[attr-defined]
    today = timezone.localdate()
    rule.is_ended = rule.valid_until is not None and rule.valid_until < today  # type: ignore[attr-defined]
    rule.is_future = rule.valid_from > today  # type: ignore[attr-defined]
    return rule


@login_required
def rules(request):
    """The rules of the role's area and those above it; fixed queries however many."""
    scope = staff_scope(request, Capability.RUN_MEALS)
    found = [_describe(r) for r in service.seen_by(scope).order_by("area__path", "-valid_from", "pk")]
    return render(
        request,
        "meals/subsidies/list.html",
        {"rules": found, "may_set": service.sets_rules(scope), "area": scope.area},
    )


@login_required
def rule(request, rule_id: int):
    found = _describe(_rule(request, rule_id))
    scope = request.scope
    paid = service.paid_this_month(found)
    may_set = service.sets_rules(scope, found.area)
    used = may_set and service.is_used(found)
    return render(
        request,
        "meals/subsidies/rule.html",
        {
            "rule": found,
            "paid": paid,
            "covered": len(service.covered_diners(found)),
            "may_set": may_set,
            "used": used,
            "end_form": RuleEndForm(
                initial={"until": max(paid.last_day or timezone.localdate(), found.valid_from)}
            )
            if may_set
            else None,
        },
    )


def _form_fields(form: RuleForm) -> dict:
    return dict(form.cleaned_data)


@login_required
def rule_new(request):
    """A new rule; ``?after=<rule id>`` fills it from a rule that ends (a new rule from a date)."""
    scope = staff_scope(request, Capability.RUN_MEALS)
    if not service.sets_rules(scope):
        raise PermissionDenied
    initial = {"valid_from": timezone.localdate(), "area": scope.area.pk}
    after = id_in(request.GET.get("after"))
    if after:
        before = get_or_404(service.seen_by(scope), _("No such subsidy rule."), pk=after)
        initial = service.successor_initial(before)
    form = RuleForm(posted(request), initial=initial, areas=service.areas_for(scope))
    if form.is_bound and form.is_valid():
        try:
            made = service.create(request.user, scope=scope, **_form_fields(form))
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The rule “%(name)s” is set.") % {"name": made.name})
            return redirect(made)
    return render(request, "meals/subsidies/form.html", {"form": form, "rule": None})


@login_required
def rule_edit(request, rule_id: int):
    found = _rule(request, rule_id)
    scope = request.scope
    if not service.sets_rules(scope, found.area):
        raise PermissionDenied
    initial = {
        "area": found.area_id,
        "name": found.name,
        "funder": found.funder,
        "min_age": found.min_age,
        "max_age": found.max_age,
        "tags": found.tag_list,
        "meals": found.meal_list,
        "amount": found.amount,
        "monthly_cap": found.monthly_cap,
        "valid_from": found.valid_from,
        "valid_until": found.valid_until,
    }
    form = RuleForm(posted(request), initial=initial, areas=service.areas_for(scope))
    if form.is_bound and form.is_valid():
        try:
            service.update(request.user, found, scope=scope, **_form_fields(form))
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(found)
    return render(request, "meals/subsidies/form.html", {"form": form, "rule": found})


@login_required
@require_POST
def rule_end(request, rule_id: int):
    found = _rule(request, rule_id)
    form = RuleEndForm(request.POST)
    try:
        ended = service.end(
            request.user,
            found,
            scope=request.scope,
            until=form.cleaned_data["until"] if form.is_valid() else None,
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        day = date_format(ended.valid_until, "DATE_FORMAT") if ended.valid_until else ""
        messages.success(request, _("The rule ends on %(day)s.") % {"day": day})
    return redirect(found)


@login_required
@require_POST
def rule_delete(request, rule_id: int):
    found = _rule(request, rule_id)
    try:
        service.delete(request.user, found, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
        return redirect(found)
    messages.success(request, _("The rule “%(name)s” is deleted.") % {"name": found.name})
    return redirect("meals:rules")
