"""Who may keep a fund, approve its expenses and see it: the one place it is decided.

A fund belongs to a committee or a street (its ``area``). Staff with ``Capability.KEEP_FUNDS``
over that area keep it (``keeps``): its campaigns, gifts, expenses, corrections and bank
statements. Staff with ``Capability.APPROVE_EXPENSES`` over it approve its expenses
(``approves``), but never one they recorded, and never twice the same one. Anyone, without
logging in, reads a fund's public page: its counters and every movement, donors as they chose.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from areas.models import Area, AreaLevel
from common.scope import Capability, Scope, get_or_404
from funds.models import Campaign, Expense, Fund

KEPT_BY_LEVELS = (AreaLevel.COMMITTEE, AreaLevel.STREET)


def keeps_area(scope: Scope, area: Area | None) -> bool:
    """May open a fund kept by ``area`` (a committee or street of their scope)."""
    return bool(
        area is not None
        and area.level in KEPT_BY_LEVELS
        and scope.can(Capability.KEEP_FUNDS)
        and scope.covers(area)
    )


def keeps(scope: Scope, fund: Fund) -> bool:
    """May change ``fund``: its campaigns, gifts, expenses, corrections, statements."""
    return scope.can(Capability.KEEP_FUNDS) and scope.covers(fund.area)


def approves(scope: Scope, fund: Fund) -> bool:
    """May approve ``fund``'s expenses (who approves which one is ``approval_problem``)."""
    return scope.can(Capability.APPROVE_EXPENSES) and scope.covers(fund.area)


def sees(scope: Scope, fund: Fund) -> bool:
    return keeps(scope, fund) or approves(scope, fund)


def approval_problem(user, expense: Expense) -> str | None:
    """Why ``user`` may not approve ``expense`` now, or None."""
    if expense.is_posted:
        return _("This expense is already approved twice and paid.")
    if expense.is_withdrawn:
        return _("This expense was withdrawn.")
    if expense.recorded_by_id == user.pk:
        return _("You recorded this expense: two other people must approve it.")
    if expense.first_approver_id == user.pk:
        return _("You already approved this expense: a second, different person must approve it.")
    return None


def seen_funds_q(scope: Scope) -> Q:
    if not scope.path or not (scope.can(Capability.KEEP_FUNDS) or scope.can(Capability.APPROVE_EXPENSES)):
        return Q(pk__in=[])
    return scope.q("area__path")


def seen_funds(scope: Scope):
    return Fund.objects.filter(seen_funds_q(scope)).select_related("area")


def seen_fund_or_404(scope: Scope, fund_id: int) -> Fund:
    return get_or_404(seen_funds(scope), _("No such fund in your area."), pk=fund_id)


def seen_campaign_or_404(scope: Scope, campaign_id: int) -> Campaign:
    funds = seen_funds(scope).values("pk")
    return get_or_404(
        Campaign.objects.select_related("fund__area").filter(fund__in=funds),
        _("No such campaign in your area."),
        pk=campaign_id,
    )


def seen_expense_or_404(scope: Scope, expense_id: int) -> Expense:
    funds = seen_funds(scope).values("pk")
    return get_or_404(
        Expense.objects.select_related("fund__area", "campaign", "recorded_by", "first_approver").filter(
            fund__in=funds
        ),
        _("No such expense in your area."),
        pk=expense_id,
    )


def public_fund_or_404(fund_id: int) -> Fund:
    return get_or_404(Fund.objects.select_related("area"), _("No such fund."), pk=fund_id)


def public_campaign_or_404(campaign_id: int) -> Campaign:
    return get_or_404(Campaign.objects.select_related("fund__area"), _("No such campaign."), pk=campaign_id)
