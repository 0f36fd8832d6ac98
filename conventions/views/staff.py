"""Staff pages: the conventions in the area with their state and signing rate, drafting one,
moving it through consultation, final text and publication, amending it, reading the
comments, the figures per building with the paper-signature list, and the poster."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from areas.models import AreaLevel
from common.downloads import named
from common.forms import form_errors, id_in, ids_in, posted, show_errors
from common.scope import Capability, get_or_404, staff_scope
from conventions import figures, selectors, services, signing
from conventions.forms import ConsultationForm, ConventionForm
from conventions.models import OPEN_STATES, Convention, ConventionVersion, Signature, VersionState
from conventions.poster import PosterContent, PosterTheme, render_poster
from registry.models import Resident

PER_PAGE = 25


def _staff(request):
    """Staff who manage conventions or record their signatures."""
    scope = staff_scope(request, Capability.VIEW_WORKSPACE)
    if not (scope.can(Capability.MANAGE_CONVENTIONS) or scope.can(Capability.RECORD_SIGNATURES)):
        raise PermissionDenied
    return scope


def _own(scope, convention_id: int) -> Convention:
    """A convention of a committee the managing role covers; anything else is a 404."""
    return scope.get(Convention.objects.select_related("area", "committee"), pk=convention_id)


def _seen(scope, convention_id: int) -> tuple[Convention, list[ConventionVersion]]:
    """A convention whose area overlaps the staff member's, with all its versions."""
    convention = get_or_404(selectors.for_staff(scope), pk=convention_id)
    versions = list(convention.versions.order_by("number"))
    for version in versions:
        version.convention = convention
    return convention, versions


@login_required
def manage(request):
    scope = _staff(request)
    page = Paginator(selectors.for_staff(scope), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "conventions/manage.html",
        {
            "page": page,
            "rows": figures.staff_rows(list(page.object_list), scope),
            "can_manage": scope.can(Capability.MANAGE_CONVENTIONS)
            and scope.area.level == AreaLevel.COMMITTEE,
        },
    )


@login_required
def new(request):
    scope = staff_scope(request, Capability.MANAGE_CONVENTIONS)
    form = ConventionForm(posted(request), committee=services.committee_of_scope(scope))
    if request.method == "POST" and form.is_valid():
        try:
            convention = services.create_convention(request.user, scope, form.draft())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved as a draft. When the text is ready, ask the residents."))
            return redirect("conventions:edit", convention_id=convention.pk)
    return render(request, "conventions/edit.html", {"form": form, "convention": None})


def _open_version(convention: Convention) -> ConventionVersion | None:
    return convention.versions.filter(state__in=OPEN_STATES).first()


@login_required
def edit(request, convention_id: int):
    """The draft's text, and the next step for the version on its way (or an amendment)."""
    scope = staff_scope(request, Capability.MANAGE_CONVENTIONS)
    convention = _own(scope, convention_id)
    version = _open_version(convention)
    form = None
    if version is not None and version.state == VersionState.DRAFT:
        settled = convention.versions.exclude(state=VersionState.DRAFT).exists()
        form = ConventionForm(
            posted(request),
            committee=convention.committee,
            convention=convention,
            version=version,
            settled=settled,
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.update_draft(scope, version, form.draft())
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("conventions:edit", convention_id=convention.pk)
    elif request.method == "POST":
        messages.error(request, _("There is no draft to change: amend the convention to start one."))
        return redirect("conventions:edit", convention_id=convention.pk)
    versions = list(convention.versions.order_by("number"))
    return render(
        request,
        "conventions/edit.html",
        {
            "form": form,
            "convention": convention,
            "version": version,
            "versions": versions,
            "published": next((v for v in versions if v.state == VersionState.PUBLISHED), None),
            "consultation_form": ConsultationForm(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def action(request, convention_id: int):
    """Phase changes: ask residents, finalise, publish, amend, discard a draft."""
    scope = staff_scope(request, Capability.MANAGE_CONVENTIONS)
    convention = _own(scope, convention_id)
    version = _open_version(convention)
    what = request.POST.get("action", "")
    try:
        if what == "amend":
            made = services.amend(scope, convention)
            messages.success(
                request, _("Version %(n)d is a draft copied from the published text.") % {"n": made.number}
            )
        elif version is None:
            messages.error(request, _("Nothing is on its way: amend the convention to start a new version."))
        elif what == "consult":
            form = ConsultationForm(request.POST)
            if not form.is_valid():
                raise ValidationError(list(form.errors["closes_on"]))
            services.open_consultation(scope, version, form.cleaned_data["closes_on"])
            messages.success(request, _("The consultation is open: residents can read the text and comment."))
        elif what == "finalise":
            services.finalise(scope, version)
            messages.success(request, _("The text is final: residents can sign it."))
        elif what == "publish":
            services.publish(scope, version)
            messages.success(request, _("Published: print the poster for the wall."))
        elif what == "discard":
            if services.discard_draft(scope, version) is None:
                messages.success(request, _("The draft is deleted."))
                return redirect("conventions:manage")
            messages.success(request, _("The draft is deleted."))
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as error:
        show_errors(request, error)
    return redirect("conventions:edit", convention_id=convention.pk)


@login_required
def comments(request, convention_id: int):
    """What residents said on each clause, with who said it."""
    scope = staff_scope(request, Capability.MANAGE_CONVENTIONS)
    convention = _own(scope, convention_id)
    versions = [v for v in convention.versions.order_by("number") if v.state != VersionState.DRAFT]
    if not versions:
        return render(request, "conventions/comments.html", {"convention": convention, "version": None})
    wanted = request.GET.get("version", "")
    version = next((v for v in versions if str(v.number) == wanted), None) or max(
        versions, key=lambda v: v.number
    )
    clauses = selectors.comments_of(version, scope)
    return render(
        request,
        "conventions/comments.html",
        {
            "convention": convention,
            "version": version,
            "versions": versions,
            "clauses": clauses,
            "count": sum(len(c.shown) for c in clauses),  # type: ignore[attr-defined, misc]
        },
    )


def _signing_version(request, versions: list[ConventionVersion]) -> ConventionVersion | None:
    if request.GET.get("version", "").isdigit():
        return selectors.version_named(versions, request.GET.get("version", ""))
    return selectors.signing_version(versions) or next(
        (v for v in reversed(versions) if v.state == VersionState.SUPERSEDED), None
    )


@login_required
def signatures(request, convention_id: int):
    """Figures per building, and a building's list to tick who signed on paper."""
    scope = staff_scope(request, Capability.RECORD_SIGNATURES)
    convention, versions = _seen(scope, convention_id)
    version = _signing_version(request, versions)
    if version is None:
        return render(request, "conventions/signatures.html", {"convention": convention, "version": None})
    report = figures.report(version, scope)
    buildings = [row.area for row in report.buildings if row.area is not None]
    code = request.GET.get("building", "")
    building = next((b for b in buildings if b.code == code), None)
    if building is None and len(buildings) == 1:
        building = buildings[0]
    if request.method == "POST":
        _record(request, scope, version)
        return redirect(request.get_full_path())
    return render(
        request,
        "conventions/signatures.html",
        {
            "convention": convention,
            "version": version,
            "versions": [v for v in versions if v.has_final_text],
            "report": report,
            "building": building,
            "rows": figures.signer_list(version, scope, building) if building else [],
            "open": version.is_signing,
        },
    )


def _record(request, scope, version: ConventionVersion) -> None:
    what = request.POST.get("action", "")
    try:
        if what == "paper":
            ids = ids_in(request.POST.getlist("residents"))
            people = scope.restrict(Resident.objects.living().select_related("household__building")).filter(
                pk__in=ids
            )
            done = 0
            for person in people:
                try:
                    signing.record_paper(request.user, scope, version, person)
                    done += 1
                except ValidationError as error:
                    show_errors(request, error)
            if done:
                messages.success(
                    request,
                    ngettext("%(n)d paper signature recorded.", "%(n)d paper signatures recorded.", done)
                    % {"n": done},
                )
        elif what == "undo":
            found = get_object_or_404(
                Signature.objects.select_related(
                    "version__convention__area", "resident__household__building"
                ),
                pk=id_in(request.POST.get("signature")),
                version=version,
            )
            signing.withdraw(request.user, found, scope=scope)
            messages.success(
                request, _("The paper signature of %(name)s is undone.") % {"name": found.resident.name}
            )
        else:
            messages.error(request, _("Unknown action."))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        show_errors(request, error)


@login_required
def poster(request, convention_id: int):
    """The A4 poster of the final text with the signatures so far, for the wall."""
    scope = _staff(request)
    convention, versions = _seen(scope, convention_id)
    shown = [v for v in versions if v.has_final_text]
    version: ConventionVersion | None
    if request.GET.get("version", "").isdigit():
        version = selectors.version_named(shown, request.GET.get("version", ""))
    else:
        version = selectors.default_version([v for v in shown if v.state != VersionState.SUPERSEDED])
    if version is None:
        messages.error(request, _("The poster is printed from the final text; this convention has none yet."))
        return redirect("conventions:detail", convention_id=convention.pk)
    total = figures.report(version).total
    themes = selectors.by_theme(selectors.clauses_of(version))
    content = PosterContent(
        committee=convention.committee.name,
        area=convention.area.name,
        title=convention.title,
        version=version.number,
        preamble=version.preamble,
        themes=tuple(PosterTheme(t.name, tuple((c.order, c.text) for c in t.clauses)) for t in themes),
        signed=total.signed,
        rate=total.percent,
        per_household=convention.per_household,
        day=timezone.localdate(),
        url=request.build_absolute_uri(reverse("conventions:detail", args=[convention.pk])),
    )
    response = HttpResponse(render_poster(content), content_type="application/pdf")
    name = _("%(title)s, version %(number)s.pdf") % {"title": convention.title, "number": version.number}
    return named(response, name, f"convention-{convention.pk}-v{version.number}.pdf", inline=True)
