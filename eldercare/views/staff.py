"""Staff pages (RUN_WATCH): the watch list, candidates from the registry's tags, one watch
(watchers, family contact, cutoffs, two weeks of checks, alerts), the alerts, the policy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area, AreaLevel
from common.forms import form_errors, id_in, posted, show_errors
from common.scope import Capability, staff_scope
from eldercare import checks, selectors, services
from eldercare.forms import (
    CloseForm,
    CutoffForm,
    FamilyForm,
    ListFilterForm,
    PolicyForm,
    StopForm,
    WatcherForm,
)
from eldercare.models import CheckKind, Watcher, WatchPolicy, WatchStatus, watch_day
from eldercare.rules import rules_for
from registry.contact import call_back
from registry.models import Proxy

PER_PAGE = 30


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _watch(scope, watch_id: int):
    return scope.get(selectors.watches_with_details(), pk=watch_id)


@login_required
def index(request):
    scope = staff_scope(request, Capability.RUN_WATCH)
    buildings = scope.restrict(Area.objects.filter(level=AreaLevel.BUILDING)).active().order_by("path")[:300]
    form = ListFilterForm(request.GET or None, buildings=buildings)
    wanted = form.cleaned_data if form.is_valid() else {}
    watches = selectors.watch_list(
        scope,
        now=timezone.now(),
        today_filter=wanted.get("today", ""),
        tag=wanted.get("tag", ""),
        building=wanted.get("building", ""),
    )
    page = Paginator(watches, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "eldercare/index.html",
        {
            "page": page,
            "form": form,
            "open_alerts": selectors.open_alerts(scope).count(),
            "candidates": selectors.candidates(scope).count(),
            "query": _query_without_page(request),
        },
    )


@login_required
def candidates(request):
    """Residents tagged living alone, elderly-only or 80+ who are not watched yet."""
    scope = staff_scope(request, Capability.RUN_WATCH)
    tag = request.GET.get("tag", "") or request.POST.get("tag", "")
    people = selectors.candidates(scope, tag=tag)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "all":
                made = services.add_candidates(request.user, scope, list(people))
                messages.success(request, _("%(n)d residents added to the watch list.") % {"n": len(made)})
            else:
                person = get_object_or_404(people, pk=id_in(request.POST.get("resident")))
                watch = services.add_watch(request.user, scope, person)
                messages.success(
                    request, _("%(name)s is on the watch list: add watchers.") % {"name": person.name}
                )
                return redirect("eldercare:watch", watch_id=watch.pk)
        except ValidationError as error:
            show_errors(request, error)
        return redirect(request.get_full_path())
    page = Paginator(people, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "eldercare/candidates.html", {"page": page, "tag": tag, "tags": selectors.WATCH_TAGS}
    )


@login_required
def watch(request, watch_id: int):
    scope = staff_scope(request, Capability.RUN_WATCH)
    the_watch = _watch(scope, watch_id)
    if request.method == "POST":
        return _watch_post(request, scope, the_watch)
    now = timezone.now()
    proxies = Proxy.objects.filter(resident=the_watch.resident, revoked_at__isnull=True).select_related(
        "user"
    )
    family_form = FamilyForm(
        proxies=proxies,
        initial={
            "name": the_watch.family_name,
            "relation": the_watch.family_relation,
            "phone": the_watch.family_phone,
            "user": the_watch.family_user_id,
        },
    )
    return render(
        request,
        "eldercare/watch.html",
        {
            "watch": the_watch,
            "call_back": call_back(scope, the_watch.resident),
            "rules": rules_for(the_watch),
            "today": selectors.today_of(_with_today(the_watch, now), now)[0],
            "watchers": selectors.watchers_of(the_watch),
            "calendar": selectors.calendar(the_watch, now=now),
            "alerts": selectors.recent_alerts(the_watch),
            "watcher_form": WatcherForm(),
            "family_form": family_form,
            "cutoff_form": CutoffForm(
                initial={
                    "day_cutoff": the_watch.day_cutoff,
                    "night_cutoff": the_watch.night_cutoff,
                    "note": the_watch.note,
                }
            ),
            "stop_form": StopForm(),
            "kinds": [k for k in CheckKind if k != CheckKind.CONCERN],
            "active": the_watch.status == WatchStatus.ACTIVE,
        },
    )


def _with_today(the_watch, now):
    """The watch with today's checks and open alerts attached, as ``today_of`` wants them."""
    today = watch_day(now)
    the_watch.today_checks = list(the_watch.checks.filter(day=today).select_related("by").order_by("at"))
    the_watch.open_alerts = list(the_watch.alerts.filter(closed_at__isnull=True).order_by("raised_at"))
    return [the_watch]


def _watch_post(request, scope, the_watch):
    action = request.POST.get("action", "")
    try:
        if action == "add_watcher":
            watcher_form = WatcherForm(request.POST)
            if not watcher_form.is_valid():
                for errors in watcher_form.errors.values():
                    for text in errors:
                        messages.error(request, str(text))
            else:
                services.add_watcher(
                    request.user,
                    scope,
                    the_watch,
                    watcher_form.cleaned_data["phone"],
                    watcher_form.cleaned_data["kind"],
                )
                messages.success(request, _("Watcher added; they are told in the app."))
        elif action == "remove_watcher":
            watcher = get_object_or_404(Watcher, watch=the_watch, pk=id_in(request.POST.get("watcher")))
            services.remove_watcher(scope, watcher)
            messages.success(request, _("%(name)s no longer watches.") % {"name": watcher.user.name})
        elif action == "family":
            _family_post(request, scope, the_watch)
        elif action == "cutoffs":
            cutoff_form = CutoffForm(request.POST)
            if cutoff_form.is_valid():
                data = cutoff_form.cleaned_data
                services.set_cutoffs(
                    scope, the_watch, day=data["day_cutoff"], night=data["night_cutoff"], note=data["note"]
                )
                messages.success(request, _("Changes saved."))
            else:
                messages.error(request, _("Give the times as hours and minutes, e.g. 09:30."))
        elif action in ("paused", "ended"):
            services.change_status(
                request.user,
                scope,
                the_watch,
                action,
                request.POST.get("reason", ""),
                request.POST.get("note", ""),
            )
            messages.success(
                request, _("The watch is paused.") if action == "paused" else _("The watch has ended.")
            )
        elif action == "resume":
            services.change_status(request.user, scope, the_watch, WatchStatus.ACTIVE)
            messages.success(request, _("The watch runs again; checks are due from tomorrow."))
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as error:
        show_errors(request, error)
    return redirect("eldercare:watch", watch_id=the_watch.pk)


def _family_post(request, scope, the_watch) -> None:
    proxies = Proxy.objects.filter(resident=the_watch.resident, revoked_at__isnull=True)
    form = FamilyForm(request.POST, proxies=proxies)
    if not form.is_valid():
        raise ValidationError([text for errors in form.errors.values() for text in errors])
    data = form.cleaned_data
    services.set_family(
        scope, the_watch, name=data["name"], relation=data["relation"], phone=data["phone"], user=data["user"]
    )
    messages.success(request, _("Family contact saved."))


@login_required
def alerts(request):
    scope = staff_scope(request, Capability.RUN_WATCH)
    page = Paginator(selectors.open_alerts(scope), PER_PAGE).get_page(request.GET.get("page"))
    selectors.with_call_back(scope, page.object_list)
    return render(
        request,
        "eldercare/alerts.html",
        {"page": page, "closed": selectors.closed_alerts(scope), "close_form": CloseForm()},
    )


@login_required
def alert(request, alert_id: int):
    scope = staff_scope(request, Capability.RUN_WATCH)
    the_alert = scope.get(selectors.alerts_with_details(), pk=alert_id)
    form = CloseForm(posted(request))
    if request.method == "POST":
        try:
            if request.POST.get("action") == "acknowledge":
                checks.acknowledge(request.user, scope, the_alert)
                messages.success(request, _("Acknowledged: the alert goes no further."))
                return redirect("eldercare:alert", alert_id=the_alert.pk)
            if form.is_valid():
                checks.close_alert(
                    request.user, scope, the_alert, form.cleaned_data["outcome"], form.cleaned_data["note"]
                )
                messages.success(request, _("Alert closed."))
                return redirect("eldercare:alerts")
        except ValidationError as error:
            form_errors(form, error)
    selectors.with_call_back(scope, [the_alert])
    return render(request, "eldercare/alert.html", {"alert": the_alert, "form": form})


@login_required
def policy(request):
    scope = staff_scope(request, Capability.RUN_WATCH)
    try:
        committee = services.committee_for_policy(scope)
    except PermissionDenied:
        return render(request, "eldercare/policy.html", {"form": None, "committee": None}, status=403)
    current = WatchPolicy.objects.filter(committee=committee).first() or WatchPolicy(committee=committee)
    form = PolicyForm(posted(request), instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_policy(
                request.user, scope, **{k: form.cleaned_data[k] for k in PolicyForm.Meta.fields}
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("eldercare:policy")
    return render(request, "eldercare/policy.html", {"form": form, "committee": committee})
