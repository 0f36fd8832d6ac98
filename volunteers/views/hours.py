"""Hours pages: my hours (log them, see each line's state), the hours a leader or staff have to
confirm (all ticked at once, or one declined with a reason), staff logging for a volunteer
without a phone, and the correction of a confirmed line."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.forms import form_errors, id_in, ids_in, posted, show_errors
from common.scope import Capability, get_or_404, staff_scope
from volunteers import hours, ledgers
from volunteers.forms.hours import HoursForm, LogForForm, ReasonForm
from volunteers.models import Team
from volunteers.rules import volunteer_of

PER_PAGE = 25
RECENT = 20  # confirmed lines shown for correction


@login_required
def mine(request):
    """My hours: the form to log them and my ledger, each line with its state."""
    volunteer = volunteer_of(request.user)
    may_confirm = ledgers.may_confirm_any(request.user, request.scope)
    if volunteer is None:
        return render(request, "volunteers/hours/mine.html", {"volunteer": None, "may_confirm": may_confirm})
    form = HoursForm(
        posted(request),
        services=ledgers.services_for(volunteer.committee),
        teams=ledgers.teams_of(volunteer),
    )
    if request.method == "POST" and form.is_valid():
        try:
            hours.log_own(request.user, form.served(), scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Logged: a team leader or the committee will confirm it."))
            return redirect("volunteers:hours")
    page = Paginator(ledgers.lines_of(volunteer), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "volunteers/hours/mine.html",
        {"volunteer": volunteer, "form": form, "page": page, "may_confirm": may_confirm},
    )


@login_required
def to_confirm(request):
    """The hours a leader (of their teams) or staff (of their area) have to confirm."""
    scope = request.scope
    if not ledgers.may_confirm_any(request.user, scope):
        raise PermissionDenied(_("Only team leaders and the committee's staff confirm hours."))
    waiting = ledgers.to_confirm(request.user, scope)
    if request.method == "POST":
        try:
            if "decline" in request.POST:
                entry = get_or_404(waiting, pk=id_in(request.POST.get("decline")))
                hours.decline(entry, by=request.user, scope=scope, reason=request.POST.get("reason", ""))
                messages.success(request, _("Declined; the volunteer sees why."))
            else:
                chosen = list(waiting.filter(pk__in=ids_in(request.POST.getlist("entry"))))
                if not chosen:
                    raise ValidationError(_("Tick the hours to confirm."))
                count = hours.confirm_many(chosen, by=request.user, scope=scope)
                messages.success(request, _("%(count)d lines confirmed.") % {"count": count})
        except ValidationError as error:
            show_errors(request, error)
        return redirect("volunteers:hours_to_confirm")
    page = Paginator(waiting, PER_PAGE).get_page(request.GET.get("page"))
    recent = (
        ledgers.confirmable(request.user, scope)
        .confirmed()
        .filter(reverses__isnull=True, reversal__isnull=True)
        .select_related("volunteer", "team", "service")
        .order_by("-confirmed_at", "-pk")[:RECENT]
    )
    return render(request, "volunteers/hours/to_confirm.html", {"page": page, "recent": recent})


@login_required
def log_for(request):
    """Staff log hours for a volunteer (an elderly one without a phone): confirmed at once."""
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    form = LogForForm(
        posted(request),
        volunteers=ledgers.volunteers_in(scope),
        services=ledgers.services_for(scope.area),
        teams=scope.restrict(Team.objects.current()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = hours.log_for(request.user, form.cleaned_data["volunteer"], form.served(), scope=scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("%(hours)s hours logged for %(name)s.") % {"hours": entry.hours, "name": entry.volunteer},
            )
            return redirect("volunteers:hours_log_for")
    return render(request, "volunteers/hours/log_for.html", {"form": form})


@login_required
def correct(request, hours_id: int):
    """A confirmed line found wrong: corrected by a reversing line with the reason."""
    entry = get_or_404(
        ledgers.confirmable(request.user, request.scope).select_related("volunteer", "team", "service"),
        _("No hours you may correct."),
        pk=hours_id,
    )
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            hours.reverse(entry, by=request.user, scope=request.scope, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Corrected: the hours and their credits are reversed."))
            return redirect("volunteers:hours_to_confirm")
    return render(request, "volunteers/hours/correct.html", {"entry": entry, "form": form})
