"""Staff pages: projects (``Capability.RUN_PROJECTS``) and competition rounds
(``Capability.RUN_COMPETITIONS``), the figures per committee. Views ask; the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from common.forms import form_errors, posted, show_errors
from common.scope import Capability, staff_scope
from projects import competitions, proposals, ranking, rules, selectors
from projects.forms import (
    AnswerForm,
    CheckForm,
    DoneForm,
    EnterForm,
    JudgeForm,
    MilestoneForm,
    NoticeForm,
    PhotosForm,
    ProjectForm,
    ReportForm,
    RoundForm,
    RubricForm,
    StatusForm,
    rubric_text,
)
from projects.models import Entry, GovernanceStatus, Objection, Project, ReportPhoto, Round


def _projects(request):
    return staff_scope(request, Capability.RUN_PROJECTS)


def _rounds(request):
    return staff_scope(request, Capability.RUN_COMPETITIONS)


def _project(request, gov_project_id: int) -> Project:
    scope = _projects(request)
    return scope.get(selectors.staff_projects(scope), _("No such project in your area."), pk=gov_project_id)


def _round(request, round_id: int) -> Round:
    scope = _rounds(request)
    return scope.get(Round.objects.select_related("area"), _("No such round in your area."), pk=round_id)


# --- Projects -------------------------------------------------------------------------------------


@login_required
def index(request):
    scope = _projects(request)
    return render(
        request,
        "projects/index.html",
        {
            "projects": list(selectors.staff_projects(scope).order_by("-created_at", "pk")[:200]),
            "may_add": rules.runs_area(scope, scope.area),
            "may_run_rounds": scope.can(Capability.RUN_COMPETITIONS),
        },
    )


@login_required
def project_new(request):
    scope = _projects(request)
    if not rules.runs_area(scope, scope.area):
        return redirect("projects:index")
    form = ProjectForm(posted(request), area=scope.area)
    if form.is_valid():
        try:
            made = proposals.propose(request.user, form.draft(), scope=scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("%(title)s proposed.") % {"title": made.title})
            return redirect(made)
    return render(request, "projects/project_form.html", {"form": form, "project": None})


@login_required
def project(request, gov_project_id: int):
    found = _project(request, gov_project_id)
    status_form = StatusForm()
    status_form.fields["status"].choices = [  # type: ignore[attr-defined]
        (s, GovernanceStatus(s).label) for s in found.next_statuses
    ]
    return render(
        request,
        "projects/project.html",
        {
            "project": found,
            "budget": list(found.budget.all()),
            "milestones": list(found.milestones.all()),
            "photos": list(found.photos.all()),
            "entries": list(found.entries.select_related("round")),
            "status_form": status_form,
            "milestone_form": MilestoneForm(),
            "report_form": ReportForm(initial={"report": found.report}),
            "photos_form": PhotosForm(),
            "enter_form": EnterForm(rounds=competitions.rounds_open_for(found)),
        },
    )


@login_required
def project_edit(request, gov_project_id: int):
    found = _project(request, gov_project_id)
    form = ProjectForm(posted(request), area=found.area, project=found)
    if form.is_valid():
        try:
            proposals.change(found, form.draft(), scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(found)
    return render(request, "projects/project_form.html", {"form": form, "project": found})


@login_required
@require_POST
def project_status(request, gov_project_id: int):
    found = _project(request, gov_project_id)
    try:
        proposals.move(
            found,
            request.POST.get("status", ""),
            scope=request.scope,
            note=request.POST.get("note", "")[:500],
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Status changed."))
    return redirect(found)


@login_required
@require_POST
def milestone_add(request, gov_project_id: int):
    found = _project(request, gov_project_id)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Name the milestone and give the day it is due."))
        return redirect(found)
    try:
        proposals.add_milestone(
            found, form.cleaned_data["title"], form.cleaned_data["due"], scope=request.scope
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Milestone added."))
    return redirect(found)


@login_required
@require_POST
def milestone_done(request, gov_project_id: int):
    found = _project(request, gov_project_id)
    form = DoneForm(request.POST)
    milestone = (
        found.milestones.filter(pk=form.cleaned_data["milestone"]).first() if form.is_valid() else None
    )
    if milestone is None:
        messages.error(request, _("No such milestone."))
        return redirect(found)
    try:
        proposals.mark_done(
            milestone, form.cleaned_data["done_on"], form.cleaned_data["note"], scope=request.scope
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Milestone done."))
    return redirect(found)


@login_required
@require_POST
def report(request, gov_project_id: int):
    found = _project(request, gov_project_id)
    try:
        proposals.write_report(found, request.POST.get("report", "")[:10000], scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Report saved."))
    return redirect(found)


@login_required
@require_POST
def photos_add(request, gov_project_id: int):
    found = _project(request, gov_project_id)
    form = PhotosForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a photo."))
        return redirect(found)
    try:
        proposals.add_photos(request.user, found, form.cleaned_data["photos"], scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Photos added."))
    return redirect(found)


@login_required
@require_POST
def photo_remove(request, report_photo_id: int):
    scope = _projects(request)
    photo = scope.get(
        ReportPhoto.objects.select_related("project__area"), _("No such photo."), pk=report_photo_id
    )
    proposals.remove_photo(photo, scope=scope)
    messages.success(request, _("Photo removed."))
    return redirect(photo.project)


@login_required
@require_POST
def enter(request, gov_project_id: int):
    found = _project(request, gov_project_id)
    form = EnterForm(request.POST, rounds=competitions.rounds_open_for(found))
    if not form.is_valid():
        messages.error(request, _("Choose a round whose call is open."))
        return redirect(found)
    try:
        competitions.enter(form.cleaned_data["round"], found, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Entered."))
    return redirect(found)


@login_required
def figures(request):
    scope = staff_scope(request, Capability.RUN_PROJECTS)
    return render(request, "projects/figures.html", {"rows": selectors.figures(scope), "area": scope.area})


# --- Competition rounds ---------------------------------------------------------------------------


@login_required
def rounds(request):
    scope = _rounds(request)
    return render(
        request,
        "projects/rounds.html",
        {
            "rounds": list(selectors.staff_rounds(scope)[:100]),
            "may_add": rules.sets_rounds(scope, scope.area),
        },
    )


@login_required
def round_new(request):
    scope = _rounds(request)
    if not rules.sets_rounds(scope, scope.area):
        return redirect("projects:rounds")
    form = RoundForm(posted(request))
    if form.is_valid():
        try:
            made = competitions.open_round(form.draft(), scope=scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request, _("%(title)s opened. Now set its rubric and judges.") % {"title": made.title}
            )
            return redirect(made)
    return render(request, "projects/round_form.html", {"form": form, "round": None})


@login_required
def round_detail(request, round_id: int):
    found = _round(request, round_id)
    blind = rules.judges_round(request.user, found)
    rows = [] if blind else ranking.rank(found)
    return render(
        request,
        "projects/round.html",
        {
            "round": found,
            "criteria": list(found.criteria.all()),
            "judges": list(found.judges.select_related("user")),
            "entries": list(found.entries.select_related("project", "area")),
            "rows": rows,
            "blind": blind,
            "rule": ranking.RULE,
            "objections": list(Objection.objects.filter(entry__round=found).select_related("entry__project")),
            "judge_form": JudgeForm(),
            "notice_form": NoticeForm(),
            "check_form": CheckForm(),
            "answer_form": AnswerForm(),
        },
    )


@login_required
def round_edit(request, round_id: int):
    found = _round(request, round_id)
    initial = {
        "title": found.title,
        "year": found.year,
        "call_opens": found.call_opens,
        "call_closes": found.call_closes,
        "pick": found.pick,
        "about": found.about,
    }
    form = RoundForm(posted(request), initial=initial)
    if form.is_valid():
        try:
            competitions.change_round(found, form.draft(), scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(found)
    return render(request, "projects/round_form.html", {"form": form, "round": found})


@login_required
def rubric(request, round_id: int):
    found = _round(request, round_id)
    form = RubricForm(posted(request), initial={"criteria": rubric_text(list(found.criteria.all()))})
    if form.is_valid():
        try:
            competitions.set_rubric(found, form.cleaned_data["criteria"], scope=request.scope)
        except ValidationError as error:
            for text in error.messages:
                form.add_error("criteria", text)
        else:
            messages.success(request, _("Rubric saved."))
            return redirect(found)
    return render(request, "projects/rubric.html", {"form": form, "round": found})


@login_required
@require_POST
def judge_add(request, round_id: int):
    found = _round(request, round_id)
    form = JudgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the judge's 11-digit mobile number."))
        return redirect(found)
    user = User.objects.filter(phone=form.cleaned_data["phone"]).first()
    try:
        competitions.add_judge(found, user, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Judge added."))
    return redirect(found)


@login_required
@require_POST
def advance(request, round_id: int):
    """Open judging, publish the notice (with its days for objections) or the results."""
    found = _round(request, round_id)
    step = request.POST.get("step", "")
    try:
        if step == "judging":
            competitions.open_judging(found, scope=request.scope)
        elif step == "notice":
            form = NoticeForm(request.POST)
            days = form.cleaned_data["days"] if form.is_valid() else 0
            competitions.publish_notice(found, days, scope=request.scope)
        elif step == "results":
            competitions.publish_results(found, scope=request.scope)
        else:
            messages.error(request, _("Nothing to do."))
            return redirect(found)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Done."))
    return redirect(found)


@login_required
@require_POST
def entry_check(request, round_entry_id: int):
    scope = _rounds(request)
    entry = scope.get(Entry.objects.select_related("round__area"), _("No such entry."), pk=round_entry_id)
    form = CheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose eligible or not eligible."))
        return redirect(entry.round)
    try:
        competitions.check_entry(
            entry, form.cleaned_data["eligible"], form.cleaned_data["reason"], scope=scope
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Checked."))
    return redirect(entry.round)


@login_required
@require_POST
def objection_answer(request, objection_id: int):
    scope = _rounds(request)
    found = scope.get(
        Objection.objects.select_related("entry__round__area"), _("No such objection."), pk=objection_id
    )
    try:
        competitions.answer(request.user, found, request.POST.get("answer", "")[:2000], scope=scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Answered."))
    return redirect(found.entry.round)
