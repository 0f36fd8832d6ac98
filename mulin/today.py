"""The social worker's today page: what needs doing today, most urgent first.

One page, read from each app's own selector: the elderly watch (open alerts and checks past
their cutoff), residents' requests (overdue, awaiting triage, due today), the visit plan
(households still to visit in this worker's share), today's activities and the volunteer
shifts of the coming week still short of people, today's bookings of the spaces and those
waiting for approval, today's service days with their queues, and the care aids due back or
overdue. Each part shows
only where the active role has the capability, so a building leader sees their visits and
a lead sees everything a worker does.

``first`` is the short list at the top, in the order a worker should act: someone may be
unwell before anything else, then promises already broken, then what falls due today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities.selectors import today_in
from aids.selectors import DueSummary, due_soon_and_overdue
from common.scope import Capability, staff_scope
from demands.selectors import due_for, queue_counts
from eldercare.selectors import attention, my_watch
from meals.delivery import day_deliveries
from servicedays.selectors import today_in as service_days_on
from spaces.selectors import pending as pending_bookings
from spaces.selectors import today_bookings
from visits.selectors import planned_for
from volunteers.shift_selectors import short_this_week


@dataclass(frozen=True)
class Todo:
    """One line of "do first": how urgent (lower first), what, how many, where to go."""

    rank: int
    text: str
    url: str
    urgent: bool = False


def _first(watch, demands, counts, planned, activities, now, short=(), places=None) -> list[Todo]:
    todos: list[Todo] = []
    if watch is not None:
        if watch.open_alerts:
            todos.append(
                Todo(
                    0,
                    ngettext(
                        "%(n)d elderly watch alert is open: find out the person is well.",
                        "%(n)d elderly watch alerts are open: find out each person is well.",
                        watch.open_alerts,
                    )
                    % {"n": watch.open_alerts},
                    reverse("eldercare:alerts"),
                    urgent=True,
                )
            )
        overdue = watch.overdue_count or len(watch.overdue)
        if overdue:
            todos.append(
                Todo(
                    1,
                    ngettext(
                        "%(n)d check of today is past its cutoff with nothing recorded.",
                        "%(n)d checks of today are past their cutoff with nothing recorded.",
                        overdue,
                    )
                    % {"n": overdue},
                    reverse("eldercare:index"),
                    urgent=True,
                )
            )
    if counts is not None:
        if counts.get("overdue"):
            todos.append(
                Todo(
                    2,
                    ngettext(
                        "%(n)d request is overdue.",
                        "%(n)d requests are overdue.",
                        counts["overdue"],
                    )
                    % {"n": counts["overdue"]},
                    reverse("demands:queue") + "?overdue=1",
                    urgent=True,
                )
            )
        if counts.get("new"):
            todos.append(
                Todo(
                    3,
                    ngettext(
                        "%(n)d new request waits to be assigned.",
                        "%(n)d new requests wait to be assigned.",
                        counts["new"],
                    )
                    % {"n": counts["new"]},
                    reverse("demands:queue") + "?status=new",
                )
            )
        due_today = sum(
            1 for r in demands if not r.is_overdue and r.due_at and r.due_at < now + timedelta(days=1)
        )
        if due_today:
            todos.append(
                Todo(
                    4,
                    ngettext(
                        "%(n)d of your requests falls due within a day.",
                        "%(n)d of your requests fall due within a day.",
                        due_today,
                    )
                    % {"n": due_today},
                    "#requests",
                )
            )
    if activities:
        todos.append(
            Todo(
                5,
                ngettext(
                    "%(n)d activity takes place today.", "%(n)d activities take place today.", len(activities)
                )
                % {"n": len(activities)},
                "#activities",
            )
        )
    if short:
        todos.append(
            Todo(
                5,
                ngettext(
                    "%(n)d shift this week is still short of people.",
                    "%(n)d shifts this week are still short of people.",
                    len(short),
                )
                % {"n": len(short)},
                "#shifts",
            )
        )
    if places is not None:
        todos.extend(places.todos())
    if planned is not None and planned.total:
        todos.append(
            Todo(
                6,
                ngettext(
                    "%(n)d household of your share of the visit plan is still to visit.",
                    "%(n)d households of your share of the visit plan are still to visit.",
                    planned.total,
                )
                % {"n": planned.total},
                "#visits",
            )
        )
    return sorted(todos, key=lambda t: t.rank)


@dataclass(frozen=True)
class Places:
    """What comes to the committee's places today: bookings, service days, care aids."""

    bookings: list
    pending: int
    service_days: list
    aids: DueSummary | None

    def todos(self) -> list[Todo]:
        todos = []
        if self.aids is not None and self.aids.overdue:
            todos.append(
                Todo(
                    4,
                    ngettext(
                        "%(n)d care aid is overdue: call the borrower.",
                        "%(n)d care aids are overdue: call the borrowers.",
                        self.aids.overdue,
                    )
                    % {"n": self.aids.overdue},
                    reverse("aids:overdue"),
                )
            )
        if self.pending:
            todos.append(
                Todo(
                    4,
                    ngettext(
                        "%(n)d booking waits for your approval.",
                        "%(n)d bookings wait for your approval.",
                        self.pending,
                    )
                    % {"n": self.pending},
                    reverse("spaces:pending"),
                )
            )
        if self.service_days:
            todos.append(
                Todo(
                    5,
                    ngettext(
                        "%(n)d service day is held today.",
                        "%(n)d service days are held today.",
                        len(self.service_days),
                    )
                    % {"n": len(self.service_days)},
                    "#service-days",
                )
            )
        if self.bookings:
            todos.append(
                Todo(
                    5,
                    ngettext(
                        "%(n)d booking of the spaces today.",
                        "%(n)d bookings of the spaces today.",
                        len(self.bookings),
                    )
                    % {"n": len(self.bookings)},
                    "#bookings",
                )
            )
        return todos


def _places(scope, day) -> Places | None:
    spaces = scope.can(Capability.MANAGE_SPACES)
    days = scope.can(Capability.RUN_SERVICE_DAYS)
    aids = scope.can(Capability.LEND_AIDS)
    if not (spaces or days or aids):
        return None
    return Places(
        bookings=today_bookings(scope, day) if spaces else [],
        pending=pending_bookings(scope).count() if spaces else 0,
        service_days=service_days_on(scope, day) if days else [],
        aids=due_soon_and_overdue(scope, day) if aids else None,
    )


@login_required
def today(request):
    if not request.scope.grant:
        return redirect("home")
    scope = staff_scope(request, Capability.VIEW_WORKSPACE)
    now = timezone.now()
    day = timezone.localdate(now)
    user = request.user

    watch = demands = counts = planned = None
    if scope.can(Capability.RUN_WATCH):
        watch = attention(scope, now=now)
    if scope.can(Capability.HANDLE_DEMANDS):
        demands = due_for(user, scope, now=now)
        counts = queue_counts(scope, now=now)
    if scope.can(Capability.VISIT_HOUSEHOLDS):
        planned = planned_for(user, scope, today=day)
    watching = my_watch(user, now=now)
    activities = today_in(scope, day) if scope.can(Capability.MANAGE_ACTIVITIES) else []
    short = short_this_week(scope, now=now) if scope.can(Capability.MANAGE_VOLUNTEERS) else []
    places = _places(scope, day)
    deliveries = day_deliveries(scope, day)
    first = _first(watch, demands or [], counts, planned, activities, now, short, places)
    not_home = sum(p.not_home for p in deliveries)
    if not_home:
        first = sorted(
            [
                *first,
                Todo(
                    1,
                    ngettext(
                        "%(n)d meal delivery found nobody at home: find out the person is well.",
                        "%(n)d meal deliveries found nobody at home: find out each person is well.",
                        not_home,
                    )
                    % {"n": not_home},
                    "#deliveries",
                    urgent=True,
                ),
            ],
            key=lambda t: t.rank,
        )
    return render(
        request,
        "today.html",
        {
            "area": scope.area,
            "now": now,
            "day": day,
            "first": first,
            "deliveries": deliveries,
            "watch": watch,
            "demands": demands,
            "counts": counts,
            "planned": planned,
            "watching": watching,
            "activities": activities,
            "short_shifts": short,
            "places": places,
            "nothing": _("Nothing needs doing first today."),
        },
    )
