"""Keeping the inventory: kinds of aid with their loan policy, and the items.

A kind belongs to a committee or a street (the staff member's area, or one under it). Its
policy: how many days a loan lasts, how many renewals of how many days, the deposit, who may
borrow (an age, or registry tags such as disabled: either is enough; neither, everyone),
whether staff approve each request, and how many days an item set aside waits.

An item has a number unique within its kind, a site it is kept at (a site of the kind's area,
of one under it, or of the street above), and a condition. Sent to repair or retired it is
out of service: refused while it is lent; if set aside, the hold goes back into the queue
at its old place and another free item is set aside if there is one. Back from repair, it
serves the queue.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aids.holds import locked_kind, serve_queue
from aids.models import AidCategory, AidItem, AidKind, Condition, Hold, HoldStatus, Loan
from aids.rules import keeps, lends
from areas.models import Area, ancestor_paths
from common.scope import Scope
from registry.models import Tag
from spaces.models import Site

MAX_DAYS = 365
MAX_RENEWALS = 12
MAX_HOLD_DAYS = 30
MAX_AGE = 120
MAX_DEPOSIT = Decimal("99999.99")
# Tags a policy may ask: the registry's, minus "minor" (aids are for the elderly and disabled).
POLICY_TAGS = [t for t in Tag.values if t != Tag.MINOR]


@dataclass
class KindDraft:
    name: str
    category: str
    about: str = ""
    loan_days: int = 30
    renewals: int = 1
    renewal_days: int = 30
    deposit: Decimal = Decimal("0")
    min_age: int | None = None
    tags: tuple[str, ...] = ()
    needs_approval: bool = False
    hold_days: int = 3


def _check(draft: KindDraft) -> None:
    errors: dict[str, str] = {}
    if not draft.name.strip():
        errors["name"] = _("Give the kind a name, e.g. 轮椅.")
    if draft.category not in AidCategory.values:
        errors["category"] = _("Choose what kind of aid it is.")
    for name, top in (("loan_days", MAX_DAYS), ("renewal_days", MAX_DAYS), ("hold_days", MAX_HOLD_DAYS)):
        value = getattr(draft, name)
        if not 1 <= value <= top:
            errors[name] = _("Between 1 and %(n)d days.") % {"n": top}
    if not 0 <= draft.renewals <= MAX_RENEWALS:
        errors["renewals"] = _("Between 0 and %(n)d renewals.") % {"n": MAX_RENEWALS}
    if not Decimal("0") <= draft.deposit <= MAX_DEPOSIT:
        errors["deposit"] = _("Between 0 and %(n)s yuan.") % {"n": MAX_DEPOSIT}
    if draft.min_age is not None and not 0 <= draft.min_age <= MAX_AGE:
        errors["min_age"] = _("An age between 0 and %(n)d.") % {"n": MAX_AGE}
    unknown = [t for t in draft.tags if t not in POLICY_TAGS]
    if unknown:
        errors["tags"] = _("Not a tag of the registry: %(tags)s.") % {"tags": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)


def _values(draft: KindDraft) -> dict:
    values = {f.name: getattr(draft, f.name) for f in fields(draft)}
    values["name"] = draft.name.strip()
    values["about"] = draft.about.strip()
    # Stored in the registry's order, so the same policy always reads the same.
    values["tags"] = ",".join(t for t in POLICY_TAGS if t in draft.tags)
    return values


def _name_taken(area: Area, name: str) -> ValidationError:
    return ValidationError(
        {"name": _("%(area)s already lends a kind named %(name)s.") % {"area": area.name, "name": name}}
    )


def create_kind(draft: KindDraft, *, scope: Scope, area: Area | None = None) -> AidKind:
    """A new kind of aid in ``area`` (the staff member's own by default)."""
    area = area or scope.area
    if area is None or not keeps(scope, area):
        raise PermissionDenied(_("Kinds of aid are kept by staff who lend aids in the area."))
    _check(draft)
    try:
        with transaction.atomic():
            return AidKind.objects.create(area=area, **_values(draft))
    except IntegrityError:
        raise _name_taken(area, draft.name.strip()) from None


def change_kind(kind: AidKind, draft: KindDraft, *, scope: Scope) -> AidKind:
    """A new policy applies to what is asked and lent from now on; loans out keep their due date."""
    if not keeps(scope, kind.area):
        raise PermissionDenied(_("Only staff over %(area)s change this kind.") % {"area": kind.area.name})
    _check(draft)
    try:
        with transaction.atomic():
            kind = locked_kind(kind)
            for name, value in _values(draft).items():
                setattr(kind, name, value)
            kind.save()
            serve_queue(kind)
            return kind
    except IntegrityError:
        raise _name_taken(kind.area, draft.name.strip()) from None


@transaction.atomic
def archive_kind(kind: AidKind, *, scope: Scope) -> AidKind:
    """No longer lent: refused while any item is out; requests still open are cancelled."""
    if not keeps(scope, kind.area):
        raise PermissionDenied(_("Only staff over %(area)s change this kind.") % {"area": kind.area.name})
    kind = locked_kind(kind)
    out = Loan.objects.out().filter(item__kind=kind).count()
    if out:
        raise ValidationError(_("%(n)d of these are still lent; take them back first.") % {"n": out})
    now = timezone.now()
    Hold.objects.open().filter(kind=kind).update(
        status=HoldStatus.CANCELLED, ended_at=now, reason=_("No longer lent.")
    )
    kind.archived_at = now
    kind.save(update_fields=["archived_at"])
    return kind


# --- Items -----------------------------------------------------------------------------------


def sites_for(kind: AidKind):
    """Current sites of the kind's area, of the areas under it and of those above it."""
    path = kind.area.path
    return (
        Site.objects.current()
        .filter(Q(area__path__startswith=path) | Q(area__path__in=ancestor_paths(path)))
        .order_by("name", "pk")
    )


def site_problem(kind: AidKind, site: Site | None) -> str:
    """Items are kept at a current site of the kind's area, of one under it or above it."""
    if site is None:
        return ""
    if site.closed_at is not None:
        return _("%(site)s is closed.") % {"site": site.name}
    here, there = kind.area.path, site.area.path
    if not (there.startswith(here) or here.startswith(there)):
        return _("%(site)s belongs to %(area)s; keep %(kind)s at a site of %(here)s.") % {
            "site": site.name,
            "area": site.area.name,
            "kind": kind.name,
            "here": kind.area.name,
        }
    return ""


def add_item(
    kind: AidKind,
    *,
    scope: Scope,
    code: str,
    site: Site | None = None,
    condition: str = Condition.GOOD,
    notes: str = "",
) -> AidItem:
    """One more wheelchair: its number, where it is kept, its condition. Serves the queue."""
    if not keeps(scope, kind.area):
        raise PermissionDenied(
            _("Only staff over %(area)s add items of this kind.") % {"area": kind.area.name}
        )
    code = code.strip()
    errors = {}
    if not code:
        errors["code"] = _("Give the item its number, as written on it.")
    if condition not in (Condition.NEW, Condition.GOOD, Condition.FAIR, Condition.NEEDS_REPAIR):
        errors["condition"] = _("A new item is new, good, worn or needs repair.")
    problem = site_problem(kind, site)
    if problem:
        errors["site"] = problem
    if kind.is_archived:
        errors["kind"] = _("%(kind)s is no longer lent.") % {"kind": kind.name}
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            kind = locked_kind(kind)
            item = AidItem.objects.create(
                kind=kind, code=code, site=site, condition=condition, notes=notes.strip()[:200]
            )
            serve_queue(kind)
            return item
    except IntegrityError:
        raise ValidationError(
            {"code": _("%(kind)s %(code)s already exists.") % {"kind": kind.name, "code": code}}
        ) from None


def change_item(item: AidItem, *, scope: Scope, code: str, site: Site | None, notes: str = "") -> AidItem:
    """Its number, site or notes (its condition changes through ``set_condition``)."""
    if not keeps(scope, item.kind.area):
        raise PermissionDenied(
            _("Only staff over %(area)s change this item.") % {"area": item.kind.area.name}
        )
    code = code.strip()
    if not code:
        raise ValidationError({"code": _("Give the item its number, as written on it.")})
    problem = site_problem(item.kind, site)
    if problem:
        raise ValidationError({"site": problem})
    item.code, item.site, item.notes = code, site, notes.strip()[:200]
    try:
        with transaction.atomic():
            item.save(update_fields=["code", "site", "notes"])
    except IntegrityError:
        raise ValidationError(
            {"code": _("%(kind)s %(code)s already exists.") % {"kind": item.kind.name, "code": code}}
        ) from None
    return item


def set_condition(item: AidItem, condition: str, *, scope: Scope, note: str = "") -> AidItem:
    """Send to repair, retire, or mark repaired (good, worn, new). A lent item's condition is
    written when it comes back; a retired item stays retired."""
    # A committee's staff lend a street's items, and may send one they took back to repair.
    if not keeps(scope, item.kind.area) and not lends(scope, item.kind):
        raise PermissionDenied(
            _("Only staff over %(area)s change this item.") % {"area": item.kind.area.name}
        )
    if condition not in Condition.values:
        raise ValidationError({"condition": _("Choose a condition.")})
    with transaction.atomic():
        kind = locked_kind(item.kind)
        item = AidItem.objects.select_related("kind").get(pk=item.pk)
        if item.is_retired:
            raise ValidationError(
                {"condition": _("%(item)s is retired; add a replacement as a new item.") % {"item": item}}
            )
        out = Loan.objects.out().filter(item=item).select_related("resident").first()
        if out is not None:
            raise ValidationError(
                {
                    "condition": _(
                        "%(item)s is lent to %(name)s; its condition is written when it comes back."
                    )
                    % {"item": item, "name": out.resident.name}
                }
            )
        item.condition = condition
        if note.strip():
            item.notes = note.strip()[:200]
        item.save(update_fields=["condition", "notes"])
        if not item.is_in_service:
            # The hold it was set aside for goes back to the queue at its place.
            Hold.objects.filter(item=item, status=HoldStatus.READY).update(
                status=HoldStatus.WAITING, item=None, ready_at=None, expires_at=None
            )
        serve_queue(kind)
    return item
