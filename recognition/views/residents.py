"""Residents' pages: offering one's skill as local talent, and nominating a neighbour for an
award of one's committee (as oneself, or for the family member one acts for)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.forms import form_errors, id_in, posted
from common.scope import get_or_404
from recognition import awards, talent
from recognition.forms import NominationForm, TalentForm
from recognition.models import Award, Talent
from registry.models import Resident
from registry.selectors import people_of


def _person(request) -> Resident:
    people = people_of(request.user)
    if not people:
        raise PermissionDenied(_("Link your account to your registry record first."))
    wanted = id_in(request.GET.get("for") or request.POST.get("for"))
    return next((p for p in people if p.pk == wanted), people[0])


@login_required
def offer(request):
    """Offer a skill: the committee confirms it before the public sees it."""
    person = _person(request)
    current = Talent.objects.filter(resident=person).exclude(status="withdrawn").first()
    form = TalentForm(posted(request), initial={"shown_as": talent.default_shown_as(person)})
    if current is None and form.is_valid():
        try:
            talent.offer(request.user, person, talent.TalentDraft(**form.cleaned_data))
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Thank you: the committee will confirm your offer."))
            return redirect("recognition:offer")
    return render(
        request,
        "recognition/mine/offer.html",
        {"form": form, "person": person, "people": people_of(request.user), "current": current},
    )


@login_required
def my_awards(request):
    person = _person(request)
    found = (
        Award.objects.filter(committee=person.committee_id)
        .select_related("committee")
        .order_by("-year", "-pk")
    )
    return render(request, "recognition/mine/awards.html", {"awards": found, "person": person})


@login_required
def nominate(request, award_id: int):
    person = _person(request)
    award = get_or_404(Award.objects.filter(committee=person.committee_id), _("No such award."), pk=award_id)
    query = request.GET.get("q", "")[:20].strip()
    living = (
        Resident.objects.living().filter(committee=award.committee_id).select_related("household__building")
    )
    if request.method == "POST":
        nominees = list(living.filter(pk=id_in(request.POST.get("nominee"))))
    else:
        nominees = list(living.filter(name__contains=query).order_by("name", "pk")[:30]) if query else []
    form = NominationForm(posted(request), nominees=nominees)
    if nominees and form.is_valid():
        try:
            awards.nominate(request.user, person, award, nominees[0], form.cleaned_data["reason"])
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Thank you for your nomination."))
            return redirect(award.public_url())
    return render(
        request,
        "recognition/mine/nominate.html",
        {"award": award, "form": form, "q": query, "nominees": nominees},
    )
