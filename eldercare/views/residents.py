"""A watcher's own page, phone first: their people today and one big button per check.
Works without JavaScript (plain forms that come back to the page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import show_errors
from eldercare import checks, selectors
from eldercare.forms import ConcernForm
from eldercare.models import CheckKind


@login_required
def mine(request):
    return render(
        request,
        "eldercare/mine.html",
        {"rows": selectors.my_watch(request.user, now=timezone.now()), "concern_form": ConcernForm()},
    )


@login_required
@require_POST
def record(request, watch_id: int):
    """One check from the watcher's page (or from a watch's staff page, which says so in ``next``)."""
    watch = checks.watch_to_record(request.user, request.scope, watch_id)
    kind = request.POST.get("kind", "")
    try:
        check = checks.record_check(
            request.user,
            watch,
            kind,
            note=request.POST.get("note", ""),
            scope=request.scope,
        )
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        show_errors(request, error)
    else:
        if kind == CheckKind.CONCERN:
            messages.warning(
                request, _("The social workers are told at once. Call 120 if it is an emergency.")
            )
        elif not check.slot:
            messages.warning(
                request,
                _(
                    "Recorded for %(name)s: %(what)s. At this hour it counts for neither the day's "
                    "check nor the night's: curtains from dawn, a light from the evening until dawn."
                )
                % {"name": watch.resident.name, "what": CheckKind(kind).label},
            )
        else:
            messages.success(
                request,
                _("Recorded for %(name)s: %(what)s.")
                % {"name": watch.resident.name, "what": CheckKind(kind).label},
            )
    if request.POST.get("next") == "watch":
        return redirect("eldercare:watch", watch_id=watch.pk)
    return redirect("eldercare:mine")
