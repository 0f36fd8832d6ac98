"""Diners: residents registered for meals, their needs, their health conditions behind them.

Staff with ``Capability.RUN_MEALS`` over a resident's home register them; a resident may
register themselves, and a family member linked in the registry (家属代办) may register them,
and both see and change the diner's own needs. The usual dining point must be a current one
that serves the resident's committee.

The needs the kitchen reads (tags every dish must carry, allergens none may hold) are in the
clear; the health conditions behind them (糖尿病, 高血压) are encrypted with
``registry.crypto`` and shown only masked ("已登记（2项）"): the full text is revealed to a
role with ``Capability.REVEAL_IDENTITY``, with a reason, written to the registry's access log
(``RevealedField.MEAL_HEALTH``).

A registration ends with a reason, refused while the diner has open orders ahead or a live
standing order (cancel or stop them first: the message names the days).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from audit.models import Action, AuditEntry
from audit.services import record
from common.scope import Capability, Scope
from meals import rules
from meals.models import (
    Allergen,
    Diner,
    DinerQuerySet,
    DiningPoint,
    DishTag,
    Mode,
    Order,
    OrderStatus,
    StandingOrder,
)
from registry import crypto
from registry.models import AccessLog, Resident, ResidentStatus, RevealedField
from registry.privacy import REASON_MIN_LENGTH
from registry.selectors import acts_for, speaks_for

HEALTH_MAX = 500
NOTE_MAX = 200
LABEL_MAX = 20
REASON_MAX = 200
ENDED_NOTE = "ended: "
_SEPARATORS = re.compile(r"[,，、;；\n]+")


# --- Who may do what -------------------------------------------------------------------------


def runs_for(scope: Scope, resident: Resident) -> bool:
    """Staff who run meals over ``resident``'s home (``meals.rules``)."""
    return rules.runs_for_resident(scope, resident)


def manages(scope: Scope, diner: Diner) -> bool:
    """Staff who run meals over the diner's committee (``meals.rules``)."""
    return rules.manages_diner(scope, diner)


def acts_as_diner(user: User, resident: Resident, scope: Scope) -> str | None:
    """ "self", "proxy" (family linked in the registry) or "staff"; None if not at all."""
    return acts_for(user, resident, scope, Capability.RUN_MEALS)


def may_change(user: User, scope: Scope, diner: Diner) -> bool:
    return manages(scope, diner) or speaks_for(user, diner.resident) is not None


def seen_by_staff(scope: Scope) -> DinerQuerySet:
    if not scope.can(Capability.RUN_MEALS):
        return Diner.objects.none()
    return scope.restrict(Diner.objects.all())


def visible_to(user: User, scope: Scope) -> QuerySet[Diner]:
    """The diners ``user`` may open: staff's area's, and their own and those they act for."""
    own = Q(resident__user=user) | Q(resident__proxies__user=user, resident__proxies__revoked_at__isnull=True)
    if not user.is_authenticated:
        return Diner.objects.none()
    if scope.can(Capability.RUN_MEALS) and scope.path:
        return Diner.objects.filter(own | scope.q("committee__path")).distinct()
    return Diner.objects.filter(own).distinct()


def points_for(resident: Resident) -> QuerySet[DiningPoint]:
    """The current dining points serving the resident's committee."""
    return DiningPoint.objects.serving(resident.household.committee).order_by("name", "pk")


# --- Health conditions -----------------------------------------------------------------------


def health_mask(text: str) -> str:
    """What lists show of the health conditions: that there are some, and how many, never which."""
    items = [part for part in _SEPARATORS.split(text or "") if part.strip()]
    if not items:
        return ""
    with translation.override("zh-hans"):
        return ngettext("Recorded (%(n)d item)", "Recorded (%(n)d items)", len(items)) % {"n": len(items)}


# --- Checking what is given ------------------------------------------------------------------


def _choices(values: Iterable[str], allowed: list[str], field: str, refusal: str) -> str:
    picked: list[str] = []
    for value in values:
        value = (value or "").strip()
        if not value:
            continue
        if value not in allowed:
            raise ValidationError({field: refusal % {"value": value}})
        if value not in picked:
            picked.append(value)
    return ",".join(v for v in allowed if v in picked)


def _text(value: str, field: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": limit}})
    return value


def _point(point: DiningPoint | None, resident: Resident) -> DiningPoint:
    if point is None:
        raise ValidationError({"point": _("Choose the usual dining point.")})
    committee = resident.household.committee
    if point.is_closed or not point.serves.filter(pk=committee.pk).exists():
        raise ValidationError(
            {
                "point": _("%(point)s does not serve %(committee)s, where %(name)s lives.")
                % {"point": point.name, "committee": committee.name, "name": resident.name}
            }
        )
    return point


def _checked(resident: Resident, point: DiningPoint | None, fields: dict) -> dict:
    point = _point(point, resident)
    data = {
        "point": point,
        "needs": _choices(
            fields.get("needs") or [], DishTag.values, "needs", _("%(value)s is not a dish tag.")
        ),
        "allergies": _choices(
            fields.get("allergies") or [], Allergen.values, "allergies", _("%(value)s is not an allergen.")
        ),
        "delivery": bool(fields.get("delivery")),
        "delivery_note": _text(fields.get("delivery_note", ""), "delivery_note", NOTE_MAX),
        "usual_label": _text(fields.get("usual_label", ""), "usual_label", LABEL_MAX),
        "usual_mode": fields.get("usual_mode") or Mode.EAT_IN,
    }
    if data["usual_mode"] not in Mode.values:
        raise ValidationError({"usual_mode": _("Choose eat in, take away or delivered.")})
    if data["usual_mode"] == Mode.DELIVERED and not data["delivery"]:
        raise ValidationError({"usual_mode": _("Delivered meals need delivery ticked.")})
    if data["delivery"] and not point.meals.filter(delivers=True).exists():
        raise ValidationError({"delivery": _("%(point)s delivers no meal.") % {"point": point.name}})
    return data


def _set_health(diner: Diner, health: str | None) -> None:
    if health is None:
        return
    text = _text(health, "health", HEALTH_MAX)
    diner.health_cipher = crypto.encrypt(text) if text else ""
    diner.health_masked = health_mask(text)


# --- Registering, changing, ending -----------------------------------------------------------


def register(
    user: User,
    resident: Resident,
    *,
    scope: Scope,
    point: DiningPoint | None,
    health: str = "",
    **fields,
) -> Diner:
    """Register ``resident`` for meals at ``point``: by staff over their home, by themselves,
    or by family acting for them. A diner whose registration ended is registered again."""
    if acts_as_diner(user, resident, scope) is None:
        raise PermissionDenied(
            _("You may register only yourself, someone you act for, or a resident of your area.")
        )
    if resident.anonymised_at is not None or resident.status != ResidentStatus.LIVING:
        raise ValidationError({"resident": _("%(name)s no longer lives here.") % {"name": resident.name}})
    data = _checked(resident, point, fields)
    with transaction.atomic():
        diner = Diner.objects.select_for_update().filter(resident=resident).first()
        if diner is not None and diner.is_current:
            raise ValidationError(
                {
                    "resident": _("%(name)s is already registered, at %(point)s.")
                    % {"name": resident.name, "point": diner.point.name}
                }
            )
        if diner is None:
            diner = Diner(resident=resident)
        for key, value in data.items():
            setattr(diner, key, value)
        diner.committee = resident.household.committee
        diner.registered_at = timezone.now()
        diner.registered_by = user
        diner.ended_at = None
        _set_health(diner, health)
        diner.save()
    return diner


def update(user: User, diner: Diner, *, scope: Scope, health: str | None = None, **fields) -> Diner:
    """Change a current diner's point, needs, delivery and usual choice; ``health`` None keeps
    the health conditions, "" clears them."""
    if not may_change(user, scope, diner):
        raise PermissionDenied(_("Only the diner, their family or staff of their area change this."))
    if not diner.is_current:
        raise ValidationError({"resident": _("This registration has ended; register again.")})
    data = _checked(diner.resident, fields.pop("point", diner.point), fields)
    with transaction.atomic():
        for key, value in data.items():
            setattr(diner, key, value)
        _set_health(diner, health)
        diner.save()
    return diner


def open_orders_ahead(diner: Diner) -> list:
    """The days of the diner's orders still to be served, today on."""
    return list(
        Order.objects.filter(diner=diner, status=OrderStatus.ORDERED, day__gte=timezone.localdate())
        .order_by("day")
        .values_list("day", flat=True)
        .distinct()
    )


def end(user: User, diner: Diner, *, scope: Scope, reason: str) -> Diner:
    """End a registration, with a reason. Refused while orders are open ahead or a standing
    order is live: those are cancelled or stopped first, where orders are."""
    if not may_change(user, scope, diner):
        raise PermissionDenied(_("Only the diner, their family or staff of their area change this."))
    reason = " ".join((reason or "").split())
    if len(reason) < 2:
        raise ValidationError({"reason": _("Say why the registration ends.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": REASON_MAX}})
    with transaction.atomic():
        diner = (
            Diner.objects.select_for_update()
            .select_related("resident", "point", "committee")
            .get(pk=diner.pk)
        )
        if not diner.is_current:
            raise ValidationError({"resident": _("This registration has already ended.")})
        days = open_orders_ahead(diner)
        if days:
            raise ValidationError(
                {
                    "reason": _("%(name)s has open orders on %(days)s; cancel them first.")
                    % {
                        "name": diner.resident.name,
                        "days": _(", ").join(date_format(d, "MONTH_DAY_FORMAT") for d in days),
                    }
                }
            )
        if StandingOrder.objects.live().filter(diner=diner).exists():
            raise ValidationError(
                {"reason": _("%(name)s has a standing order; stop it first.") % {"name": diner.resident.name}}
            )
        diner.ended_at = timezone.now()
        diner.save(update_fields=["ended_at"])
        record(Action.UPDATE, diner, note=f"{ENDED_NOTE}{reason}", actor=user)
    return diner


def end_reason(diner: Diner) -> str:
    """Why the registration ended (kept on its audit entry), or ""."""
    if diner.is_current:
        return ""
    note = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Diner),
            object_id=str(diner.pk),
            note__startswith=ENDED_NOTE,
        )
        .order_by("-at", "-pk")
        .values_list("note", flat=True)
        .first()
    )
    return note[len(ENDED_NOTE) :] if note else ""


# --- Revealing the health conditions ---------------------------------------------------------


def clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError({"reason": _("Say why you need it; the reason is logged.")})
    return reason[:REASON_MAX]


@transaction.atomic
def reveal_health(user: User, diner: Diner, *, scope: Scope, reason: str) -> str:
    """The diner's health conditions in full, for a role that may reveal, over their home, with
    a reason: written to the registry's access log (who, as what, when, why)."""
    if not scope.can(Capability.REVEAL_IDENTITY):
        raise PermissionDenied(_("Your active role may not see full values."))
    resident = diner.resident
    if not scope.covers_path(resident.household.building.path) and not scope.covers(diner.committee):
        raise PermissionDenied(_("This resident lies outside your area."))
    reason = clean_reason(reason)
    AccessLog.objects.create(
        actor=user,
        actor_role=scope.role or "",
        resident=resident,
        field=RevealedField.MEAL_HEALTH,
        reason=reason,
        area_path=resident.household.building.path,
    )
    return crypto.decrypt(diner.health_cipher) if diner.health_cipher else ""
