"""What anyone may read without logging in: an area's rated centres with their stars, its
local talent by the names they chose (contact through the committee), and an award's page
with the vote and, once decided, the winners. No phone, no address, no identity number."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from common.schemas import year_or_none
from common.scope import get_or_404
from recognition import awards, selectors
from recognition.models import Award

PER_PAGE = 50
_area = selectors.public_area


def public_centres(request, code: str):
    """The centres under an area rated final in a year, most stars first; a fixed number of queries."""
    area = _area(code)
    years = selectors.rated_years(area)
    year = year_or_none(request.GET.get("year")) or (years[0] if years else timezone.localdate().year)
    page = Paginator(selectors.final_ratings(area, year), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "recognition/public/centres.html", {"area": area, "year": year, "years": years, "page": page}
    )


def public_talent(request, code: str):
    area = _area(code)
    skill = request.GET.get("skill", "")[:50]
    page = Paginator(selectors.public_talent(area, skill), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "recognition/public/talent.html", {"area": area, "skill": skill, "page": page})


def winners(request, award_id: int):
    """An award's public page: the nominees and the vote, the decision and the winners."""
    award = get_or_404(Award.objects.select_related("committee", "topic"), _("No such award."), pk=award_id)
    counts = awards.vote_counts(award)
    nominations = list(award.nominations.select_related("nominee").order_by("-won", "pk"))
    for n in nominations:
        n.votes = counts.get(n.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "recognition/public/award.html",
        {"award": award, "nominations": nominations, "results": awards.vote_results(award)},
    )
