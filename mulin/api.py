"""The JSON API under /api/v1/, for a mini-program or mobile client.

Same services and selectors as the pages; same scope. OpenAPI at /api/v1/openapi.json.
Every error answers ``{"detail": "..."}`` (422s add ``errors``, one per field).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from accounts.api import router as accounts_router
from accounts.api_auth import API_AUTH, ROLE_HEADER
from activities.api import router as activities_router
from aids.api import router as aids_router
from areas.api import router as areas_router
from common.http import too_big
from conventions.api import router as conventions_router
from deliberation.api import router as deliberation_router
from demands.api import router as demands_router
from eldercare.api import router as eldercare_router
from funds.api import router as funds_router
from meals.api import router as meals_router
from notices.api import router as notices_router
from notifications.api import router as notifications_router
from partners.api import router as partners_router
from projects.api import router as projects_router
from recognition.api import router as recognition_router
from registry.api import router as registry_router
from servicedays.api import router as servicedays_router
from spaces.api import router as spaces_router
from visits.api import router as visits_router
from volunteers.api import router as volunteers_router

DESCRIPTION = f"""
Residents' committee platform: the area tree, the current user's roles, and the household
registry (households, residents, tags, census imports, the community map, the on-cloud rate,
resident accounts and their verification), notices with their read receipts and publicity
plan, activities with sign-up, waiting lists, check-in and beneficiaries, and each user's
messages. Identity numbers are masked everywhere except
`POST /registry/residents/{id}/reveal`, which writes its reason to the access log.

**Authentication.** Either a bearer token — `POST /api/v1/auth/token` with `phone`,
`password` and, for staff who see personal data, `otp` (the authenticator app's code);
then send `Authorization: Bearer <token>` — or the browser session of the website, where
`POST`, `PUT`, `PATCH` and `DELETE` need the `csrftoken` cookie's value in the
`X-CSRFToken` header. Five wrong passwords lock a number for a while (429).

**Roles.** A user may hold several roles, each over an area. A session acts in the role
chosen on the website or with `POST /api/v1/me/active-role`. A token keeps no state: it
acts in the user's first role unless the request names another with the header
`{ROLE_HEADER}: <grant id>` (ids from `GET /api/v1/me/roles`); an id that is not one of the
user's active roles answers 403.

**Errors** are `{{"detail": "..."}}` with the status saying what kind: 400 the request
cannot be done, 401 not logged in, 403 not allowed, 404 not found or not visible to you,
413 the body is over the size limit, 422 invalid input (with `errors`, one per field; a
text may not hold a NUL character, a day falls between 1900 and 2100), 429 locked out for a
while.
"""


class MulinAPI(NinjaAPI):
    def _get_urls(self):
        # Last: any other address under /api/v1/ answers JSON too, not the HTML 404 page.
        return [*super()._get_urls(), re_path(r"^.*$", _no_endpoint, name="no-endpoint")]


@csrf_exempt
def _no_endpoint(request):
    return api.create_response(
        request, {"detail": _("There is no API endpoint at this address; see /api/v1/docs.")}, status=404
    )


api = MulinAPI(
    title="Mulin 睦邻 API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=API_AUTH,
)
api.add_router("/areas/", areas_router)
api.add_router("/registry/", registry_router)
api.add_router("/notices", notices_router)
api.add_router("/notifications", notifications_router)
api.add_router("/activities", activities_router)
api.add_router("/deliberation", deliberation_router)
api.add_router("/conventions", conventions_router)
api.add_router("/demands", demands_router)
api.add_router("/visits", visits_router)
api.add_router("/eldercare", eldercare_router)
api.add_router("/volunteers", volunteers_router)
api.add_router("/partners", partners_router)
api.add_router("/spaces", spaces_router)
api.add_router("/servicedays", servicedays_router)
api.add_router("/aids", aids_router)
api.add_router("/meals", meals_router)
api.add_router("/funds", funds_router)
api.add_router("/projects", projects_router)
api.add_router("/recognition", recognition_router)
api.add_router("/", accounts_router)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    response = api.create_response(
        request,
        {"detail": _("Log in first: send Authorization: Bearer <token> (see POST /api/v1/auth/token).")},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    return too_big(request)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    """Pydantic's errors, without the submitted values (they may hold a password)."""
    errors = [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "msg": error.get("msg", ""),
            "type": error.get("type", ""),
        }
        for error in exc.errors
    ]
    summary = "; ".join(
        f"{'.'.join(e['loc'][1:]) or e['loc'][0]}: {e['msg']}" for e in errors[:3] if e["loc"]
    )
    detail = _("Some input is not valid.") + (f" {summary}" if summary else "")
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(DjangoValidationError)
def _refused(request, exc):
    """A service's rule refused the input: 422 with the messages, by field where known."""
    if hasattr(exc, "error_dict"):
        errors = [
            {"loc": ["body", field], "msg": message, "type": "value_error"}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"loc": ["body"], "msg": message, "type": "value_error"} for message in exc.messages]
    detail = " ".join(error["msg"] for error in errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    """A refusal says why when it was given a reason (``scope.committee(refusal)``)."""
    detail = str(exc) if exc.args and exc.args[0] else _("Your active role may not do this.")
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    """A lookup says what was not found when it was told (``scope.get(..., missing=...)``)."""
    detail = str(exc) if exc.args and exc.args[0] else _("Not found.")
    return api.create_response(request, {"detail": detail}, status=404)
