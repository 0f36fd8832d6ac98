"""What residents (and family members acting for them) do: see this week's activities,
sign up and cancel, show their check-in pass, rate what they attended."""

from __future__ import annotations

from datetime import date, timedelta

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import selectors, signups
from activities.forms import RatingForm
from activities.models import Activity, Signup
from common.forms import ids_in, show_errors
from common.schemas import day_or_none
from common.scope import Capability, get_or_404
from registry.models import Resident
from registry.selectors import speaks_for


def _week_start(request) -> date:
    return day_or_none(request.GET.get("week")) or timezone.localdate()


@login_required
def index(request):
    """This week's activities for the resident and the people they act for, and what is next."""
    day = _week_start(request)
    start, end = selectors.week_bounds(day)
    offers = selectors.offers_for(request.user, start, end)
    later = selectors.offers_for(request.user, end, end + timedelta(days=28))
    return render(
        request,
        "activities/index.html",
        {
            "offers": offers,
            "later": later,
            "start": timezone.localtime(start).date(),
            "end": timezone.localtime(end - timedelta(seconds=1)).date(),
            "previous": (timezone.localtime(start) - timedelta(days=7)).date().isoformat(),
            "next": (timezone.localtime(start) + timedelta(days=7)).date().isoformat(),
            "people": selectors.people_of(request.user),
            "to_rate": selectors.to_rate(request.user),
        },
    )


def _visible(request, activity_id: int) -> Activity:
    return get_or_404(selectors.visible_to(request.user, request.scope), pk=activity_id)


@login_required
def detail(request, activity_id: int):
    """One activity: when, where, who for, places left; sign-up for each of the user's people."""
    activity = _visible(request, activity_id)
    people = [p for p in selectors.signing_people(request.user) if p.committee_id == activity.committee_id]
    live = {
        s.resident_id: s
        for s in Signup.objects.filter(activity=activity, resident__in=[p.pk for p in people]).exclude(
            status="cancelled"
        )
    }
    rows = [
        {
            "person": p,
            "signup": live.get(p.pk),
            "position": signups.waiting_position(live[p.pk]) if p.pk in live else None,
            "problem": "" if p.pk in live else signups.eligibility_problem(activity, p),
        }
        for p in people
    ]
    average, ratings = selectors.rating_of(activity)
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "rows": rows,
            # Two or more who may sign up: one form, a box for each (a couple signs up together).
            "together": [r for r in rows if not r["signup"] and not r["problem"]],
            "areas": [a.area for a in activity.areas.all()],
            "average": average,
            "ratings": ratings,
            "rating_form": RatingForm(),
            "can_manage": request.scope.can(Capability.MANAGE_ACTIVITIES)
            and request.scope.covers(activity.committee),
        },
    )


@login_required
@require_POST
def signup(request, activity_id: int):
    """One person (a button of their own) or several ticked in one form, each through the same
    race-safe ``signups.register``; several at once are all signed up or none."""
    activity = _visible(request, activity_id)
    ids = ids_in(request.POST.getlist("resident"))
    persons = list(Resident.objects.living().select_related("household__building").filter(pk__in=ids))
    if not ids or len(persons) != len(set(ids)):
        raise Http404
    persons.sort(key=lambda p: ids.index(p.pk))
    try:
        if request.POST.get("series") and activity.series:
            for person in persons:
                done, skipped = signups.register_series(
                    request.user, person, activity.series, scope=request.scope
                )
                messages.success(
                    request,
                    _("%(name)s is signed up for %(n)d sessions.") % {"name": person.name, "n": len(done)},
                )
                for text in skipped:
                    messages.warning(request, text)
        else:
            made = signups.register_together(request.user, persons, activity, scope=request.scope)
            for one in made:
                _say_how(request, one)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        show_errors(request, error)
    return redirect(activity)


def _say_how(request, made: Signup) -> None:
    name = made.resident.name
    if made.has_place:
        messages.success(request, _("%(name)s has a place.") % {"name": name})
    else:
        messages.warning(
            request,
            _("It is full: %(name)s is number %(n)d on the waiting list and will be told if a place frees.")
            % {"name": name, "n": signups.waiting_position(made)},
        )


@login_required
@require_POST
def cancel(request, signup_id: int):
    found = get_object_or_404(
        Signup.objects.select_related("activity", "resident__household__building"), pk=signup_id
    )
    try:
        signups.cancel_signup(request.user, found, scope=request.scope)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Cancelled. Thank you for giving the place back."))
    return redirect(
        request.POST.get("next") if str(request.POST.get("next", "")).startswith("/") else found.activity
    )


@login_required
@require_POST
def rate(request, signup_id: int):
    found = get_object_or_404(Signup.objects.select_related("activity", "resident"), pk=signup_id)
    if speaks_for(request.user, found.resident) is None:
        raise Http404
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose from 1 to 5 stars."))
        return redirect(found.activity)
    try:
        signups.rate(request.user, found, form.cleaned_data["rating"], form.cleaned_data["comment"])
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect(found.activity)


@login_required
def pass_card(request):
    """The QR code staff scan at the door: one per person the user signs up (print it for
    someone without a phone)."""
    cards = []
    for person in selectors.people_of(request.user):
        url = request.build_absolute_uri(reverse("activities:scan", args=[signups.pass_token(person)]))
        svg = segno.make_qr(url, error="m").svg_inline(scale=6, dark="#1b1b1b", omitsize=True)
        cards.append({"person": person, "svg": mark_safe(svg)})  # noqa: S308 - segno's own SVG
    return render(request, "activities/pass.html", {"cards": cards})
