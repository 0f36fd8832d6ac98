"""Neighbourhood centres and the rating sheets that grade them.

A centre belongs to a committee or a street and may stand at one of its sites; it is run by a
social organisation among the partner units of its area (or the areas above). A sheet is set by
a street, district or city for a year: criteria whose points add up to the sheet's total, and
star bands that cover the scores from the lowest band to the total with no gap and no overlap,
more stars for a higher score. A sheet already used by a rating no longer changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area
from common.scope import Scope
from partners.models import PartnerUnit, UnitKind
from recognition import rules
from recognition.models import Centre, CentreKind, Criterion, RatingSheet, StarBand
from spaces.models import Site

MAX_CRITERIA = 40
MAX_TOTAL = 1000


def operators_for(area: Area):
    """The social organisations that may run a centre of ``area``: current partner units of
    that kind in the area, under it or above it."""
    return PartnerUnit.objects.current().filter(
        Q(area__path__startswith=area.path) | Q(area__path__in=area.ancestor_paths()),
        kind=UnitKind.SOCIAL_ORG,
    )


def sites_for(area: Area):
    return Site.objects.filter(closed_at__isnull=True, area__path__startswith=area.path)


@dataclass
class CentreDraft:
    name: str
    kind: str = CentreKind.CENTRE
    address: str = ""
    about: str = ""
    site: Site | None = None
    operator: PartnerUnit | None = None


def _check_centre(area: Area, draft: CentreDraft, centre: Centre | None) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    name = " ".join(draft.name.split())
    if not name:
        problems["name"] = [_("Give the centre a name.")]
    elif (
        Centre.objects.current().filter(area=area, name=name).exclude(pk=centre.pk if centre else 0).exists()
    ):
        problems["name"] = [
            _("%(area)s already has a centre named “%(name)s”.") % {"area": area.name, "name": name}
        ]
    if draft.kind not in CentreKind.values:
        problems["kind"] = [_("Unknown kind of centre.")]
    if draft.operator is not None and not operators_for(area).filter(pk=draft.operator.pk).exists():
        problems["operator"] = [
            _("%(unit)s is not a current social organisation of this area.") % {"unit": draft.operator.name}
        ]
    if draft.site is not None and not sites_for(area).filter(pk=draft.site.pk).exists():
        problems["site"] = [
            _("%(site)s is not a site of %(area)s.") % {"site": draft.site.name, "area": area.name}
        ]
    return problems


def _write(centre: Centre, draft: CentreDraft) -> Centre:
    centre.name = " ".join(draft.name.split())
    centre.kind, centre.address, centre.about = draft.kind, draft.address.strip(), draft.about.strip()
    centre.site, centre.operator = draft.site, draft.operator
    centre.save()
    return centre


@transaction.atomic
def create_centre(area: Area, draft: CentreDraft, *, scope: Scope) -> Centre:
    """Open a centre of a committee or street in the rater's scope."""
    if not rules.keeps_centres_in(scope, area):
        raise PermissionDenied(_("Centres are kept by street, district or city staff over their area."))
    problems = _check_centre(area, draft, None)
    if problems:
        raise ValidationError(problems)
    return _write(Centre(area=area), draft)


@transaction.atomic
def change_centre(centre: Centre, draft: CentreDraft, *, scope: Scope) -> Centre:
    if not rules.keeps_centre(scope, centre):
        raise PermissionDenied(_("This centre is not in your area."))
    problems = _check_centre(centre.area, draft, centre)
    if problems:
        raise ValidationError(problems)
    return _write(centre, draft)


# --- Sheets ----------------------------------------------------------------------------------------


@dataclass
class BandDraft:
    stars: int
    min_score: Decimal
    below: Decimal


@dataclass
class SheetDraft:
    year: int
    title: str
    total_points: int = 100
    criteria: list[tuple[str, int]] = field(default_factory=list)
    bands: list[BandDraft] = field(default_factory=list)


def band_problems(bands: list[BandDraft], total: int) -> list[str]:
    """Why these bands do not grade every score from the lowest band to ``total`` exactly once,
    more stars for more points; [] if they do."""
    if not bands:
        return [_("Give at least one star band.")]
    problems = []
    for band in bands:
        if not 1 <= band.stars <= 5:
            problems.append(_("A band gives 1 to 5 stars, not %(n)d.") % {"n": band.stars})
        if band.below <= band.min_score:
            problems.append(_("The band for %(n)d stars must end above where it starts.") % {"n": band.stars})
        if band.min_score < 0:
            problems.append(_("A band cannot start below 0."))
    if len({b.stars for b in bands}) != len(bands):
        problems.append(_("Two bands give the same number of stars."))
    ordered = sorted(bands, key=lambda b: b.min_score)
    for lower, upper in pairwise(ordered):
        if upper.min_score < lower.below:
            problems.append(
                _("The bands for %(a)d and %(b)d stars overlap.") % {"a": lower.stars, "b": upper.stars}
            )
        elif upper.min_score > lower.below:
            problems.append(
                _("Scores from %(from)s to %(to)s earn no band: the bands leave a gap.")
                % {"from": lower.below, "to": upper.min_score}
            )
        if upper.stars <= lower.stars:
            problems.append(_("A higher band must give more stars."))
    if ordered[-1].below != total:
        problems.append(_("The top band must end at the sheet's total, %(total)d.") % {"total": total})
    return problems


def _check_sheet(area: Area, draft: SheetDraft, sheet: RatingSheet | None) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(name: str, text: str) -> None:
        problems.setdefault(name, []).append(text)

    if not draft.title.strip():
        add("title", _("Give the sheet a title."))
    if not 2000 <= draft.year <= 2100:
        add("year", _("Give a year between 2000 and 2100."))
    elif RatingSheet.objects.filter(area=area, year=draft.year).exclude(pk=sheet.pk if sheet else 0).exists():
        add("year", _("%(area)s already has a sheet for %(year)d.") % {"area": area.name, "year": draft.year})
    if not 1 <= draft.total_points <= MAX_TOTAL:
        add("total_points", _("The total is between 1 and %(max)d points.") % {"max": MAX_TOTAL})
    if not draft.criteria:
        add("criteria", _("Give at least one criterion."))
    if len(draft.criteria) > MAX_CRITERIA:
        add("criteria", _("At most %(n)d criteria.") % {"n": MAX_CRITERIA})
    for title, points in draft.criteria:
        if not title.strip() or points < 1:
            add("criteria", _("Each criterion needs words and at least 1 point."))
            break
    given = sum(points for _title, points in draft.criteria)
    if draft.criteria and given != draft.total_points:
        add(
            "criteria",
            _("The criteria add up to %(given)d points, not the sheet's %(total)d.")
            % {"given": given, "total": draft.total_points},
        )
    for text in band_problems(draft.bands, draft.total_points):
        add("bands", text)
    return problems


@transaction.atomic
def set_sheet(
    user: User, area: Area, draft: SheetDraft, *, scope: Scope, sheet: RatingSheet | None = None
) -> RatingSheet:
    """Set (or, until a centre is rated with it, change) a street's, district's or city's sheet."""
    if not rules.sets_sheets_in(scope, area if sheet is None else sheet.area):
        raise PermissionDenied(_("Rating sheets are set by street, district or city staff for their area."))
    if sheet is not None:
        area = sheet.area
        if sheet.ratings.exists():
            raise ValidationError(_("Centres have been rated with this sheet; it can no longer change."))
    problems = _check_sheet(area, draft, sheet)
    if problems:
        raise ValidationError(problems)
    sheet = sheet or RatingSheet(area=area, created_by=user)
    sheet.year, sheet.title, sheet.total_points = draft.year, draft.title.strip(), draft.total_points
    sheet.save()
    sheet.criteria.all().delete()
    sheet.bands.all().delete()
    Criterion.objects.bulk_create(
        [
            Criterion(sheet=sheet, order=n, title=t.strip(), points=p)
            for n, (t, p) in enumerate(draft.criteria)
        ]
    )
    StarBand.objects.bulk_create(
        [StarBand(sheet=sheet, stars=b.stars, min_score=b.min_score, below=b.below) for b in draft.bands]
    )
    return sheet


def default_bands(total: int = 100) -> list[BandDraft]:
    """The usual bands as shares of the total: 90% five stars, 80% four, 70% three, 60% two."""
    cuts = [(5, Decimal("0.9")), (4, Decimal("0.8")), (3, Decimal("0.7")), (2, Decimal("0.6"))]
    bands, top = [], Decimal(total)
    for stars, share in cuts:
        start = (Decimal(total) * share).quantize(Decimal("0.1"))
        bands.append(BandDraft(stars, start, top))
        top = start
    return bands
