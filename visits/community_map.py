"""The visits' figures on the community map (社区地图), per building of a committee:

- visited in the plan running today, as a share of the building's households (the latest
  plan that has started, when none runs today);
- households not visited for 90 days (never visited ones included).
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from registry.community_map import Metric, register_metric
from registry.models import Household
from visits.models import Visit, VisitPlan
from visits.selectors import DEFAULT_DAYS


def _visited_in_plan(committee: Area) -> dict[int, float]:
    today = timezone.localdate()
    plan = (
        VisitPlan.objects.filter(committee=committee, starts_on__lte=today)
        .order_by("-starts_on", "-pk")
        .first()
    )
    if plan is None:
        return {}
    end = min(plan.ends_on, today)
    seen = Exists(
        Visit.objects.filter(household=OuterRef("pk"), visited_on__gte=plan.starts_on, visited_on__lte=end)
    )
    rows = (
        Household.objects.filter(committee=committee)
        .annotate(seen=seen)
        .order_by()
        .values("building")
        .annotate(n=Count("pk"), visited=Count("pk", filter=Q(seen=True)))
    )
    return {row["building"]: 100 * row["visited"] / row["n"] for row in rows if row["n"]}


def _not_visited(committee: Area) -> dict[int, float]:
    since = timezone.localdate() - timedelta(days=DEFAULT_DAYS)
    rows = (
        Household.objects.filter(committee=committee)
        .filter(~Exists(Visit.objects.filter(household=OuterRef("pk"), visited_on__gt=since)))
        .order_by()
        .values("building")
        .annotate(n=Count("pk"))
    )
    return {row["building"]: row["n"] for row in rows}


register_metric(Metric("visited_in_plan", _("Visited in the current plan"), _visited_in_plan, percent=True))
register_metric(Metric("not_visited_90", _("Households not visited for 90 days"), _not_visited))
