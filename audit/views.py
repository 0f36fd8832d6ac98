"""The audit log, for committee leads and admins over their own area."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from audit.forms import AuditFilterForm
from audit.models import AuditEntry
from audit.selectors import entries_for
from common.scope import Capability, staff_scope

PAGE_SIZE = 50


def log(request):
    scope = staff_scope(request, Capability.READ_AUDIT)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = entries_for(
        scope,
        action=filters.get("action", ""),
        actor_query=filters.get("actor", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "area": scope.area, "query": query.urlencode()},
    )


def entry(request, entry_id: int):
    scope = staff_scope(request, Capability.READ_AUDIT)
    item = get_object_or_404(
        scope.restrict(AuditEntry.objects.select_related("actor", "content_type")), pk=entry_id
    )
    return render(request, "audit/entry.html", {"entry": item})
