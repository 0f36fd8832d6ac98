"""API endpoints of accounts: tokens, the current user and the roles they hold."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from accounts.api_auth import ROLE_HEADER, TokenAuth, TokenRefused, issue_token
from accounts.models import RoleGrant
from accounts.schemas import ActiveRoleIn, GrantOut, MeOut, TokenIn, TokenOut
from accounts.scope import SESSION_KEY, scope_for_grant
from audit.services import record
from common.api import Error, ValidationErrorOut

router = Router(tags=["accounts"])

# What every authenticated operation may answer besides its success.
AUTH_ERRORS = {401: Error, 403: Error}


@router.post(
    "/auth/token",
    auth=None,
    response={201: TokenOut, 400: Error, 401: Error, 403: Error, 422: ValidationErrorOut, 429: Error},
    summary="Get an API token",
)
def create_token(request, payload: TokenIn):
    """Exchange a mobile number and password (and, for staff, the authenticator code) for a token.

    Five wrong passwords for one number lock it for a while (429), as on the login page.
    The key is in the answer only this once.
    """
    try:
        token, key = issue_token(
            request, phone=payload.phone, password=payload.password, otp=payload.otp, name=payload.name
        )
    except TokenRefused as refused:
        # The answer is JSON; without this django-axes would swap it for the HTML lockout page.
        request.axes_locked_out = False
        if refused.status == 422:
            error = {"loc": ["body", refused.field], "msg": refused.message, "type": "value_error"}
            return Status(422, {"detail": refused.message, "errors": [error]})
        raise HttpError(refused.status, refused.message) from None
    return Status(
        201,
        {
            "token": key,
            "prefix": token.prefix,
            "name": token.name,
            "created_at": token.created_at,
            "expires_at": token.expires_at,
        },
    )


@router.delete(
    "/auth/token", auth=[TokenAuth()], response={204: None, **AUTH_ERRORS}, summary="Revoke this token"
)
def revoke_token(request):
    """Revoke the token this request was made with (log out of the app)."""
    token = request.api_token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return Status(204, None)


@router.get("/me", response={200: MeOut, **AUTH_ERRORS}, summary="The current user")
def me(request):
    return request.user


@router.get("/me/roles", response={200: list[GrantOut], **AUTH_ERRORS}, summary="My roles")
def my_roles(request):
    """Every active role grant of the current user; `active` marks the one this request uses."""
    return request.user.active_grants.order_by("granted_at", "pk")


@router.post(
    "/me/active-role",
    response={200: GrantOut, 400: Error, 404: Error, 422: ValidationErrorOut, **AUTH_ERRORS},
    summary="Switch the active role",
)
def set_active_role(request, payload: ActiveRoleIn):
    """For a browser session: act in another of your roles from now on.

    A token keeps no state: it chooses its role with the X-Mulin-Role header on each request.
    """
    grant = (
        RoleGrant.objects.active().select_related("area").filter(user=request.user, pk=payload.grant).first()
    )
    if grant is None:
        raise HttpError(404, _("You hold no active role with id %(id)d.") % {"id": payload.grant})
    if getattr(request, "api_token", None) is not None:
        raise HttpError(
            400,
            _(
                "An API token keeps no active role: send the header %(header)s: %(id)d with each "
                "request to act in this role."
            )
            % {"header": ROLE_HEADER, "id": grant.pk},
        )
    request.session[SESSION_KEY] = grant.pk
    request.scope = scope_for_grant(grant)
    record("role_switch", grant, actor=request.user)
    return grant
