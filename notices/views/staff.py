"""Staff pages: the list of an area's notices, writing and publishing one, its read
receipts with the building leaders' follow-up lists, and the publicity plan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from areas.models import Area, AreaLevel
from common.forms import form_errors, id_in, ids_in, posted
from common.scope import Capability, staff_scope
from notices import selectors, services
from notices.forms import CadenceForm, NoticeForm, ScheduleForm, WithdrawForm
from notices.models import Attachment, Cadence, Notice, NoticeCategory, NoticeState

PER_PAGE = 25


def _own(scope, notice_id: int) -> Notice:
    return scope.get(Notice.objects.select_related("area"), pk=notice_id)


@login_required
def manage(request):
    """The notices of the active role's area, newest first, filtered by state or category."""
    scope = staff_scope(request, Capability.VIEW_WORKSPACE)
    notices = selectors.notices_in(scope)
    state = request.GET.get("state", "")
    category = request.GET.get("category", "")
    if category in NoticeCategory.values:
        notices = notices.filter(category=category)
    notices = selectors.in_state(notices, state)
    page = Paginator(notices, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/manage.html",
        {
            "page": page,
            "state": state,
            "category": category,
            "states": NoticeState.choices,
            "categories": NoticeCategory.choices,
            "can_publish": scope.can(Capability.PUBLISH_NOTICES),
            "query": "&".join(f"{k}={v}" for k, v in (("state", state), ("category", category)) if v),
        },
    )


@login_required
def new(request):
    scope = staff_scope(request, Capability.PUBLISH_NOTICES)
    form = NoticeForm(posted(request), request.FILES or None, area=scope.area)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.create_notice(request.user, scope, form.draft(), form.cleaned_data["files"])
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The notice is saved as a draft. Check it, then publish it."))
            return redirect("notices:edit", notice_id=notice.pk)
    return render(request, "notices/edit.html", {"form": form, "notice": None})


@login_required
def edit(request, notice_id: int):
    scope = staff_scope(request, Capability.PUBLISH_NOTICES)
    notice = _own(scope, notice_id)
    form = NoticeForm(posted(request), request.FILES or None, area=notice.area, notice=notice)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_notice(scope, notice, form.draft(), form.cleaned_data["files"])
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("notices:edit", notice_id=notice.pk)
    return render(
        request,
        "notices/edit.html",
        {
            "form": form,
            "notice": notice,
            "attachments": list(notice.attachments.all()),
            "schedule_form": ScheduleForm(),
            "withdraw_form": WithdrawForm(),
        },
    )


@login_required
@require_POST
def action(request, notice_id: int):
    """Publish now or at a time, back to draft, pin or unpin, withdraw, remove a file."""
    scope = staff_scope(request, Capability.PUBLISH_NOTICES)
    notice = _own(scope, notice_id)
    what = request.POST.get("action", "")
    try:
        if what == "publish":
            services.publish(scope, notice)
            messages.success(request, _("Published. The residents it is for are being notified."))
        elif what == "schedule":
            form = ScheduleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(list(form.errors["publish_at"]))
            services.publish(scope, notice, form.cleaned_data["publish_at"])
            messages.success(request, _("Scheduled: it will appear and be sent at the time chosen."))
        elif what == "unschedule":
            services.unschedule(scope, notice)
            messages.success(request, _("Back to a draft."))
        elif what in ("pin", "unpin"):
            services.set_pinned(scope, notice, what == "pin")
        elif what == "withdraw":
            services.withdraw(scope, notice, request.POST.get("reason", ""))
            messages.success(request, _("Withdrawn: residents no longer see it."))
        elif what == "delete":
            services.delete_draft(scope, notice)
            messages.success(request, _("The draft is deleted."))
            return redirect("notices:manage")
        elif what == "remove_file":
            item = get_object_or_404(Attachment, pk=id_in(request.POST.get("attachment")), notice=notice)
            services.remove_attachment(scope, item)
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return (
        redirect(request.POST.get("next") or "notices:edit", notice_id=notice.pk)
        if not request.POST.get("next")
        else redirect(request.POST["next"])
    )


def _readable_by_staff(scope, notice_id: int) -> Notice:
    notice = selectors.detail(notice_id)
    if notice is None or not selectors.notices_in(scope).filter(pk=notice.pk).exists():
        raise Http404
    return notice


@login_required
def receipts(request, notice_id: int):
    """Who of the audience has read it, per building group in the scope."""
    scope = staff_scope(request, Capability.VIEW_PEOPLE)
    notice = _readable_by_staff(scope, notice_id)
    rows = selectors.receipts(notice, scope)
    total = sum(r.total for r in rows)
    read = sum(r.read for r in rows)
    return render(
        request,
        "notices/receipts.html",
        {
            "notice": notice,
            "rows": rows,
            "total": total,
            "read": read,
            "percent": f"{100 * read / total:.0f}%" if total else "–",
        },
    )


@login_required
def follow_up(request, notice_id: int, code: str):
    """One building group: who has not read it yet (to visit), who has and how."""
    scope = staff_scope(request, Capability.VIEW_PEOPLE)
    notice = _readable_by_staff(scope, notice_id)
    group = scope.get(Area.objects.all(), code=code)
    if request.method == "POST":
        ids = ids_in(request.POST.getlist("residents"))
        count = services.record_told(request.user, scope, notice, ids)
        messages.success(
            request,
            ngettext(
                "%(n)d resident marked as told in person.", "%(n)d residents marked as told in person.", count
            )
            % {"n": count},
        )
        return redirect("notices:follow_up", notice_id=notice.pk, code=group.code)
    return render(
        request,
        "notices/follow_up.html",
        {
            "notice": notice,
            "group": group,
            "unread": list(selectors.unread_in(notice, scope, group)),
            "reads": list(selectors.reads_in(notice, scope, group)),
        },
    )


@login_required
def plan(request):
    """The publicity plan: notices published per category and month against the cadence."""
    scope = staff_scope(request, Capability.VIEW_WORKSPACE)
    committees = selectors.committees_for_plan(scope)
    code = request.GET.get("committee") or (
        scope.area.code if scope.area.level == AreaLevel.COMMITTEE else ""
    )
    committee = committees.filter(code=code).first() if code else None
    context: dict[str, Any] = {
        "committee": committee,
        "committees": committees[:300] if committee is None else None,
    }
    if committee is not None:
        wanted = dict(Cadence.objects.filter(committee=committee).values_list("category", "per_month"))
        form = CadenceForm(posted(request), wanted=wanted)
        if request.method == "POST":
            services.require_publisher(scope)
            if form.is_valid():
                try:
                    for category in NoticeCategory.values:
                        services.set_cadence(scope, committee, category, form.cleaned_data.get(category))
                except ValidationError as error:
                    form_errors(form, error)
                else:
                    messages.success(request, _("The plan is saved."))
                    return redirect(f"{request.path}?committee={committee.code}")
        categories, months = selectors.plan(committee)
        context.update(
            form=form,
            can_publish=scope.can(Capability.PUBLISH_NOTICES),
            categories=[NoticeCategory(c).label for c in categories],
            months=months,
        )
    return render(request, "notices/plan.html", context)
