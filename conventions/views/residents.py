"""What residents (and family members acting for them) do: read their building's conventions,
comment on the clauses during consultation, sign the final text and take a signature back."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import id_in, show_errors
from common.scope import Capability
from conventions import figures, selectors, signing
from conventions.forms import CommentForm
from conventions.models import Clause, Convention, ConventionVersion, Signature
from conventions.poster import signed_line
from registry.models import Resident


def visible(request, convention_id: int) -> tuple[Convention, list[ConventionVersion], bool]:
    return selectors.visible_to(request.user, request.scope, convention_id)


def _back(version: ConventionVersion, anchor: str = "") -> str:
    return version.get_absolute_url() + (f"#{anchor}" if anchor else "")


@login_required
def index(request):
    """The conventions of the resident's building and of the people they act for."""
    return render(request, "conventions/index.html", {"entries": selectors.conventions_for(request.user)})


@login_required
def detail(request, convention_id: int):
    """The text by theme, its state, comment forms during consultation, and signing for each
    person the user acts for, with how many have signed."""
    convention, versions, staff = visible(request, convention_id)
    version = selectors.version_named(versions, request.GET.get("version", ""))
    version.convention = convention
    clauses = selectors.clauses_of(version)
    mine = selectors.own_comments(request.user, version) if version.is_in_consultation else {}
    for clause in clauses:
        clause.mine = mine.get(clause.pk, [])  # type: ignore[attr-defined]
    rows = selectors.people_rows(request.user, version)
    counted = version.has_final_text
    total = figures.report(version).total if counted else None
    line = signed_line(total.signed, total.percent, convention.per_household) if total else ""
    newer = [v for v in versions if v.number > version.number]
    return render(
        request,
        "conventions/detail.html",
        {
            "convention": convention,
            "version": version,
            "versions": versions,
            "themes": selectors.by_theme(clauses),
            "rows": rows,
            "commenters": [r for r in rows if not r.comment_problem],
            "total": total,
            "signed_line": line,
            "newer": newer[-1] if newer else None,
            "staff": staff,
            "can_manage": request.scope.can(Capability.MANAGE_CONVENTIONS)
            and request.scope.covers(convention.committee),
        },
    )


def _person(request) -> Resident:
    return get_object_or_404(
        Resident.objects.living().select_related("household__building"),
        pk=id_in(request.POST.get("resident")),
    )


@login_required
@require_POST
def comment(request, convention_id: int):
    convention, versions, _staff = visible(request, convention_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write your comment first."))
        return redirect(_back(selectors.version_named(versions, request.POST.get("version", ""))))
    clause = get_object_or_404(
        Clause.objects.select_related("version"), pk=form.cleaned_data["clause"], version__in=versions
    )
    clause.version.convention = convention
    person = get_object_or_404(
        Resident.objects.living().select_related("household__building"), pk=form.cleaned_data["resident"]
    )
    try:
        signing.comment(request.user, person, clause, form.cleaned_data["text"])
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Thank you: the committee reads every comment."))
    return redirect(_back(clause.version, f"clause-{clause.pk}"))


@login_required
@require_POST
def sign(request, convention_id: int):
    convention, versions, _staff = visible(request, convention_id)
    version = selectors.version_named(versions, request.POST.get("version", ""))
    version.convention = convention
    person = _person(request)
    try:
        signing.sign(request.user, person, version)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("%(name)s has signed. Thank you.") % {"name": person.name})
    return redirect(_back(version, "signing"))


@login_required
@require_POST
def withdraw(request, signature_id: int):
    """The signer (or their family member) takes a signature back; staff undo a paper tick."""
    found = get_object_or_404(
        Signature.objects.select_related(
            "version__convention__area", "resident__household__building", "household"
        ),
        pk=signature_id,
    )
    try:
        signing.withdraw(request.user, found, scope=request.scope)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request, _("The signature of %(name)s is withdrawn.") % {"name": found.resident.name}
        )
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(_back(found.version, "signing"))
