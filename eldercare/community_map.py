"""The watch on the community map (社区地图): per building, the residents watched and those
with an open alert, so a worker sees where the elderly living alone are and who needs a look."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from eldercare.models import Alert, Watch, WatchStatus
from registry.community_map import Metric, register_metric


def _per_building(committee: Area, where: Q) -> dict[int, float]:
    rows = (
        Watch.objects.filter(where, committee=committee)
        .exclude(status=WatchStatus.ENDED)
        .order_by()
        .values("resident__household__building")
        .annotate(n=Count("pk", distinct=True))
    )
    return {row["resident__household__building"]: row["n"] for row in rows}


def _watched(committee: Area) -> dict[int, float]:
    return _per_building(committee, Q())


def _alerting(committee: Area) -> dict[int, float]:
    return _per_building(
        committee, Q(Exists(Alert.objects.filter(watch=OuterRef("pk"), closed_at__isnull=True)))
    )


register_metric(Metric("watched", _("On the elderly watch"), _watched))
register_metric(Metric("watch_alerts", _("Open elderly watch alerts"), _alerting))
