"""Public pages, no login: a project's page (what, who, budget, milestones, report and photos),
a round's 公示 and results (ranked entries, results, the rule). Nobody's personal data: a
resident who proposed a project is "a resident", judges are not named, no phone numbers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.forms import show_errors
from common.scope import get_or_404
from projects import competitions, ranking, selectors
from projects.forms import ObjectionForm
from projects.models import Objection, Project, ReportPhoto


def project(request, gov_project_id: int):
    found = get_or_404(selectors.public_projects(), _("No such project."), pk=gov_project_id)
    return render(
        request,
        "projects/public/project.html",
        {
            "project": found,
            "budget": list(found.budget.all()),
            "milestones": list(found.milestones.all()),
            "photos": list(found.photos.all()),
        },
    )


def photo(request, report_photo_id: int):
    item = get_or_404(
        ReportPhoto.objects.filter(project__in=Project.objects.public()),
        _("No such photo."),
        pk=report_photo_id,
    )
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, filename=item.name)


def rounds(request):
    return render(request, "projects/public/rounds.html", {"rounds": list(selectors.public_rounds()[:100])})


def notice(request, round_id: int):
    """The 公示 (and, once published, the results); a logged-in visitor may object to an entry
    while the notice runs."""
    found = get_or_404(selectors.public_rounds(), _("No such round."), pk=round_id)
    form = ObjectionForm()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form = ObjectionForm(request.POST)
        if form.is_valid():
            entry = found.entries.filter(pk=form.cleaned_data["entry"]).first()
            if entry is None:
                messages.error(request, _("No such entry in this round."))
            else:
                try:
                    competitions.object_to(request.user, entry, form.cleaned_data["reason"])
                except ValidationError as error:
                    show_errors(request, error)
                else:
                    messages.success(request, _("Your objection is filed; the round's staff will answer it."))
                    return redirect("projects:notice", found.pk)
        else:
            messages.error(request, _("Say what you object to, and why."))
    return render(
        request,
        "projects/public/notice.html",
        {
            "round": found,
            "entries": ranking.frozen(found),
            "criteria": list(found.criteria.all()),
            "rule": ranking.RULE,
            "form": form,
            "objections": list(
                Objection.objects.filter(entry__round=found, answered_at__isnull=False).select_related(
                    "entry__project"
                )
            ),
        },
    )
