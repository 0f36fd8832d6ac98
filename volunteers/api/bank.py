"""API endpoints of the time bank, under /api/v1/volunteers/bank: my account and its lines,
giving to family, donating to the pool, a family member's account, asking for a service and
cancelling it, a volunteer saying a service is done; for staff the requests (match, done,
cancel), grants from the pool, the volunteers' balances and the settings. The same services
and rules as the pages (volunteers/bank.py, volunteers/spending.py)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from common.api import ERRORS, MAX_ID, Id, Pages, id_path
from common.schemas import Text, When
from common.scope import Capability, staff_scope
from registry.models import Resident, Tag
from registry.selectors import people_of, shares_household, speaks_for
from volunteers import bank, ledgers, spending
from volunteers.models import (
    BankRequest,
    BankRequestStatus,
    CreditAccount,
    CreditEntry,
    CreditKind,
    Service,
    Volunteer,
)
from volunteers.rules import volunteer_of

router = Router(tags=["volunteers"])
REQUEST_ID = id_path("A time-bank request.")
RESIDENT_ID = id_path("A resident in the registry.")


class CreditLineOut(Schema):
    id: int
    at: datetime
    kind: CreditKind
    amount: Decimal
    balance_after: Decimal
    note: str
    request: int | None

    @staticmethod
    def resolve_request(obj: CreditEntry) -> int | None:
        return obj.request_id


class CreditAccountOut(Schema):
    balance: Decimal
    holder: str

    @staticmethod
    def resolve_holder(obj: CreditAccount) -> str:
        return str(obj)


class CreditAmountIn(Schema):
    amount: Decimal = Field(ge=-(10**6), le=10**6, max_digits=10, decimal_places=2)
    note: Text = Field("", max_length=200)


class CreditGiftIn(CreditAmountIn):
    resident: int | None = Field(None, ge=1, le=MAX_ID, description="A family member in the registry.")
    volunteer: int | None = Field(
        None, ge=1, le=MAX_ID, description="Or a family member's volunteer account."
    )


class CreditGrantIn(CreditAmountIn):
    resident: int = Field(ge=1, le=MAX_ID)


class BankRequestIn(Schema):
    resident: int = Field(
        ge=1, le=MAX_ID, description="Who the service is for: oneself, family, or (staff) anyone here."
    )
    service: int = Field(ge=1, le=MAX_ID)
    wanted_at: When
    hours: Decimal = Field(ge=-100, le=100, max_digits=6, decimal_places=2)
    details: Text = Field("", max_length=300)


class BankRequestOut(Schema):
    id: int
    resident: int
    resident_name: str
    service: str
    wanted_at: datetime
    hours: Decimal
    credits: Decimal
    details: str
    status: BankRequestStatus
    volunteer: int | None
    reported_done: bool
    hours_entry: int | None

    @staticmethod
    def resolve_resident(obj: BankRequest) -> int:
        return obj.resident_id

    @staticmethod
    def resolve_resident_name(obj: BankRequest) -> str:
        return obj.resident.name

    @staticmethod
    def resolve_service(obj: BankRequest) -> str:
        return obj.service.name

    @staticmethod
    def resolve_volunteer(obj: BankRequest) -> int | None:
        return obj.volunteer_id

    @staticmethod
    def resolve_reported_done(obj: BankRequest) -> bool:
        return obj.is_reported_done

    @staticmethod
    def resolve_hours_entry(obj: BankRequest) -> int | None:
        return obj.hours_entry_id


class BankMatchIn(Schema):
    volunteer: int = Field(ge=1, le=MAX_ID)


class BankReasonIn(Schema):
    reason: Text = Field(min_length=1, max_length=200)


class VolunteerBalanceOut(Schema):
    id: int
    name: str
    committee: str
    balance: Decimal

    @staticmethod
    def resolve_committee(obj: Volunteer) -> str:
        return obj.committee.name

    @staticmethod
    def resolve_balance(obj: Volunteer) -> Decimal:
        account = getattr(obj, "account", None)
        return account.balance if account is not None else Decimal(0)


class BankRuleIO(Schema):
    credits_per_hour: Decimal = Field(ge=-100, le=100, max_digits=4, decimal_places=2)
    min_age: int = Field(ge=-1, le=200)
    tags: list[Tag] = Field(default_factory=list, max_length=20)
    not_earning: list[Id] = Field(default_factory=list, max_length=100, description="Service ids.")


def _mine(user) -> CreditAccount | None:
    volunteer = volunteer_of(user)
    if volunteer is not None:
        return bank.account_of(volunteer)
    own = Resident.objects.living().filter(user=user).first()
    return bank.account_of_person(own) if own is not None else None


def _request(request, request_id: int) -> BankRequest:
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    return scope.get(
        BankRequest.objects.select_related("resident", "service", "area"),
        _("No time-bank request %(id)d in your area.") % {"id": request_id},
        pk=request_id,
    )


@router.get("/bank", response={200: CreditAccountOut, **ERRORS}, summary="My time-bank account")
def my_account(request):
    account = _mine(request.user)
    if account is None:
        raise PermissionDenied(
            _("Only volunteers and residents verified against the registry have an account.")
        )
    return account


@router.get("/bank/entries", response={200: list[CreditLineOut], **ERRORS}, summary="My account's lines")
@paginate(Pages)
def my_entries(request):
    return ledgers.entries_of(_mine(request.user))


@router.post("/bank/give", response={201: CreditLineOut, **ERRORS}, summary="Give credits to family (转赠)")
def give(request, payload: CreditGiftIn):
    resident = (
        Resident.objects.filter(pk=payload.resident).select_related("household").first()
        if payload.resident
        else None
    )
    volunteer = (
        Volunteer.objects.filter(pk=payload.volunteer).select_related("resident").first()
        if payload.volunteer
        else None
    )
    if (payload.resident and resident is None) or (payload.volunteer and volunteer is None):
        raise ValidationError(
            {"to": _("Credits are given only to family: someone of your household or someone you act for.")}
        )
    made = bank.give(
        request.user,
        scope=request.scope,
        amount=payload.amount,
        resident=resident,
        volunteer=volunteer,
        note=payload.note,
    )
    return Status(201, made)


@router.post(
    "/bank/donate", response={201: CreditLineOut, **ERRORS}, summary="Donate credits to the pool (捐赠)"
)
def donate(request, payload: CreditAmountIn):
    return Status(
        201, bank.donate(request.user, scope=request.scope, amount=payload.amount, note=payload.note)
    )


@router.get(
    "/bank/family/{int:resident_id}",
    response={200: CreditAccountOut, **ERRORS},
    summary="A family member's account",
)
def family_account(request, resident_id: int = RESIDENT_ID):
    person = Resident.objects.living().filter(pk=resident_id).first()
    if person is None or not (speaks_for(request.user, person) or shares_household(request.user, person)):
        raise Http404(_("No family member of yours."))
    return bank.account_of_person(person)


@router.post(
    "/bank/requests", response={201: BankRequestOut, **ERRORS}, summary="Ask for a service, paid in credits"
)
def ask(request, payload: BankRequestIn):
    person = (
        Resident.objects.living()
        .select_related("household__building", "committee")
        .filter(pk=payload.resident)
        .first()
    )
    if person is None:
        raise Http404(_("No resident %(id)d you may act for.") % {"id": payload.resident})
    service = ledgers.services_for(person.committee).filter(pk=payload.service).first()
    if service is None:
        raise ValidationError({"service": _("This service is not offered here.")})
    made = spending.ask(
        request.user,
        person,
        scope=request.scope,
        service=service,
        wanted_at=payload.wanted_at,
        hours_wanted=payload.hours,
        details=payload.details,
    )
    return Status(201, made)


@router.get(
    "/bank/requests/mine",
    response={200: list[BankRequestOut], **ERRORS},
    summary="Requests for me and my family",
)
def my_requests(request):
    return list(ledgers.requests_for(people_of(request.user))[:100])


@router.post(
    "/bank/requests/{int:request_id}/withdraw",
    response={200: BankRequestOut, **ERRORS},
    summary="Cancel my request",
)
def withdraw(request, payload: BankReasonIn, request_id: int = REQUEST_ID):
    found = (
        BankRequest.objects.select_related("resident__household__building", "area", "service")
        .filter(pk=request_id)
        .first()
    )
    if found is None or not spending.may_cancel(request.user, found, request.scope):
        raise Http404(_("No such request."))
    return spending.cancel(found, by=request.user, scope=request.scope, reason=payload.reason)


@router.get(
    "/bank/jobs", response={200: list[BankRequestOut], **ERRORS}, summary="Services given to me to do"
)
def my_jobs(request):
    volunteer = volunteer_of(request.user)
    return list(ledgers.jobs_of(volunteer)) if volunteer else []


@router.post(
    "/bank/jobs/{int:request_id}/done",
    response={200: BankRequestOut, **ERRORS},
    summary="Say a service is done",
)
def report_done(request, request_id: int = REQUEST_ID):
    volunteer = volunteer_of(request.user)
    found = BankRequest.objects.select_related("resident", "service").filter(pk=request_id).first()
    if found is None or volunteer is None or found.volunteer_id != volunteer.pk:
        raise Http404(_("No such request given to you."))
    return spending.report_done(found, by=request.user, scope=request.scope)


# --- Staff -----------------------------------------------------------------------------------


@router.get(
    "/bank/requests", response={200: list[BankRequestOut], **ERRORS}, summary="Time-bank requests here"
)
@paginate(Pages)
def list_requests(request):
    return ledgers.requests_in(staff_scope(request, Capability.MANAGE_VOLUNTEERS))


@router.post(
    "/bank/requests/{int:request_id}/match",
    response={200: BankRequestOut, **ERRORS},
    summary="Give to a volunteer",
)
def match(request, payload: BankMatchIn, request_id: int = REQUEST_ID):
    found = _request(request, request_id)
    scope = request.scope
    who = scope.get(
        ledgers.volunteers_in(scope),
        _("No volunteer %(id)d in your area.") % {"id": payload.volunteer},
        pk=payload.volunteer,
    )
    return spending.match(found, who, by=request.user, scope=scope)


@router.post(
    "/bank/requests/{int:request_id}/done", response={200: BankRequestOut, **ERRORS}, summary="Mark it done"
)
def finish(request, request_id: int = REQUEST_ID):
    return spending.finish(_request(request, request_id), by=request.user, scope=request.scope)


@router.post(
    "/bank/requests/{int:request_id}/cancel",
    response={200: BankRequestOut, **ERRORS},
    summary="Cancel, refunded",
)
def cancel(request, payload: BankReasonIn, request_id: int = REQUEST_ID):
    return spending.cancel(
        _request(request, request_id), by=request.user, scope=request.scope, reason=payload.reason
    )


@router.post(
    "/bank/grant", response={201: CreditLineOut, **ERRORS}, summary="Grant from the pool to a resident"
)
def grant(request, payload: CreditGrantIn):
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    person = scope.get(Resident.objects.living().select_related("household__building"), pk=payload.resident)
    return Status(
        201, bank.grant(request.user, person, scope=scope, amount=payload.amount, note=payload.note)
    )


@router.get(
    "/bank/balances", response={200: list[VolunteerBalanceOut], **ERRORS}, summary="Volunteers' balances"
)
@paginate(Pages)
def balances(request):
    return ledgers.balances(staff_scope(request, Capability.MANAGE_VOLUNTEERS))


@router.get(
    "/bank/settings", response={200: BankRuleIO, **ERRORS}, summary="The time-bank rule in force here"
)
def get_rule(request):
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    if scope.area is None:
        raise PermissionDenied
    terms = bank.terms_for(scope.area)
    return {
        "credits_per_hour": terms.credits_per_hour,
        "min_age": terms.min_age,
        "tags": list(terms.tags),
        "not_earning": sorted(terms.not_earning),
    }


@router.put("/bank/settings", response={200: BankRuleIO, **ERRORS}, summary="Set the time-bank rule here")
def put_rule(request, payload: BankRuleIO):
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    services = list(Service.objects.filter(pk__in=payload.not_earning))
    if len(services) != len(set(payload.not_earning)):
        raise ValidationError({"not_earning": _("No such service.")})
    bank.save_rule(
        scope.area,
        by=request.user,
        scope=scope,
        credits_per_hour=payload.credits_per_hour,
        min_age=payload.min_age,
        tags=[str(t) for t in payload.tags],
        not_earning=services,
    )
    return get_rule(request)
