"""What residents (and anyone with a public link) read: their notices, one notice, its
files and its poster. Opening a notice records that it was read."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from common.downloads import named
from common.scope import Capability
from notices import selectors, services
from notices.models import Attachment, Notice
from notices.poster import PosterContent, render_poster


def _readable(request, notice_id: int) -> Notice:
    """The notice, if this visitor may read it; a login first for a notice that is not public."""
    notice = selectors.detail(notice_id)
    if notice is None:
        raise Http404
    if not selectors.can_read(request.user, request.scope, notice):
        if not request.user.is_authenticated and notice.is_published:
            raise _LoginFirst
        raise Http404
    return notice


class _LoginFirst(Exception):
    pass


def _login_first(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _LoginFirst:
            return redirect_to_login(request.get_full_path())

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@login_required
def feed(request):
    """All the notices meant for the logged-in resident, and for each person they act for."""
    return render(
        request,
        "notices/feed.html",
        {
            "items": selectors.feed_for(request.user, limit=50),
            "family": selectors.family_feeds(request.user, limit=50),
        },
    )


@_login_first
def detail(request, notice_id: int):
    notice = _readable(request, notice_id)
    if request.user.is_authenticated and notice.is_published:
        services.mark_read(request.user, notice)
    attachments = list(notice.attachments.all())
    scope = request.scope
    return render(
        request,
        "notices/detail.html",
        {
            "notice": notice,
            "images": [a for a in attachments if a.is_image],
            "files": [a for a in attachments if not a.is_image],
            "paragraphs": [p for p in notice.body.split("\n\n") if p.strip()],
            "can_manage": scope.can(Capability.PUBLISH_NOTICES) and scope.covers(notice.area),
            "can_follow_up": scope.can(Capability.VIEW_PEOPLE) and notice.delivered_at is not None,
        },
    )


@_login_first
def attachment(request, notice_id: int, attachment_id: int):
    """Files are served only to those who may read the notice (they may show faces, names)."""
    notice = _readable(request, notice_id)
    item = get_object_or_404(Attachment, pk=attachment_id, notice=notice)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=not item.is_image, filename=item.name)


@_login_first
def poster(request, notice_id: int):
    """An A4 PDF for the lobby board, its QR code opening this notice online."""
    notice = _readable(request, notice_id)
    images = []
    for item in notice.attachments.all():
        if item.is_image:
            try:
                images.append(Path(item.file.path))
            except (NotImplementedError, ValueError):
                continue
    content = PosterContent(
        committee=notice.area.name,
        category=notice.get_category_display(),
        title=notice.title,
        body=notice.body,
        published=timezone.localdate(notice.publish_at or notice.created_at),
        url=request.build_absolute_uri(notice.get_absolute_url()),
        images=tuple(images),
    )
    response = HttpResponse(render_poster(content), content_type="application/pdf")
    return named(
        response, _("%(title)s poster.pdf") % {"title": notice.title}, f"notice-{notice.pk}.pdf", inline=True
    )
