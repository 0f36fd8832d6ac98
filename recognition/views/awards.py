"""Awards (最美江秋人) for staff with ``Capability.RUN_AWARDS``: the rounds, one round with its
nominations and the vote beside them, nominating, opening the vote, the decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import form_errors, id_in, posted, show_errors
from common.scope import Capability, staff_scope
from recognition import awards as service
from recognition.forms import AwardForm, DecideForm, NominationForm, OpenVoteForm
from recognition.models import Award
from registry.models import Resident
from registry.selectors import search_residents


def _staff(request):
    return staff_scope(request, Capability.RUN_AWARDS)


def _award(request, award_id: int) -> Award:
    return _staff(request).get(
        Award.objects.select_related("committee", "topic"), _("No such award."), pk=award_id
    )


@login_required
def award_list(request):
    scope = _staff(request)
    found = scope.restrict(Award.objects.select_related("committee")).order_by("-year", "-pk")
    return render(
        request, "recognition/awards/index.html", {"awards": found, "may_add": scope.in_committee is not None}
    )


@login_required
def award_new(request):
    scope = _staff(request)
    if scope.in_committee is None:
        raise Http404
    form = AwardForm(posted(request), initial={"year": timezone.localdate().year})
    if form.is_valid():
        try:
            award = service.create_award(request.user, service.AwardDraft(**form.cleaned_data), scope=scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            return redirect(award.get_absolute_url())
    return render(request, "recognition/awards/form.html", {"form": form})


def _nominations(award: Award) -> list:
    counts = service.vote_counts(award)
    found = list(
        award.nominations.select_related("nominee__household__building", "nominated_by").order_by("pk")
    )
    for n in found:
        n.votes = counts.get(n.pk)  # type: ignore[attr-defined]
    return found


@login_required
def award(request, award_id: int):
    """The round: nominations with their reasons and, once the vote is open, its counts beside
    them; the forms for the next step."""
    scope = _staff(request)
    found = _award(request, award_id)
    nominations = _nominations(found)
    query = request.GET.get("q", "")[:50]
    nominees = (
        [r for r in search_residents(scope, query) if r.is_living and r.committee_id == found.committee_id]
        if query
        else []
    )
    return render(
        request,
        "recognition/awards/award.html",
        {
            "award": found,
            "nominations": nominations,
            "results": service.vote_results(found),
            "q": query,
            "nominate_form": NominationForm(nominees=nominees) if nominees else None,
            "vote_form": OpenVoteForm(),
            "decide_form": DecideForm(nominations=nominations),
        },
    )


def _back(award: Award):
    return redirect(award.get_absolute_url())


@login_required
@require_POST
def award_nominate(request, award_id: int):
    scope = _staff(request)
    found = _award(request, award_id)
    nominees = list(
        Resident.objects.living()
        .filter(committee=found.committee_id, pk=id_in(request.POST.get("nominee")))
        .select_related("household__building")
    )
    form = NominationForm(request.POST, nominees=nominees)
    if form.is_valid():
        try:
            service.nominate_as_staff(
                request.user, found, nominees[0], form.cleaned_data["reason"], scope=scope
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Nomination added."))
    else:
        messages.error(request, _("Choose the nominee and say why."))
    return _back(found)


@login_required
@require_POST
def award_open_vote(request, award_id: int):
    scope = _staff(request)
    found = _award(request, award_id)
    form = OpenVoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give when voting opens and closes."))
        return _back(found)
    try:
        service.open_vote(
            request.user, found, form.cleaned_data["opens_at"], form.cleaned_data["closes_at"], scope=scope
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("The public vote is open."))
    return _back(found)


@login_required
@require_POST
def award_decide(request, award_id: int):
    scope = _staff(request)
    found = _award(request, award_id)
    form = DecideForm(request.POST, nominations=list(found.nominations.select_related("nominee")))
    if not form.is_valid():
        messages.error(request, _("Choose the winners and write down the decision."))
        return _back(found)
    try:
        service.decide(
            request.user, found, form.cleaned_data["winners"], form.cleaned_data["decision"], scope=scope
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Decided; the winners' page is public."))
    return _back(found)
