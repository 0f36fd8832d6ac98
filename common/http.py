"""Requests refused before any view reads them: bodies over the size limit (413) and text
holding a NUL character (400), answered as JSON under /api/ and as a page on the site.

Django raises RequestDataTooBig (a 400 by default, and a 500 where the API read the body) once
a body passes DATA_UPLOAD_MAX_MEMORY_SIZE, and PostgreSQL cannot store a NUL character (a
500 at the database); Django's form fields refuse NUL, but views that read request.POST or
request.GET themselves passed it on.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def too_big(request: HttpRequest) -> HttpResponse:
    """413: the one answer to a body over the limit, for the API and the site."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    detail = _("The request is too large: send at most %(mb)s MB.") % {"mb": f"{limit / 2**20:g}"}
    if _is_api(request):
        return JsonResponse({"detail": detail}, status=413)
    return render(request, "413.html", {"detail": detail}, status=413)


def has_nul(request: HttpRequest) -> HttpResponse:
    """400: text with a NUL character, which no field may hold."""
    detail = _("The request holds a NUL character, which no text may contain.")
    if _is_api(request):
        return JsonResponse({"detail": detail}, status=400)
    return render(request, "400.html", {"detail": detail}, status=400)


def _body_too_big(request: HttpRequest) -> bool:
    """Known from the headers: a body over the limit that Django would read whole (a file
    upload streams its files to disk; only its other fields count, checked when parsed)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None or request.content_type == "multipart/form-data":
        return False
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return False


def _holds_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    forms = [request.GET]
    if request.method == "POST" and not _is_api(request):
        forms.append(request.POST)  # parsed here as CsrfViewMiddleware would
    return any("\x00" in key or any("\x00" in v for v in values) for q in forms for key, values in q.lists())


class RefuseUnreadableRequests:
    """Before any view: 413 for a body over the limit, 400 for a NUL character in a page's
    address, query or form (the API's schemas refuse NUL themselves, with the field:
    common.schemas.Text)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _body_too_big(request):
            return too_big(request)
        try:
            if not _is_api(request) and _holds_nul(request):
                return has_nul(request)
        except RequestDataTooBig:
            return too_big(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return too_big(request) if isinstance(exception, RequestDataTooBig) else None
