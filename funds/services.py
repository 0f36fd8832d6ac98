"""Opening a fund and its campaigns."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from areas.models import Area
from common.scope import Scope
from funds import rules
from funds.gifts import amount_problem
from funds.models import Campaign, Fund


def open_fund(area: Area, *, name: str, about: str = "", bank_account: str = "", scope: Scope) -> Fund:
    if not rules.keeps_area(scope, area):
        raise PermissionDenied(_("A fund is opened by those who keep funds in that committee or street."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the fund a name.")})
    if Fund.objects.filter(area=area, name=name).exists():
        raise ValidationError(
            {"name": _("%(area)s already has a fund called %(name)s.") % {"area": area, "name": name}}
        )
    return Fund.objects.create(
        area=area, name=name[:80], about=about or "", bank_account=(bank_account or "")[:80]
    )


@transaction.atomic
def add_campaign(
    fund: Fund, *, name: str, goal: Decimal | None, ends_on: date | None = None, about: str = "", scope: Scope
) -> Campaign:
    if not rules.keeps(scope, fund):
        raise PermissionDenied(_("Only those who keep this fund add its campaigns."))
    problems = amount_problem(goal, "goal")
    name = (name or "").strip()
    if not name:
        problems["name"] = _("Give the campaign a name.")
    elif Campaign.objects.filter(fund=fund, name=name).exists():
        problems["name"] = _("This fund already has a campaign called %(name)s.") % {"name": name}
    if problems:
        raise ValidationError(problems)
    return Campaign.objects.create(fund=fund, name=name[:80], goal=goal, ends_on=ends_on, about=about or "")
