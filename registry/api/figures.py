"""The registry's figures of an area, its community map, and the access log."""

from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from areas.api import CODE_PARAM
from areas.models import AreaLevel
from common.api import ERRORS, Pages
from common.schemas import Text
from common.scope import Capability, staff_scope
from registry import selectors
from registry.api.common import area_in_scope
from registry.community_map import build_plan
from registry.models import AccessLog
from registry.schemas import AccessLogOut, MapOut, SummaryOut

router = Router(tags=["registry"])


# --- Figures, map, lists ---------------------------------------------------------------------------


@router.get("/areas/{code}/summary", response={200: SummaryOut, **ERRORS}, summary="Figures of an area")
def area_summary(request, code: Text = CODE_PARAM):
    """Households, living residents, verified accounts and the on-cloud rate of the area and of
    its parts (a committee's building groups, a street's committees…), and residents per tag."""
    area = area_in_scope(request, code)
    overview = selectors.overview(area)

    def figures(row):
        return {
            "area": row.area,
            "households": row.households,
            "residents": row.residents,
            "verified": row.verified,
            "on_cloud_rate": row.on_cloud_rate,
        }

    return {
        "figures": figures(overview.figures),
        "parts": [figures(row) for row in overview.children],
        "tags": overview.tags,
    }


@router.get("/areas/{code}/map", response={200: MapOut, **ERRORS}, summary="Community map of a committee")
def area_map(request, code: Text = CODE_PARAM, metric: Text = Query("residents", max_length=30)):
    """The committee's buildings with their plan positions and the chosen figure: residents,
    households, on_cloud, or a tag (living_alone, aged_80 …)."""
    area = area_in_scope(request, code)
    if area.level != AreaLevel.COMMITTEE:
        raise HttpError(422, _("The community map is drawn for a committee."))
    plan = build_plan(area, metric)
    return {
        "metric": plan.metric.key,
        "metric_label": str(plan.metric.label),
        "percent": plan.metric.percent,
        "width": plan.width,
        "height": plan.height,
        "cells": [
            {
                "building": c.building,
                "group": c.group,
                "value": c.value,
                "placed": c.placed,
                "x": c.x,
                "y": c.y,
            }
            for c in plan.cells
        ],
    }


@router.get("/access-log", response={200: list[AccessLogOut], **ERRORS}, summary="The access log")
@paginate(Pages)
def access_log(request):
    """Who saw which full value, when and why (for committee leads and above)."""
    scope = staff_scope(request, Capability.READ_AUDIT)
    return scope.restrict(AccessLog.objects.select_related("actor", "resident")).order_by("-at", "-pk")
