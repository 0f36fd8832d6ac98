"""The judges' pages: the rounds they judge, and one entry to score (blind: no other judge's
score shows before their own is submitted) or to declare a conflict on."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import form_errors, posted, show_errors
from common.scope import get_or_404
from projects import judging as services
from projects import rules, selectors
from projects.forms import ConflictForm, ScoreForm
from projects.models import Entry, Score


def _entry(request, round_entry_id: int) -> Entry:
    return get_or_404(selectors.judged_entries(request.user), _("No such entry to judge."), pk=round_entry_id)


@login_required
def mine(request):
    """The rounds I judge and their eligible entries, with what I have done on each."""
    entries = list(selectors.judged_entries(request.user).order_by("round", "entered_at", "pk")[:500])
    scored = set(
        Score.objects.filter(judge__user=request.user, superseded_at__isnull=True).values_list(
            "entry_id", flat=True
        )
    )
    return render(
        request,
        "projects/judging/mine.html",
        {"rounds": list(selectors.judged_rounds(request.user)), "entries": entries, "scored": scored},
    )


@login_required
def entry(request, round_entry_id: int):
    found = _entry(request, round_entry_id)
    judge = rules.judge_of(request.user, found.round)
    assert judge is not None
    criteria = list(found.round.criteria.all())
    own = services.own_score(judge, found)
    form = ScoreForm(posted(request), criteria=criteria)
    if form.is_valid():
        try:
            if own is not None and request.POST.get("amend") == "1":
                services.amend(request.user, found, form.marks(), form.cleaned_data["comment"])
            else:
                services.submit(request.user, found, form.marks(), form.cleaned_data["comment"])
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Score submitted."))
            return redirect("projects:judge_entry", found.pk)
    others = []
    if rules.may_see_scores(request.user, request.scope, found):
        others = list(
            Score.objects.filter(entry=found, superseded_at__isnull=True)
            .exclude(judge=judge)
            .order_by("total")
        )
    return render(
        request,
        "projects/judging/entry.html",
        {
            "entry": found,
            "project": found.project,
            "budget": list(found.project.budget.all()),
            "own": own,
            "others": others,
            "form": form,
            "conflict": rules.has_conflict(judge, found),
            "conflict_form": ConflictForm(),
            "is_own": services.is_own(request.user, found),
        },
    )


@login_required
@require_POST
def conflict(request, round_entry_id: int):
    found = _entry(request, round_entry_id)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how you are connected to the entry."))
        return redirect("projects:judge_entry", found.pk)
    try:
        services.declare_conflict(request.user, found, form.cleaned_data["reason"])
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Conflict declared: you will not score this entry."))
    return redirect("projects:judge_entry", found.pk)
