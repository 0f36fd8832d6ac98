"""A person's messages: the list, opening one (which marks it read), marking all read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from notifications.models import Notification
from notifications.services import mark_read

PER_PAGE = 30


@login_required
def inbox(request):
    page = Paginator(Notification.objects.filter(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
def open_one(request, notification_id: int):
    """Mark it read and go where it points (only within this site)."""
    item = get_object_or_404(Notification, pk=notification_id, user=request.user)
    if item.read_at is None:
        item.read_at = timezone.now()
        item.save(update_fields=["read_at"])
    if item.url and url_has_allowed_host_and_scheme(item.url, allowed_hosts={request.get_host()}):
        return redirect(item.url)
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request):
    mark_read(request.user)
    return redirect("notifications:inbox")
