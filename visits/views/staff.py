"""The visit log at the door: pick the building and the room (or search), tick who was
seen, write a line, optionally raise the need as a request; a household's history; one
visit and its correction; the households not visited for a while; and the visits home page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area, AreaLevel
from common.forms import form_errors, is_htmx, posted
from common.scope import staff_scope
from demands.selectors import categories_for
from registry.contact import call_back
from registry.selectors import search_residents
from registry.views.common import household_in_scope
from visits import selectors, services
from visits.forms import NeedForm, VisitForm
from visits.models import Way
from visits.services import VisitDraft

PER_PAGE = 20
NOT_VISITED_PER_PAGE = 50
MAX_DAYS = 3650


@login_required
def index(request):
    """What is left of my share, the plans running today, and the latest visits."""
    scope = staff_scope(request, *services.VISITOR)
    today = timezone.localdate()
    planned = selectors.planned_for(request.user, scope, today=today)
    page = Paginator(selectors.visits_in(scope), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "visits/index.html", {"planned": planned, "page": page, "today": today})


def _categories(committee):

    return list(categories_for(committee))


@login_required
def pick(request):
    """Step one: the building, then the room; or search by name, phone, room or (posted, so
    that it stays out of the address and the access logs) a whole identity number."""
    scope = staff_scope(request, *services.VISITOR)
    searched = request.method == "POST"
    query = (request.POST if searched else request.GET).get("q", "").strip()[:50]
    code = request.GET.get("building", "")
    building = None
    if code:
        building = scope.get(Area.objects.filter(level=AreaLevel.BUILDING), code=code)
    context = {
        "query": query,
        "building": building,
        "doors": selectors.doors_of(scope, building) if building else [],
        "found": search_residents(scope, query, by_identity=searched) if query else [],
    }
    if is_htmx(request) and (building or query):
        return render(request, "visits/_doors.html", context)
    context["buildings"] = selectors.buildings_in(scope)
    return render(request, "visits/log.html", context)


@login_required
def household(request, household_id: int):
    """A household's visits, newest first, and the form to log one more."""
    scope = staff_scope(request, *services.VISITOR)
    home = household_in_scope(scope, household_id)
    today = timezone.localdate()
    living = selectors.living_in(home)
    for person in living:
        person.call_back = call_back(scope, person)  # type: ignore[attr-defined]
    categories = _categories(home.committee)
    form = VisitForm(posted(request), living=living, today=today)
    need = NeedForm(posted(request), living=living, categories=categories)
    if request.method == "POST" and form.is_valid() and need.is_valid():
        data = form.cleaned_data
        draft = VisitDraft(
            household=home,
            visited_on=data["visited_on"],
            way=data["way"],
            seen=list(data["seen"]),
            others=data["others"],
            findings=data["findings"],
            needs=data["needs"],
            demand=need.need(fallback_text=data["needs"]),
        )
        try:
            made = services.log_visit(request.user, scope, draft, today=today)
        except ValidationError as error:
            _split_errors(form, need, error)
        else:
            text = _("Visit saved.")
            if draft.demand is not None:
                text = _("Visit saved, and the need raised as a request.")
            messages.success(request, text)
            return redirect("visits:visit", visit_id=made.pk)
    return render(
        request,
        "visits/household.html",
        {
            "household": home,
            "living": living,
            "form": form,
            "need": need,
            "visits": selectors.history(home),
            "today": today,
        },
    )


def _split_errors(form, need, error: ValidationError) -> None:
    """The request's refusals onto the request part of the form, the rest onto the visit's."""
    if not hasattr(error, "error_dict"):
        form_errors(form, error)
        return
    for key, texts in error.message_dict.items():
        target = need if key in need.fields else form
        target.add_error(key if key in target.fields else None, texts)


@login_required
def visit(request, visit_id: int):
    """One visit; a need found can still be raised as a request from here."""
    scope = staff_scope(request, *services.VISITOR)
    found = selectors.visit_in_scope(scope, visit_id)
    living = selectors.living_in(found.household)
    need = NeedForm(
        posted(request),
        living=living,
        categories=_categories(found.household.committee),
        always=True,
        initial={"demand_text": found.needs},
    )
    if request.method == "POST" and need.is_valid():
        draft = need.need()
        assert draft is not None
        try:
            services.raise_demand(request.user, scope, found, draft)
        except ValidationError as error:
            form_errors(need, error)
        else:
            messages.success(request, _("The need is raised as a request."))
            return redirect("visits:visit", visit_id=found.pk)
    return render(
        request,
        "visits/visit.html",
        {
            "visit": found,
            "need": need,
            "living": living,
            "may_correct": services.may_correct(request.user, found),
        },
    )


@login_required
def correct(request, visit_id: int):
    """Put right what was written at the door: whoever recorded it, within a week."""
    scope = staff_scope(request, *services.VISITOR)
    found = selectors.visit_in_scope(scope, visit_id)
    if not services.may_correct(request.user, found):
        if found.recorded_by_id == request.user.pk:
            text = _(
                "A visit can be corrected within %(days)d days of recording it; this one stands as recorded."
            )
        else:
            text = _("Only whoever recorded a visit may correct it.")
        messages.error(request, text % {"days": services.CORRECT_WITHIN.days})
        return redirect("visits:visit", visit_id=found.pk)
    today = timezone.localdate()
    living = selectors.living_in(found.household)
    seen = [p.pk for p in found.seen.all()]
    initial = {f: getattr(found, f) for f in ("visited_on", "way", "others", "findings", "needs")}
    form = VisitForm(posted(request), living=living, today=today, initial={**initial, "seen": seen})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = VisitDraft(
            household=found.household,
            visited_on=data["visited_on"],
            way=data["way"],
            seen=list(data["seen"]),
            others=data["others"],
            findings=data["findings"],
            needs=data["needs"],
        )
        try:
            services.correct_visit(request.user, scope, found, draft, today=today)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Visit corrected."))
            return redirect("visits:visit", visit_id=found.pk)
    return render(
        request,
        "visits/correct.html",
        {"visit": found, "form": form, "living": living, "correct_days": services.CORRECT_WITHIN.days},
    )


@login_required
def not_visited(request):
    """Households with no visit for N days (90 unless asked), never-visited ones first."""
    scope = staff_scope(request, *services.VISITOR)
    raw = request.GET.get("days", "")
    days = int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_DAYS else selectors.DEFAULT_DAYS
    sort = request.GET.get("sort", "last")
    sort = sort if sort in selectors.SORTS else "last"
    area = None
    code = request.GET.get("area", "")
    if code:
        area = scope.restrict(Area.objects.filter(code=code[:64])).first()
        if area is None:
            raise Http404
    today = timezone.localdate()
    rows = selectors.not_visited(scope, days=days, today=today, area=area, sort=sort)
    page = Paginator(rows, NOT_VISITED_PER_PAGE).get_page(request.GET.get("page"))
    for home in page.object_list:
        home.days_since = (today - home.last_visit_on).days if home.last_visit_on else None
        home.last_way_label = Way(home.last_way).label if home.last_way else ""
    query = f"days={days}&sort={sort}" + (f"&area={area.code}" if area else "")
    groups = list(
        scope.restrict(Area.objects.active().filter(level=AreaLevel.BUILDING_GROUP)).order_by("path")[:200]
    )
    return render(
        request,
        "visits/not_visited.html",
        {
            "page": page,
            "days": days,
            "sort": sort,
            "area": area,
            "groups": groups,
            "query": query,
            "today": today,
        },
    )
