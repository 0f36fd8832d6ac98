"""Spending time-bank credits on a service (``BankRequest``): an eligible resident (or their
family proxy, or staff on their behalf) asks for a service and the credits are held at once
(debited under the account's lock, so they cannot be spent twice); staff match the request
to a volunteer who offers the service; when it is done (marked by staff, or by the volunteer
and confirmed by staff) the volunteer gets confirmed hours, which earn their credits; a
cancelled request is refunded."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.scope import Capability, Scope
from registry.models import Resident
from registry.selectors import acts_for
from volunteers import bank, hours
from volunteers.models import BankRequest, BankRequestStatus, CreditEntry, CreditKind, Service, Volunteer
from volunteers.rules import manages, volunteer_of

MAX_HOURS = Decimal(8)


def _locked(request: BankRequest) -> BankRequest:
    return BankRequest.objects.select_for_update().select_related("area", "service").get(pk=request.pk)


def _require_staff(scope: Scope, request: BankRequest) -> None:
    if not manages(scope, request.area):
        raise PermissionDenied(_("Only the committee's staff run its time-bank requests."))


@transaction.atomic
def ask(
    user: User,
    resident: Resident,
    *,
    scope: Scope,
    service: Service,
    wanted_at: datetime,
    hours_wanted: Decimal,
    details: str = "",
) -> BankRequest:
    """An eligible resident asks for a service; its credits (hours × the committee's rate) are
    held at once from the resident's account."""
    if acts_for(user, resident, scope, Capability.MANAGE_VOLUNTEERS) is None:
        raise PermissionDenied(_("You may ask only for yourself or someone you act for."))
    terms = bank.terms_for(resident.committee)
    problem = bank.spending_problem(resident, terms)
    if problem:
        raise ValidationError({"resident": problem})
    if hours_wanted is None or hours_wanted <= 0:
        raise ValidationError({"hours": _("Hours must be more than zero.")})
    if hours_wanted > MAX_HOURS or hours_wanted * 4 != int(hours_wanted * 4):
        raise ValidationError({"hours": _("Ask for up to 8 hours, in quarters of an hour.")})
    if wanted_at < timezone.now():
        raise ValidationError({"wanted_at": _("Choose a time that is still to come.")})
    if service.area is not None and not resident.committee.path.startswith(service.area.path):
        raise ValidationError({"service": _("This service is not offered here.")})
    credits = bank.credits_for(hours_wanted, terms)
    account = bank.account_of_person(resident)
    locked = bank.lock(account)[account.pk]
    if locked.balance < credits:
        message = _("%(hours)s hours take %(credits)s credits; %(name)s has %(balance)s.") % {
            "hours": bank.amount_text(hours_wanted),
            "credits": bank.amount_text(credits),
            "name": resident.name,
            "balance": bank.amount_text(locked.balance),
        }
        raise ValidationError({"hours": message})
    request = BankRequest.objects.create(
        area=resident.committee,
        resident=resident,
        service=service,
        wanted_at=wanted_at,
        hours=hours_wanted,
        credits=credits,
        details=details[:300],
        requested_by=user,
    )
    if credits > 0:
        bank.post(locked, -credits, CreditKind.SPENT, by=user, request=request)
    return request


@transaction.atomic
def match(request: BankRequest, volunteer: Volunteer, *, by: User, scope: Scope) -> BankRequest:
    """Staff give an open request to a volunteer who offers its service."""
    _require_staff(scope, request)
    locked = _locked(request)
    if not locked.is_open and not locked.is_matched:
        raise ValidationError(_("This request is %(state)s.") % {"state": locked.get_status_display()})
    if not scope.covers(volunteer.committee):
        raise PermissionDenied(_("Give the request to a volunteer of your own area."))
    if volunteer.left_at is not None:
        raise ValidationError({"volunteer": _("%(name)s no longer volunteers.") % {"name": volunteer.name}})
    if not volunteer.skills.filter(pk=locked.service_id).exists():
        raise ValidationError(
            {
                "volunteer": _("%(name)s does not offer %(service)s.")
                % {"name": volunteer.name, "service": locked.service.name}
            }
        )
    locked.volunteer, locked.status, locked.matched_at, locked.done_at = (
        volunteer,
        BankRequestStatus.MATCHED,
        timezone.now(),
        None,
    )
    locked.save(update_fields=["volunteer", "status", "matched_at", "done_at"])
    return locked


@transaction.atomic
def report_done(request: BankRequest, *, by: User, scope: Scope) -> BankRequest:
    """The matched volunteer says the service is done; staff confirm it (``finish``)."""
    volunteer = volunteer_of(by)
    locked = _locked(request)
    if volunteer is None or locked.volunteer_id != volunteer.pk:
        raise PermissionDenied(_("Only the volunteer given this request says it is done."))
    if not locked.is_matched:
        raise ValidationError(_("This request is %(state)s.") % {"state": locked.get_status_display()})
    locked.done_at = timezone.now()
    locked.save(update_fields=["done_at"])
    return locked


@transaction.atomic
def finish(request: BankRequest, *, by: User, scope: Scope) -> BankRequest:
    """Staff confirm the service was done: the volunteer gets confirmed hours (source: the time
    bank), which earn their credits."""
    _require_staff(scope, request)
    locked = _locked(request)
    if not locked.is_matched or locked.volunteer is None:
        raise ValidationError(_("Only a request given to a volunteer is marked done."))
    now = timezone.now()
    served = hours.Served(
        day=timezone.localdate(now),
        hours=locked.hours,
        service=locked.service,
        note=str(locked)[:200],
    )
    entry = hours.record_request(locked.volunteer, served, by=by, area=locked.area)
    locked.status, locked.hours_entry = BankRequestStatus.DONE, entry
    locked.done_at = locked.done_at or now
    locked.save(update_fields=["status", "hours_entry", "done_at"])
    return locked


def may_cancel(user: User, request: BankRequest, scope: Scope) -> bool:
    """Staff over its committee, or whoever may act for the resident (themself, family proxy)."""
    return manages(scope, request.area) or acts_for(user, request.resident, scope, "") is not None


@transaction.atomic
def cancel(request: BankRequest, *, by: User, scope: Scope, reason: str) -> BankRequest:
    """A request not yet done is cancelled and its held credits refunded."""
    if not may_cancel(by, request, scope):
        raise PermissionDenied(_("You may cancel only your own requests or your family's."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the request is cancelled.")})
    locked = _locked(request)
    if locked.is_settled:
        raise ValidationError(_("This request is %(state)s.") % {"state": locked.get_status_display()})
    held = CreditEntry.objects.filter(request=locked, kind=CreditKind.SPENT).select_related("account").first()
    if held is not None:
        account = bank.lock(held.account)[held.account_id]
        bank.post(account, -held.amount, CreditKind.REFUND, by=by, request=locked)
    locked.status, locked.cancelled_at, locked.cancel_reason = (
        BankRequestStatus.CANCELLED,
        timezone.now(),
        reason[:200],
    )
    locked.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    return locked
