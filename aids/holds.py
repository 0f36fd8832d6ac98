"""The queue for a kind of aid: asking, approving, setting an item aside, cancelling, expiring.

A resident (or their family, or staff on the phone for them) asks for a kind; the hold joins
the queue (``WAITING``), or first waits for staff (``APPROVAL``) when the kind's policy says
so. Whenever an item of the kind is free (in service, not out, not set aside) it is set aside
for the first in the queue (``READY``, to collect by ``expires_at`` = now + the kind's hold
days) and they are told. A hold not collected in time expires (``expire_due``, a job) and
the next is served; cancelling a ready hold frees its item for the next in the same way.

Every write on a kind's queue locks the kind's row first, so two writes on one queue run one
after the other and the first in the queue is always the one served. The unique constraints
``one_open_hold_per_kind`` and ``one_ready_hold_per_item`` are the last guards.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from aids.models import AidItem, AidKind, Hold, HoldStatus, Loan
from aids.rules import acts_as_borrower, lends
from aids.telling import contact_of, tell
from common.scope import Scope
from registry.models import Resident, Tag

NOTE_MAX = 200


# --- Who may borrow --------------------------------------------------------------------------


def eligibility_problem(kind: AidKind, resident: Resident, today: date | None = None) -> str:
    """Why ``resident`` may not borrow ``kind``, in words for them; "" if they may. The kind's
    policy asks an age, or a registry tag (disabled …): either one is enough."""
    today = today or timezone.localdate()
    if not resident.is_living:
        return _("%(name)s is no longer a resident here.") % {"name": resident.display_name}
    if kind.is_archived:
        return _("%(kind)s is no longer lent.") % {"kind": kind.name}
    if not resident.household.building.path.startswith(kind.area.path):
        return _("%(kind)s is lent by %(area)s to its own residents.") % {
            "kind": kind.name,
            "area": kind.area.name,
        }
    if kind.is_open_to_all:
        return ""
    age = resident.age(today)
    if kind.min_age is not None and age is not None and age >= kind.min_age:
        return ""
    if set(kind.tag_list) & tags_of(resident, today):
        return ""
    if age is None and kind.min_age is not None:
        why = _("the registry has no birth date for them")
    elif age is not None:
        why = _("%(age)s years old") % {"age": age}
    else:
        why = _("not tagged so in the registry")
    return _("%(kind)s is lent to %(who)s; %(name)s is not (%(why)s).") % {
        "kind": kind.name,
        "who": who_may_borrow(kind),
        "name": resident.display_name,
        "why": why,
    }


def tags_of(resident: Resident, today: date) -> set[str]:
    """The resident's tags, stored and derived from the birth date (``registry.models``):
    read from ``resident.tags``, prefetched by ``registry.selectors.people_of``."""
    return {t.tag for t in resident.tags.all()} | {str(t) for t in resident.derived_tags(today)}


def who_may_borrow(kind: AidKind) -> str:
    """ "residents aged 60 or over, or tagged With a disability" (or "every resident")."""
    parts = []
    if kind.min_age is not None:
        parts.append(_("residents aged %(age)s or over") % {"age": kind.min_age})
    labels = [str(Tag(t).label) for t in kind.tag_list if t in Tag.values]
    if labels:
        parts.append(_("residents tagged %(tags)s") % {"tags": _(" or ").join(labels)})
    return _(", or ").join(parts) if parts else _("every resident")


def already_has(kind: AidKind, resident: Resident) -> Loan | None:
    return (
        Loan.objects.out()
        .filter(item__kind=kind, resident=resident)
        .select_related("item")
        .order_by("due_on")
        .first()
    )


# --- Asking, deciding, cancelling ------------------------------------------------------------


def ask(user: User, kind: AidKind, resident: Resident, *, scope: Scope, note: str = "") -> Hold:
    """Join the queue for ``kind`` for ``resident``: their own account, their family, or staff
    on their behalf. Refused, with the reason, when they may not borrow it, already wait for
    it or already have one out."""
    how = acts_as_borrower(user, resident, scope)
    if how is None:
        raise PermissionDenied(_("You may ask only for yourself or someone you act for."))
    # Staff who lend the kind and ask for someone have decided already: no approval step.
    decided = how == "staff" and lends(scope, kind)
    try:
        with transaction.atomic():
            return _ask(user, kind, resident, note.strip()[:NOTE_MAX], decided=decided)
    except IntegrityError:
        raise ValidationError(
            {"kind": _("%(name)s is already in the queue for this aid.") % {"name": resident.name}}
        ) from None


def _ask(user: User, kind: AidKind, resident: Resident, note: str, *, decided: bool) -> Hold:
    kind = locked_kind(kind)
    problem = eligibility_problem(kind, resident)
    if problem:
        raise ValidationError({"resident": problem})
    mine = Hold.objects.open().filter(kind=kind, resident=resident).first()
    if mine is not None:
        raise ValidationError(
            {
                "kind": _("%(name)s is already in the queue for %(kind)s (%(status)s).")
                % {"name": resident.name, "kind": kind.name, "status": mine.get_status_display()}
            }
        )
    out = already_has(kind, resident)
    if out is not None:
        raise ValidationError(
            {
                "kind": _("%(name)s already has %(item)s, due back %(due)s.")
                % {"name": resident.name, "item": out.item, "due": _day(out.due_on)}
            }
        )
    status = HoldStatus.APPROVAL if kind.needs_approval and not decided else HoldStatus.WAITING
    hold = Hold.objects.create(kind=kind, resident=resident, asked_by=user, status=status, note=note)
    if kind.needs_approval and decided:
        hold.decided_by, hold.decided_at = user, hold.asked_at
        hold.save(update_fields=["decided_by", "decided_at"])
    if status == HoldStatus.WAITING:
        serve_queue(kind)
        hold.refresh_from_db()
    return hold


def locked_kind(kind: AidKind) -> AidKind:
    """The kind's row, locked for the rest of the transaction: one write on its queue at a time."""
    return AidKind.objects.select_for_update(of=("self",)).select_related("area").get(pk=kind.pk)


def _deciding(user: User, hold: Hold, scope: Scope) -> Hold:
    if not lends(scope, hold.kind):
        raise PermissionDenied(_("Only staff who lend this aid decide requests for it."))
    locked_kind(hold.kind)
    return Hold.objects.select_related("kind__area", "resident").get(pk=hold.pk)


@transaction.atomic
def approve(user: User, hold: Hold, *, scope: Scope) -> Hold:
    """Staff accept a request for a kind that needs approval: it joins the queue where its
    asking time puts it, and is served at once if an item is free."""
    hold = _deciding(user, hold, scope)
    if not hold.is_approval:
        raise ValidationError(_("This request is not waiting for approval (%(status)s).") % _status(hold))
    problem = eligibility_problem(hold.kind, hold.resident)
    if problem:
        raise ValidationError({"resident": problem})
    hold.status = HoldStatus.WAITING
    hold.decided_by, hold.decided_at = user, timezone.now()
    hold.save(update_fields=["status", "decided_by", "decided_at"])
    served = serve_queue(hold.kind)
    if hold not in served:
        tell(
            contact_of(hold.resident),
            _("Your request for %(kind)s is accepted") % {"kind": hold.kind.name},
            _("You are in the queue; we tell you when one is set aside for you."),
            reverse("aids:mine"),
        )
    hold.refresh_from_db()
    return hold


@transaction.atomic
def decline(user: User, hold: Hold, *, scope: Scope, reason: str) -> Hold:
    """Staff turn a request down, saying why; the resident reads the reason."""
    hold = _deciding(user, hold, scope)
    reason = reason.strip()[:NOTE_MAX]
    if not reason:
        raise ValidationError({"reason": _("Say why, for the resident to read.")})
    if not hold.is_approval:
        raise ValidationError(_("This request is not waiting for approval (%(status)s).") % _status(hold))
    now = timezone.now()
    hold.status, hold.reason = HoldStatus.DECLINED, reason
    hold.decided_by, hold.decided_at, hold.ended_at = user, now, now
    hold.save(update_fields=["status", "reason", "decided_by", "decided_at", "ended_at"])
    tell(
        contact_of(hold.resident),
        _("Your request for %(kind)s was declined") % {"kind": hold.kind.name},
        reason,
        reverse("aids:mine"),
    )
    return hold


@transaction.atomic
def cancel(user: User, hold: Hold, *, scope: Scope, reason: str = "") -> Hold:
    """The resident (or family, or staff) gives up a place in the queue; an item set aside
    for them goes to the next in the queue."""
    if acts_as_borrower(user, hold.resident, scope) is None and not lends(scope, hold.kind):
        raise PermissionDenied(_("You may cancel only your own requests."))
    locked_kind(hold.kind)
    hold = Hold.objects.select_related("kind__area", "resident").get(pk=hold.pk)
    if not hold.is_open:
        raise ValidationError(_("This request has already ended (%(status)s).") % _status(hold))
    hold.status, hold.ended_at = HoldStatus.CANCELLED, timezone.now()
    hold.reason = reason.strip()[:NOTE_MAX]
    hold.save(update_fields=["status", "ended_at", "reason"])
    serve_queue(hold.kind)
    return hold


def _status(hold: Hold) -> dict[str, str]:
    return {"status": str(hold.get_status_display())}


def _day(day: date) -> str:
    return date_format(day, "MONTH_DAY_FORMAT")


# --- Serving the queue -----------------------------------------------------------------------


def free_items(kind: AidKind):
    """Items of ``kind`` that may be set aside or lent now: in service, not out, not set aside."""
    return (
        AidItem.objects.in_service()
        .filter(kind=kind)
        .exclude(pk__in=Loan.objects.out().values("item_id"))
        .exclude(pk__in=Hold.objects.filter(status=HoldStatus.READY, item__isnull=False).values("item_id"))
        .order_by("code", "pk")
    )


def serve_queue(kind: AidKind, now: datetime | None = None) -> list[Hold]:
    """Set free items aside for the first in the queue, one each, and tell them. Called in the
    transaction of whatever freed an item or queued someone, with the kind's row locked."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("serve_queue runs inside the transaction that changed the queue")
    now = now or timezone.now()
    served: list[Hold] = []
    items = list(free_items(kind))
    if not items:
        return served
    waiting = (
        Hold.objects.filter(kind=kind, status=HoldStatus.WAITING)
        .select_related("resident__household__building", "resident__user", "kind")
        .order_by("asked_at", "pk")[: len(items)]
    )
    for hold, item in zip(list(waiting), items, strict=False):
        hold.status, hold.item = HoldStatus.READY, item
        hold.ready_at, hold.expires_at = now, now + timedelta(days=kind.hold_days)
        hold.save(update_fields=["status", "item", "ready_at", "expires_at"])
        served.append(hold)
        tell(
            contact_of(hold.resident),
            _("%(kind)s is set aside for you") % {"kind": kind.name},
            ready_text(hold, item),
            reverse("aids:mine"),
            sms=True,
        )
    return served


def ready_text(hold: Hold, item: AidItem) -> str:
    where = item.site.name if item.site_id and item.site else hold.kind.area.name
    return _("Collect %(item)s at %(where)s by %(when)s; after that it goes to the next in the queue.") % {
        "item": item,
        "where": where,
        "when": date_format(timezone.localtime(hold.expires_at), "MONTH_DAY_FORMAT")
        + " "
        + timezone.localtime(hold.expires_at).strftime("%H:%M"),
    }


def expire_due(now: datetime) -> int:
    """Holds set aside and not collected by ``expires_at`` expire; their items go to the next
    in each queue. One kind at a time, each in its own transaction; the number expired."""
    done = 0
    kinds = (
        Hold.objects.filter(status=HoldStatus.READY, expires_at__lte=now)
        .values_list("kind_id", flat=True)
        .order_by("kind_id")
        .distinct()
    )
    for kind_id in list(kinds):
        with transaction.atomic():
            kind = locked_kind(AidKind(pk=kind_id))
            late = list(
                Hold.objects.filter(kind=kind, status=HoldStatus.READY, expires_at__lte=now)
                .select_related("resident__household__building", "resident__user", "item")
                .order_by("expires_at", "pk")
            )
            for hold in late:
                hold.status, hold.ended_at = HoldStatus.EXPIRED, now
                hold.reason = _("Not collected by the day it was set aside until.")
                hold.save(update_fields=["status", "ended_at", "reason"])
                tell(
                    contact_of(hold.resident),
                    _("%(kind)s was not collected in time") % {"kind": kind.name},
                    _("It has gone to the next in the queue. Ask again if you still need one."),
                    reverse("aids:mine"),
                )
            done += len(late)
            serve_queue(kind, now)
    return done
