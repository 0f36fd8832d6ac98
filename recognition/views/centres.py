"""Centres, rating sheets and ratings: staff with ``Capability.RATE_CENTRES`` (street, district
and city admins) over the centre's area. The figures: centres' stars per committee or street."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import form_errors, posted, show_errors
from common.schemas import year_or_none
from common.scope import Capability, get_or_404, staff_scope
from recognition import centres, ratings, rules, selectors
from recognition.forms import CentreForm, ScoreForm, SheetForm, StartRatingForm
from recognition.models import Centre, Rating, RatingSheet, Score


def _staff(request):
    return staff_scope(request, Capability.RATE_CENTRES)


def _centre(request, centre_id: int) -> Centre:
    return _staff(request).get(
        Centre.objects.select_related("area", "site", "operator"), _("No such centre."), pk=centre_id
    )


def _sheets(scope):
    return RatingSheet.objects.filter(rules.seen_sheets_q(scope)).select_related("area")


def _rating(request, centre_rating_id: int) -> Rating:
    return _staff(request).get(
        Rating.objects.select_related("centre__area", "sheet", "assessor"),
        _("No such rating."),
        pk=centre_rating_id,
    )


@login_required
def centre_list(request):
    """The centres in scope with their latest final rating; a fixed number of queries."""
    scope = _staff(request)
    found = list(
        scope.restrict(Centre.objects.current())
        .select_related("area", "operator")
        .order_by("area__path", "name")
    )
    finals: dict[int, Rating] = {}
    for rating in Rating.objects.final().filter(centre__in=[c.pk for c in found]).order_by("year"):
        finals[rating.centre_id] = rating
    rows = [(c, finals.get(c.pk)) for c in found]
    return render(
        request,
        "recognition/centres/index.html",
        {"rows": rows, "may_add": rules.keeps_centres_in(scope, scope.area), "area": scope.area},
    )


@login_required
def centre_new(request):
    scope = _staff(request)
    if not rules.keeps_centres_in(scope, scope.area):
        raise Http404
    form = CentreForm(
        posted(request), sites=centres.sites_for(scope.area), operators=centres.operators_for(scope.area)
    )
    if form.is_valid():
        try:
            centre = centres.create_centre(scope.area, centres.CentreDraft(**form.cleaned_data), scope=scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Centre added."))
            return redirect(centre.get_absolute_url())
    return render(request, "recognition/centres/form.html", {"form": form})


@login_required
def centre(request, centre_id: int):
    """A centre: who runs it, and its ratings year by year (the history)."""
    scope = _staff(request)
    found = _centre(request, centre_id)
    history = found.ratings.select_related("sheet", "assessor").order_by("-year", "-created_at")
    sheets = [s for s in _sheets(scope) if rules.sheet_applies(s, found)]
    return render(
        request, "recognition/centres/centre.html", {"centre": found, "history": history, "sheets": sheets}
    )


@login_required
@require_POST
def rating_start(request, centre_id: int):
    scope = _staff(request)
    found = _centre(request, centre_id)
    form = StartRatingForm(request.POST)
    sheet = _sheets(scope).filter(pk=form.cleaned_data["sheet"]).first() if form.is_valid() else None
    if sheet is None:
        messages.error(request, _("Choose a rating sheet."))
        return redirect(found.get_absolute_url())
    try:
        rating = ratings.start_rating(request.user, found, sheet, scope=scope)
    except ValidationError as error:
        show_errors(request, error)
        return redirect(found.get_absolute_url())
    return redirect(rating.get_absolute_url())


@login_required
def sheet_list(request):
    scope = _staff(request)
    return render(
        request,
        "recognition/sheets/index.html",
        {
            "sheets": _sheets(scope).order_by("-year", "area__path"),
            "may_add": rules.sets_sheets_in(scope, scope.area),
        },
    )


@login_required
def sheet_new(request):
    scope = _staff(request)
    if not rules.sets_sheets_in(scope, scope.area):
        raise Http404
    form = SheetForm(posted(request), initial={"year": timezone.localdate().year})
    if form.is_valid():
        data = form.cleaned_data
        draft = centres.SheetDraft(
            year=data["year"],
            title=data["title"],
            total_points=data["total_points"],
            criteria=data["criteria"],
            bands=data["bands"],
        )
        try:
            sheet = centres.set_sheet(request.user, scope.area, draft, scope=scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Rating sheet saved."))
            return redirect(sheet.get_absolute_url())
    return render(request, "recognition/sheets/form.html", {"form": form})


@login_required
def sheet(request, rating_sheet_id: int):
    scope = _staff(request)
    found = get_or_404(_sheets(scope), _("No such rating sheet."), pk=rating_sheet_id)
    return render(
        request,
        "recognition/sheets/sheet.html",
        {"sheet": found, "criteria": found.criteria.all(), "bands": found.bands.all()},
    )


@login_required
def rating(request, centre_rating_id: int):
    """Score each criterion with its evidence; submit; make final."""
    found = _rating(request, centre_rating_id)
    scores = {s.criterion_id: s for s in found.scores.all()}
    rows = [(c, scores.get(c.pk)) for c in found.sheet.criteria.all()]
    return render(request, "recognition/ratings/rating.html", {"rating": found, "rows": rows})


@login_required
@require_POST
def rating_score(request, centre_rating_id: int):
    scope = _staff(request)
    found = _rating(request, centre_rating_id)
    form = ScoreForm(request.POST, request.FILES)
    if not form.is_valid():
        for field, texts in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for text in texts:
                messages.error(request, f"{label}: {text}" if label else str(text))
        return redirect(found.get_absolute_url())
    criterion = found.sheet.criteria.filter(pk=form.cleaned_data["criterion"]).first()
    if criterion is None:
        raise Http404(_("No such criterion."))
    try:
        ratings.score(
            found,
            criterion,
            form.cleaned_data["points"],
            form.cleaned_data["note"],
            form.cleaned_data["file"],
            scope=scope,
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Score saved."))
    return redirect(found.get_absolute_url())


def _step(request, centre_rating_id: int, act, done: str):
    scope = _staff(request)
    found = _rating(request, centre_rating_id)
    try:
        act(found, scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, done)
    return redirect(found.get_absolute_url())


@login_required
@require_POST
def rating_submit(request, centre_rating_id: int):
    return _step(request, centre_rating_id, lambda r, s: ratings.submit(r, scope=s), _("Rating submitted."))


@login_required
@require_POST
def rating_reopen(request, centre_rating_id: int):
    return _step(
        request, centre_rating_id, lambda r, s: ratings.reopen(r, scope=s), _("Rating sent back to scoring.")
    )


@login_required
@require_POST
def rating_finalise(request, centre_rating_id: int):
    return _step(
        request,
        centre_rating_id,
        lambda r, s: ratings.finalise(request.user, r, scope=s),
        _("Rating made final."),
    )


@login_required
def evidence(request, evidence_id: int):
    """An evidence file, to the raters who may see the rating only."""
    found = _staff(request).get(Score.objects.all(), _("No such evidence."), pk=evidence_id)
    if not found.file:
        raise Http404(_("No such evidence."))
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.shown_file_name)


@login_required
def figures(request):
    """Centres' stars per committee (or street): how many, how many rated, how many of each star."""
    scope = staff_scope(request, Capability.VIEW_WORKSPACE)
    if scope.area is None:
        raise Http404
    year = year_or_none(request.GET.get("year")) or timezone.localdate().year
    rows = selectors.star_figures(scope.area, year)
    return render(request, "recognition/figures.html", {"rows": rows, "year": year, "area": scope.area})
