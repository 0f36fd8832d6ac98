"""Writes with rules on accounts: password resets by staff, granting roles, two-factor enrolment.

Every function here is what the pages, the API and the admin call; each checks its rule
itself, so a caller cannot forget it.
"""

from __future__ import annotations

import re
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import lockout
from accounts.models import RoleGrant, User
from accounts.roles import ROLE_SPECS, Role
from areas.models import LEVEL_ORDER, Area, AreaLevel, AreaQuerySet
from audit.services import record
from common.scope import Capability, Scope

# Letters and digits that cannot be mistaken for one another when read aloud or off paper:
# no 0/o, 1/l/i; lower case only, so the resident need not find the shift key.
_LETTERS = "abcdefghjkmnpqrstuvwxyz"
_DIGITS = "23456789"
TEMPORARY_PASSWORD_LENGTH = 8

# Admin roles: only someone whose own area is at or above the role's level may grant them.
ADMIN_ROLES = {Role.STREET_ADMIN, Role.DISTRICT_ADMIN, Role.CITY_ADMIN}


def temporary_password() -> str:
    """Eight characters, at least three digits and three letters, easy to read out."""
    while True:
        password = "".join(secrets.choice(_LETTERS + _DIGITS) for _i in range(TEMPORARY_PASSWORD_LENGTH))
        digits = sum(c.isdigit() for c in password)
        if 3 <= digits <= TEMPORARY_PASSWORD_LENGTH - 3:
            return password


# --- Password reset ---------------------------------------------------------------------------


def resettable_users(scope: Scope) -> QuerySet[User]:
    """Residents living in the scope's area: staff accounts are never reset this way."""
    return scope.restrict(User.objects.residents())


def reset_password(actor: User, scope: Scope, user: User, reason: str) -> str:
    """Give a resident a temporary password and make them choose their own at next login.

    Only a role with MANAGE_ACCOUNTS may do it, only for a resident (no active role grant,
    no admin-site rights) whose home lies in the scope, and only with a reason, which goes
    into the audit log. The number's login lockout, if any, is lifted too. Returns the
    temporary password, to be shown once.
    """
    if not scope.can(Capability.MANAGE_ACCOUNTS):
        raise PermissionDenied(_("Your active role may not reset passwords."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the password is being reset; it goes into the log.")})
    if not resettable_users(scope).filter(pk=user.pk).exists():
        raise ValidationError(
            _("%(name)s is not a resident of your area; only residents' passwords can be reset here.")
            % {"name": user.name}
        )
    password = temporary_password()
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        record("password_reset", user, actor=actor, note=reason)
    lockout.lift(user.phone)
    return password


def lift_lockout(actor: User, scope: Scope, user: User) -> int:
    """Lift the login lock of anyone whose home lies in the scope, staff included.

    Wrong passwords lock a number at one address (accounts/lockout.py); a worker locked out
    asks whoever manages the committee's accounts, who lifts it here at once. Nothing else
    changes: the password stays the worker's. Returns how many locks were lifted (0: none)."""
    if not scope.can(Capability.MANAGE_ACCOUNTS):
        raise PermissionDenied(_("Your active role may not lift login locks."))
    if not scope.restrict(User.objects.all()).filter(pk=user.pk).exists():
        raise PermissionDenied(_("%(name)s does not live in your area.") % {"name": user.name})
    return _lift(actor, user)


def lift_lockout_by_site_admin(actor: User, user: User) -> int:
    """The admin site's way: a site administrator lifts anyone's login lock."""
    if not actor.is_staff:
        raise PermissionDenied(_("Only site administrators may do this."))
    return _lift(actor, user)


def _lift(actor: User, user: User) -> int:
    lifted = lockout.lift(user.phone)
    if lifted:
        record("update", user, actor=actor, note="login lock lifted", changes={"login_lock": ["on", "off"]})
    return lifted


def change_password(user: User, new_password: str) -> None:
    """The user's own choice; clears the 'must change' mark left by a reset."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])


# --- Roles ------------------------------------------------------------------------------------


def grantable_roles(scope: Scope) -> list[str]:
    """Roles with at least one level at or below the scope's own area."""
    if not scope.can(Capability.GRANT_ROLES) or scope.area is None:
        return []
    own = LEVEL_ORDER[scope.area.level]
    return [role for role, spec in ROLE_SPECS.items() if any(LEVEL_ORDER[lv] >= own for lv in spec.levels)]


def grantable_areas(scope: Scope, role: str) -> AreaQuerySet:
    """Active areas in the scope at a level the role may be held over."""
    if role not in ROLE_SPECS:
        return Area.objects.none()
    return scope.restrict(Area.objects.active()).filter(level__in=ROLE_SPECS[role].levels)


def _levels_text(levels) -> str:
    return _(" or ").join(str(AreaLevel(level).label).lower() for level in levels)


def grant_role(actor: User, scope: Scope, user: User, role: str, area: Area) -> RoleGrant:
    """Grant ``role`` over ``area`` to ``user``.

    The rules: the active role may grant roles; the role exists and may be held over an area
    of that level; an admin role (street, district, city) only from someone whose own area is
    at or above that level; the area and the user's home lie inside the granter's scope; no
    one grants to themselves; and the same active grant is not made twice.
    """
    if not scope.can(Capability.GRANT_ROLES) or scope.area is None:
        raise PermissionDenied(_("Your active role may not grant roles."))
    if role not in ROLE_SPECS:
        raise ValidationError({"role": _("“%(role)s” is not a role.") % {"role": role}})
    label = Role(role).label
    levels = ROLE_SPECS[role].levels
    if role in ADMIN_ROLES and LEVEL_ORDER[scope.area.level] > min(LEVEL_ORDER[lv] for lv in levels):
        raise ValidationError(
            {
                "role": _("Only someone whose own area is a %(levels)s or above may grant “%(role)s”.")
                % {"levels": _levels_text(levels), "role": label}
            }
        )
    if area.level not in levels:
        raise ValidationError(
            {
                "area": _("“%(role)s” is held over a %(levels)s; %(area)s is a %(level)s.")
                % {
                    "role": label,
                    "levels": _levels_text(levels),
                    "area": area.name,
                    "level": str(area.get_level_display()).lower(),
                }
            }
        )
    if not scope.covers(area):
        raise ValidationError(
            {
                "area": _("%(area)s lies outside %(own)s, your area.")
                % {"area": area.name, "own": scope.area.name}
            }
        )
    if area.retired_at is not None:
        raise ValidationError(
            {"area": _("%(area)s is retired; choose a current area.") % {"area": area.name}}
        )
    if not scope.restrict(User.objects.filter(pk=user.pk)).exists():
        raise ValidationError(
            _("%(name)s does not live in your area; roles are granted to people of your area.")
            % {"name": user.name}
        )
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot grant a role to yourself; ask someone above you."))
    if RoleGrant.objects.active().filter(user=user, role=role, area=area).exists():
        raise ValidationError(
            _("%(name)s is already %(role)s of %(area)s.")
            % {"name": user.name, "role": label, "area": area.name}
        )
    return RoleGrant.objects.create(user=user, role=role, area=area, granted_by=actor)


def revoke_role(actor: User, scope: Scope, grant: RoleGrant) -> None:
    """End a grant inside the scope; nobody revokes their own (they would lock themselves out)."""
    if not scope.can(Capability.GRANT_ROLES):
        raise PermissionDenied(_("Your active role may not revoke roles."))
    if not scope.restrict(RoleGrant.objects.active()).filter(pk=grant.pk).exists():
        raise ValidationError(_("This role is not active in your area."))
    if grant.user_id == actor.pk:
        raise ValidationError(_("You cannot revoke your own role; ask someone above you."))
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])


# --- Two-factor -------------------------------------------------------------------------------


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled: the same one (and QR code) until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def confirm_totp_device(user: User, device: TOTPDevice, token: str) -> bool:
    """Enrolment ends when a current code from the app matches; then the device counts.

    Wrong codes are throttled by django-otp (the wait doubles after each one).
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        if not device.verify_token(token):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        record("two_factor", user, actor=user, note=_("TOTP authenticator enrolled"))
    return True


def grouped_secret(b32: str) -> str:
    """ABCD EFGH …: easier to type into an app by hand."""
    return " ".join(re.findall(".{1,4}", b32))
