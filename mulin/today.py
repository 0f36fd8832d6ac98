"""The social worker's today page: what needs doing today, most urgent first.

One page, read from each app's own selector: the elderly watch (open alerts and checks past
their cutoff), residents' requests (overdue, awaiting triage, due today), the visit plan
(households still to visit in this worker's share), today's activities and the volunteer
shifts of the coming week still short of people. Each part shows
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
from common.scope import Capability, staff_scope
from demands.selectors import due_for, queue_counts
from eldercare.selectors import attention, my_watch
from visits.selectors import planned_for
from volunteers.shift_selectors import short_this_week


@dataclass(frozen=True)
class Todo:
    """One line of "do first": how urgent (lower first), what, how many, where to go."""

    rank: int
    text: str
    url: str
    urgent: bool = False


def _first(watch, demands, counts, planned, activities, now, short=()) -> list[Todo]:
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
    return render(
        request,
        "today.html",
        {
            "area": scope.area,
            "now": now,
            "day": day,
            "first": _first(watch, demands or [], counts, planned, activities, now, short),
            "watch": watch,
            "demands": demands,
            "counts": counts,
            "planned": planned,
            "watching": watching,
            "activities": activities,
            "short_shifts": short,
            "nothing": _("Nothing needs doing first today."),
        },
    )
