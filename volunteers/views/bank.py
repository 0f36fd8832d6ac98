"""Time-bank pages: my time bank (balance, ledger, give to family, donate, the services given
to me to do), a family member's balance and requests (for a proxy), asking for a service;
for staff: the requests (match, done, cancel), the pool (grant), the settings and the list of
volunteers with their balances."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.models import AreaLevel
from common.forms import form_errors, id_in, posted, show_errors
from common.scope import Capability, staff_scope
from registry.models import Resident
from registry.selectors import people_of, search_residents, shares_household, speaks_for
from volunteers import bank, ledgers, spending
from volunteers.forms.bank import AskForm, DonateForm, GiveForm, GrantForm, MatchForm, RuleForm
from volunteers.forms.hours import ReasonForm
from volunteers.models import BankRequest, CreditAccount
from volunteers.rules import volunteer_of

PER_PAGE = 25


def _own_account(user) -> CreditAccount | None:
    volunteer = volunteer_of(user)
    if volunteer is not None:
        return CreditAccount.objects.filter(volunteer=volunteer).first()
    own = Resident.objects.living().filter(user=user).first()
    return CreditAccount.objects.filter(resident=own).first() if own is not None else None


@login_required
def mine(request):
    """My time bank: balance and ledger; give to family and donate (volunteers); the services
    given to me to do; my family's balances."""
    volunteer = volunteer_of(request.user)
    account = _own_account(request.user)
    family = ledgers.family_of(request.user)
    give = GiveForm(posted(request) if "give" in request.POST else None, family=family)
    donate = DonateForm(posted(request) if "donate" in request.POST else None)
    if request.method == "POST":
        done = _give_or_donate(request, give, donate, family)
        if done:
            return redirect("volunteers:bank")
    page = Paginator(ledgers.entries_of(account), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "volunteers/bank/mine.html",
        {
            "volunteer": volunteer,
            "account": account,
            "page": page,
            "family": family,
            "give": give,
            "donate": donate,
            "jobs": ledgers.jobs_of(volunteer) if volunteer else [],
            "requests": ledgers.requests_for(people_of(request.user))[:20],
        },
    )


def _give_or_donate(request, give: GiveForm, donate: DonateForm, family) -> bool:
    try:
        if "give" in request.POST and give.is_valid():
            to = {r.pk: r for r in family}[give.cleaned_data["to"]]
            data = give.cleaned_data
            bank.give(
                request.user, scope=request.scope, amount=data["amount"], resident=to, note=data["note"]
            )
            messages.success(request, _("Given to %(name)s.") % {"name": to.name})
            return True
        if "donate" in request.POST and donate.is_valid():
            data = donate.cleaned_data
            bank.donate(request.user, scope=request.scope, amount=data["amount"], note=data["note"])
            messages.success(request, _("Donated to the committee's pool. Thank you."))
            return True
    except ValidationError as error:
        form_errors(give if "give" in request.POST else donate, error)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal))
    return False


@login_required
def family(request, resident_id: int):
    """A family member's balance, ledger and requests, for the proxy or household who helps them."""
    person = Resident.objects.living().select_related("household__building").filter(pk=resident_id).first()
    if person is None or not (speaks_for(request.user, person) or shares_household(request.user, person)):
        raise Http404(_("No family member of yours."))
    account = (
        CreditAccount.objects.filter(resident=person).first()
        or CreditAccount.objects.filter(volunteer__resident=person).first()
    )
    page = Paginator(ledgers.entries_of(account), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "volunteers/bank/family.html",
        {"person": person, "account": account, "page": page, "requests": ledgers.requests_for([person])[:20]},
    )


@login_required
def ask(request):
    """Ask for a service paid in credits, for oneself or someone one acts for."""
    people = people_of(request.user)
    scope = request.scope
    staff_for = None
    if scope.can(Capability.MANAGE_VOLUNTEERS) and request.GET.get("resident"):
        staff_for = scope.get(
            Resident.objects.living().select_related("household__building"),
            pk=id_in(request.GET.get("resident")),
        )
        people = [staff_for]
    if not people:
        raise PermissionDenied(
            _("Only residents verified against the registry ask the time bank for a service.")
        )
    form = AskForm(posted(request), people=people, services=ledgers.services_for(people[0].committee))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = {p.pk: p for p in people}[data["person"]]
        try:
            spending.ask(
                request.user,
                person,
                scope=scope,
                service=data["service"],
                wanted_at=data["wanted_at"],
                hours_wanted=data["hours"],
                details=data["details"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Asked: the credits are held until it is done or cancelled."))
            return redirect("volunteers:bank_requests" if staff_for else "volunteers:bank")
    return render(request, "volunteers/bank/ask.html", {"form": form, "staff_for": staff_for})


@login_required
@require_POST
def request_action(request, bank_request_id: int):
    """What the resident's side and the volunteer do to a request: cancel it (with a reason) or
    say it is done."""
    found = (
        BankRequest.objects.select_related("resident__household__building", "area", "service")
        .filter(pk=bank_request_id)
        .first()
    )
    volunteer = volunteer_of(request.user)
    if found is None or not (
        spending.may_cancel(request.user, found, request.scope)
        or (volunteer is not None and found.volunteer_id == volunteer.pk)
    ):
        raise Http404(_("No such request."))
    try:
        if request.POST.get("action") == "done":
            spending.report_done(found, by=request.user, scope=request.scope)
            messages.success(request, _("Thank you: the committee will confirm it."))
        else:
            spending.cancel(
                found, by=request.user, scope=request.scope, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Cancelled; the credits are back."))
    except ValidationError as error:
        show_errors(request, error)
    return redirect("volunteers:bank")


# --- Staff -----------------------------------------------------------------------------------


@login_required
def requests(request):
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    page = Paginator(ledgers.requests_in(scope), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "volunteers/bank/requests.html", {"page": page})


@login_required
def bank_request(request, bank_request_id: int):
    """One request for staff: match it to a volunteer who offers the service, mark it done,
    cancel it."""
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    found = scope.get(
        BankRequest.objects.select_related("resident", "service", "volunteer", "area", "hours_entry"),
        _("No time-bank request in your area."),
        pk=bank_request_id,
    )
    form = MatchForm(
        posted(request) if request.POST.get("action") == "match" else None,
        volunteers=ledgers.candidates_for(found, scope),
    )
    reason = ReasonForm(posted(request) if request.POST.get("action") == "cancel" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "match" and form.is_valid():
                spending.match(found, form.cleaned_data["volunteer"], by=request.user, scope=scope)
                messages.success(request, _("Given to %(name)s.") % {"name": form.cleaned_data["volunteer"]})
                return redirect("volunteers:bank_request", bank_request_id=found.pk)
            if action == "done":
                spending.finish(found, by=request.user, scope=scope)
                messages.success(request, _("Done: the volunteer's hours and credits are recorded."))
                return redirect("volunteers:bank_request", bank_request_id=found.pk)
            if action == "cancel" and reason.is_valid():
                spending.cancel(found, by=request.user, scope=scope, reason=reason.cleaned_data["reason"])
                messages.success(request, _("Cancelled; the credits are back."))
                return redirect("volunteers:bank_request", bank_request_id=found.pk)
        except ValidationError as error:
            form_errors(reason if action == "cancel" else form, error)
    return render(request, "volunteers/bank/request.html", {"req": found, "form": form, "reason": reason})


def _rule_area(scope):
    area = scope.area
    if area is None or area.level not in (AreaLevel.COMMITTEE, AreaLevel.STREET):
        raise PermissionDenied(_("The time bank is set for a committee or a street; act in such a role."))
    return area


@login_required
def bank_settings(request):
    """The time bank's rule of the staff member's committee or street."""
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    area = _rule_area(scope)
    terms = bank.terms_for(area)
    initial = {
        "credits_per_hour": terms.credits_per_hour,
        "min_age": terms.min_age,
        "tags": list(terms.tags),
        "not_earning": list(terms.not_earning),
    }
    form = RuleForm(posted(request), initial=initial, services=ledgers.services_for(area))
    if request.method == "POST" and form.is_valid():
        try:
            bank.save_rule(area, by=request.user, scope=scope, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Time-bank settings saved."))
            return redirect("volunteers:bank_settings")
    return render(request, "volunteers/bank/settings.html", {"form": form, "area": area, "terms": terms})


@login_required
def pool(request):
    """The committee's pool: its balance and ledger, and grants to eligible residents."""
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    committee = scope.committee(_("The pool is a committee's; act in a committee role."))
    account = bank.pool_of(committee)
    found = search_residents(scope, request.POST.get("q", "")) if "q" in request.POST else []
    form = GrantForm(posted(request) if "amount" in request.POST else None)
    if "amount" in request.POST and form.is_valid():
        person = scope.get(
            Resident.objects.living().select_related("household__building"), pk=form.cleaned_data["resident"]
        )
        try:
            bank.grant(
                request.user,
                person,
                scope=scope,
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Granted to %(name)s.") % {"name": person.name})
        return redirect("volunteers:bank_pool")
    page = Paginator(ledgers.entries_of(account), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "volunteers/bank/pool.html", {"account": account, "page": page, "found": found, "form": form}
    )


@login_required
def balances(request):
    """The volunteers under the role's area with their balances: read from the accounts, two
    queries a page however long the ledger."""
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    page = Paginator(ledgers.balances(scope), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "volunteers/bank/balances.html", {"page": page})
