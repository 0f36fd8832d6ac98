"""Resident accounts: verification by staff, accounts made by staff, family proxies, signing up
and the resident's own record and data."""

from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from areas.models import Area, AreaLevel
from common.api import ERRORS, Error, Pages, ValidationErrorOut
from common.scope import Capability, staff_scope
from registry import privacy, verification
from registry.api.common import PROXY_ID, REGISTRATION_ID, RESIDENT_ID, resident_in_scope
from registry.models import Proxy, Registration, RegistrationStatus, Resident
from registry.schemas import (
    AccountIn,
    AccountOut,
    MyRegistryOut,
    ProxyIn,
    ProxyOut,
    RecordCandidateOut,
    RegisterIn,
    RegistrationOut,
    RejectIn,
    SelfVerifyIn,
    VerifyIn,
)

router = Router(tags=["registry"])


# --- Accounts: verification, staff-made accounts, proxies --------------------------------------------


@router.get(
    "/registrations", response={200: list[RegistrationOut], **ERRORS}, summary="Registrations to verify"
)
@paginate(Pages)
def list_registrations(request, status: RegistrationStatus = RegistrationStatus.PENDING):
    scope = staff_scope(request, Capability.MANAGE_ACCOUNTS)
    found = scope.restrict(
        Registration.objects.filter(status=status).select_related("user", "area", "committee")
    )
    return found.order_by("created_at", "pk")


def _registration(request, registration_id: int) -> Registration:
    scope = staff_scope(request, Capability.MANAGE_ACCOUNTS)
    return scope.get(
        Registration.objects.select_related("user", "area", "committee"),
        _("No registration %(id)d in your area.") % {"id": registration_id},
        pk=registration_id,
    )


@router.get(
    "/registrations/{registration_id}/candidates",
    response={200: list[RecordCandidateOut], **ERRORS},
    summary="Records a registration may belong to",
)
def registration_candidates(request, registration_id: int = REGISTRATION_ID):
    entry = _registration(request, registration_id)
    return verification.candidates(entry) if entry.status == RegistrationStatus.PENDING else []


@router.post(
    "/registrations/{registration_id}/verify", response={200: RegistrationOut, **ERRORS}, summary="Verify"
)
def verify_registration(request, payload: VerifyIn, registration_id: int = REGISTRATION_ID):
    entry = _registration(request, registration_id)
    person = resident_in_scope(request, payload.resident_id, Capability.MANAGE_ACCOUNTS)
    verification.verify(request.user, request.scope, entry, person)
    return _registration(request, registration_id)


@router.post(
    "/registrations/{registration_id}/reject",
    response={200: RegistrationOut, **ERRORS},
    summary="Not verified",
)
def reject_registration(request, payload: RejectIn, registration_id: int = REGISTRATION_ID):
    entry = _registration(request, registration_id)
    return verification.reject(request.user, request.scope, entry, payload.note)


@router.post(
    "/residents/{resident_id}/account",
    response={201: AccountOut, **ERRORS},
    summary="Make an account for a resident",
)
def create_account(request, payload: AccountIn, resident_id: int = RESIDENT_ID):
    """For a resident who cannot register themselves: verified at once; the temporary password
    is in this answer only, and must be changed at the first login."""
    person = resident_in_scope(request, resident_id, Capability.MANAGE_ACCOUNTS)
    user, password = verification.create_account(request.user, request.scope, person, payload.phone)
    return Status(201, {"phone": user.phone, "temporary_password": password})


@router.get(
    "/residents/{resident_id}/proxies", response={200: list[ProxyOut], **ERRORS}, summary="Family proxies"
)
def list_proxies(request, resident_id: int = RESIDENT_ID):
    person = resident_in_scope(request, resident_id, Capability.MANAGE_ACCOUNTS)
    return list(person.proxies.filter(revoked_at__isnull=True).select_related("user"))


@router.post(
    "/residents/{resident_id}/proxies", response={201: ProxyOut, **ERRORS}, summary="Link a family proxy"
)
def link_proxy(request, payload: ProxyIn, resident_id: int = RESIDENT_ID):
    """A family member (who has an account) acts for the resident: 家属代办."""
    person = resident_in_scope(request, resident_id, Capability.MANAGE_ACCOUNTS)
    return Status(
        201, verification.link_proxy(request.user, request.scope, person, payload.phone, payload.relation)
    )


@router.delete(
    "/residents/{resident_id}/proxies/{proxy_id}",
    response={204: None, **ERRORS},
    summary="Unlink a family proxy",
)
def unlink_proxy(request, resident_id: int = RESIDENT_ID, proxy_id: int = PROXY_ID):
    person = resident_in_scope(request, resident_id, Capability.MANAGE_ACCOUNTS)
    proxy = Proxy.objects.filter(resident=person, pk=proxy_id, revoked_at__isnull=True).first()
    if proxy is None:
        raise HttpError(404, _("No such family proxy of this resident."))
    verification.unlink_proxy(request.user, request.scope, proxy)
    return Status(204, None)


# --- The resident's own ----------------------------------------------------------------------------


@router.post(
    "/register",
    auth=None,
    response={201: RegistrationOut, 400: Error, 404: Error, 422: ValidationErrorOut},
    summary="Sign up",
)
def register(request, payload: RegisterIn):
    """A new resident account and a registration with the committee, to be verified by staff
    or with POST /registry/me/verify. Log in with POST /auth/token afterwards."""
    committee = Area.objects.filter(code=payload.committee, level=AreaLevel.COMMITTEE).active().first()
    if committee is None:
        raise HttpError(404, _("No committee with code %(code)s.") % {"code": payload.committee[:64]})
    building = None
    if payload.building:
        building = (
            Area.objects.subtree(committee).filter(code=payload.building, level=AreaLevel.BUILDING).first()
        )
        if building is None:
            raise HttpError(
                404, _("No building %(code)s in that committee.") % {"code": payload.building[:64]}
            )
    entry = verification.register(
        phone=payload.phone,
        name=payload.name,
        password=payload.password,
        committee=committee,
        building=building,
        unit=payload.unit,
        room=payload.room,
    )
    return Status(201, entry)


@router.get("/me", response={200: MyRegistryOut, 401: Error}, summary="My registry record")
def my_registry(request):
    user = request.user
    record = (
        Resident.objects.filter(user=user, anonymised_at__isnull=True)
        .select_related("household__building")
        .prefetch_related("tags")
        .first()
    )
    return {
        "record": record,
        "registration": verification.pending_registration(user),
        "acting_for": [p.resident for p in verification.acting_for(user)],
    }


@router.post(
    "/me/verify",
    response={200: MyRegistryOut, 400: Error, 401: Error, 422: ValidationErrorOut},
    summary="Verify myself",
)
def verify_me(request, payload: SelfVerifyIn):
    """Type your identity number: it must match the committee's record of you (same name).
    Five wrong numbers and only the committee can verify you."""
    verification.verify_self(request.user, payload.id_number)
    return my_registry(request)


@router.get("/me/data", response={200: dict, 401: Error}, summary="Everything held about me")
def my_data(request):
    """Your account, your record in full, where you lived, who looked at your data and why.
    The download itself is logged."""
    return privacy.own_data(request.user)
