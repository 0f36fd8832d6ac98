"""API endpoints to browse and search the area tree.

Who sees what: official divisions (city, districts, streets, committees) are public
information and visible to anyone logged in. Grids, building groups and buildings are
internal to a committee: visible within the active role's area, and to people whose home
is in that committee. Anything else answers 404, exactly like an unknown code.

Each endpoint runs a fixed number of queries whatever the tree's size: child counts are a
correlated subquery evaluated only for the rows of the page.
"""

import re

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from areas.models import LOCAL_LEVELS, Area, AreaLevel, AreaQuerySet
from areas.schemas import AreaDetailOut, AreaOut
from common.api import ERRORS, Pages
from common.schemas import Text

router = Router(tags=["areas"])

# Official codes are digits; local ones add dotted parts (310106019001.W1.L3).
CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CODE_PARAM = Path(description="An area's code.", example="310106019001")


class AreaFilters(Schema):
    q: Text = Field(
        "",
        max_length=100,
        description="Part of the name, a code prefix, pinyin or initials.",
        json_schema_extra={"example": "ycxc"},
    )
    level: AreaLevel | None = None
    parent: Text | None = Field(None, max_length=64, description="Only the direct children of this code.")
    within: Text | None = Field(None, max_length=64, description="Only areas under this code (any depth).")
    include_retired: bool = False


# --- Visibility -----------------------------------------------------------------------------


def home_committee_path(user) -> str | None:
    """The path of the committee the user's home area belongs to (no query: read from the path)."""
    home = user.home_area
    if home is None or home.level not in (AreaLevel.COMMITTEE, *LOCAL_LEVELS):
        return None
    parts = home.path.strip("/").split("/")
    # Official segments are digit codes; the committee's is the last of them.
    last_official = max(i for i, part in enumerate(parts) if part.isdigit())
    return "/" + "/".join(parts[: last_official + 1]) + "/"


def visible_q(request, prefix: str = "") -> Q:
    """Official areas, plus the local units of the active role's area and of the user's home committee."""
    q = Q(**{f"{prefix}official": True})
    for path in {request.scope.path, home_committee_path(request.user)} - {None}:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def visible_areas(request) -> AreaQuerySet:
    """The areas the request may see, each with its parent's code and its visible child count."""
    children = (
        Area.objects.filter(visible_q(request), parent=OuterRef("pk"), retired_at__isnull=True)
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # Subqueries rather than a join: the database works them out for the page's rows only.
    parent_code = Area.objects.filter(pk=OuterRef("parent_id")).values("code")
    return Area.objects.filter(visible_q(request)).annotate(
        parent_code=Subquery(parent_code),
        child_count=Coalesce(Subquery(children, output_field=IntegerField()), 0),
    )


def visible_area(request, code: str) -> Area:
    """The area with ``code`` if the request may see it; else 404, the same for unknown codes."""
    area = visible_areas(request).filter(code=code).first() if CODE.match(code) else None
    if area is None:
        raise HttpError(404, _("No area with code %(code)s.") % {"code": code[:64]})
    return area


# --- Endpoints ------------------------------------------------------------------------------


@router.get("/", response={200: list[AreaOut], **ERRORS}, summary="Search areas")
@paginate(Pages)
def search_areas(request, filters: Query[AreaFilters]):
    """Areas matching `q` by name, code prefix, full pinyin (`yanchang`) or initials (`ycxc`).

    An exact code or name comes first, then higher levels, then tree order. Without `q`,
    every visible area in tree order.
    """
    if CONTROL.search(filters.q):
        raise HttpError(422, _("The search text has a control character (such as a line break) in it."))
    text = filters.q.strip()
    areas = visible_areas(request).search(text)
    if not filters.include_retired:
        areas = areas.active()
    if filters.level:
        areas = areas.filter(level=filters.level)
    if filters.parent:
        areas = areas.filter(parent=visible_area(request, filters.parent))
    if filters.within:
        areas = areas.subtree(visible_area(request, filters.within), include_self=False)
    exact = Case(When(Q(code=text) | Q(name=text), then=Value(0)), default=Value(1)) if text else Value(0)
    return areas.annotate(exact=exact).order_by("exact", "depth", "path")


@router.get("/{code}", response={200: AreaDetailOut, **ERRORS}, summary="One area")
def area_detail(request, code: Text = CODE_PARAM):
    """The area, its breadcrumb (ancestors you may see, city first) and its child count."""
    area = visible_area(request, code)
    area.visible_ancestors = list(area.ancestors().filter(visible_q(request)))  # type: ignore[attr-defined]
    return area


@router.get("/{code}/children", response={200: list[AreaOut], **ERRORS}, summary="Parts of an area")
@paginate(Pages)
def area_children(request, code: Text = CODE_PARAM, include_retired: bool = False):
    """The parts directly under an area that you may see: active ones in the committee's order."""
    area = visible_area(request, code)
    children = visible_areas(request).filter(parent=area)
    if not include_retired:
        children = children.active()
    return children.order_by(F("retired_at").asc(nulls_first=True), "sort_order", "code")
