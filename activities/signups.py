"""Signing up, as residents, family members and staff meet it: who may sign up (window, area,
age, tags), places taken under the activity's row lock (never oversold), the waiting list
promoted in arrival order, check-in at the door with a resident's pass, and ratings after.
Organising activities (drafts, series, publishing, cancelling) is in ``services``."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from activities.models import Activity, Series, Signup, SignupStatus, SignupVia
from activities.places import promote_waiting, recount, tell
from activities.services import require_own
from audit.services import record
from common.formats import when_text
from common.scope import Capability, Scope
from registry.models import Resident, Tag
from registry.selectors import acts_for, shares_household, speaks_for

PASS_SALT = "activities.pass"


# --- Who may sign up -------------------------------------------------------------------------


def eligibility_problem(
    activity: Activity, resident: Resident, now: datetime | None = None, *, staff=False
) -> str:
    """Why ``resident`` may not sign up now, in words for them; "" if they may. Staff at the
    door may sign someone up outside the window, never outside the area, age or tags."""
    now = now or timezone.now()
    if activity.published_at is None or activity.cancelled_at:
        return _("This activity is not open for sign-up.")
    if not staff:
        if now >= activity.starts_at:
            return _("The activity has already started.")
        if activity.opens_at and now < activity.opens_at:
            return _("Sign-up opens on %(when)s.") % {"when": when_text(activity.opens_at)}
        if activity.closes_at and now > activity.closes_at:
            return _("Sign-up closed on %(when)s.") % {"when": when_text(activity.closes_at)}
    elif now >= activity.ends_at:
        return _("The activity is over.")
    if not resident.is_living:
        return _("%(name)s is not a current resident in the registry.") % {"name": resident.name}
    areas = [a.area for a in activity.areas.all()]
    if not resident.lives_under(activity.committee, areas):
        names = "、".join(a.name for a in areas) or activity.committee.name
        return _("This activity is for residents of %(areas)s.") % {"areas": names}
    if activity.min_age is not None or activity.max_age is not None:
        age = resident.age(timezone.localtime(activity.starts_at).date())
        if age is None:
            return _(
                "The registry has no birth date for %(name)s, so the age limit cannot be checked; "
                "ask the committee."
            ) % {"name": resident.name}
        low, high = activity.min_age, activity.max_age
        if (low is not None and age < low) or (high is not None and age > high):
            limits = f"{low or 0}–{high}" if high is not None else f"{low}+"
            return _("This activity is for ages %(limits)s; %(name)s will be %(age)d.") % {
                "limits": limits,
                "name": resident.name,
                "age": age,
            }
    wanted = activity.tag_list
    if wanted:
        have = {t.tag for t in resident.tags.all()} | set(resident.derived_tags(timezone.localdate(now)))
        if not have & set(wanted):
            labels = "、".join(str(Tag(t).label) for t in wanted)
            return _("This activity is for residents who are: %(tags)s.") % {"tags": labels}
    return ""


def acting_as(user: User, resident: Resident, scope: Scope) -> str | None:
    """How ``user`` may sign ``resident`` up (and cancel): themself, as family proxy, as staff,
    or as a member of the same household (a wife for her husband); None if not at all."""
    how = acts_for(user, resident, scope, Capability.MANAGE_ACTIVITIES)
    if how:
        return {"self": SignupVia.SELF, "proxy": SignupVia.PROXY, "staff": SignupVia.STAFF}.get(how)
    return SignupVia.HOUSEHOLD if shares_household(user, resident) else None


# --- Signing up and cancelling --------------------------------------------------------------


@transaction.atomic
def register(
    user: User,
    resident: Resident,
    activity: Activity,
    *,
    scope: Scope,
    walk_in: bool = False,
    now: datetime | None = None,
) -> Signup:
    """A place if one is left, else the waiting list; taken under the activity's row lock, so
    however many sign up at once, no more than ``capacity`` get a place."""
    via = acting_as(user, resident, scope)
    if via is None:
        raise PermissionDenied(_("You may sign up only yourself or someone you act for."))
    if walk_in and via != SignupVia.STAFF:
        raise PermissionDenied(_("Only staff sign up walk-ins."))
    locked = Activity.objects.select_for_update().select_related("committee").get(pk=activity.pk)
    problem = eligibility_problem(locked, resident, now, staff=via == SignupVia.STAFF)
    if problem:
        raise ValidationError(problem)
    existing = (
        Signup.objects.filter(activity=locked, resident=resident)
        .exclude(status=SignupStatus.CANCELLED)
        .first()
    )
    if existing is not None:
        raise ValidationError(
            _("%(name)s is already signed up (%(status)s).")
            % {"name": resident.name, "status": existing.get_status_display()}
        )
    has_place = locked.capacity is None or locked.confirmed < locked.capacity
    if has_place:
        Activity.objects.filter(pk=locked.pk).update(confirmed=F("confirmed") + 1)
    return Signup.objects.create(
        activity=locked,
        resident=resident,
        status=SignupStatus.CONFIRMED if has_place else SignupStatus.WAITING,
        via=SignupVia.WALK_IN if walk_in else via,
        by=user,
    )


@transaction.atomic
def register_together(
    user: User, residents: list[Resident], activity: Activity, *, scope: Scope, now: datetime | None = None
) -> list[Signup]:
    """Several people in one go (a resident and members of her household, or a family member's
    people), each through ``register``: the row lock, their own eligibility, a place while one
    is left and then the waiting list, in the order given. One transaction: all are signed up,
    or none, and the refusal names whom it is about."""
    done: list[Signup] = []
    for resident in {r.pk: r for r in residents}.values():
        try:
            done.append(register(user, resident, activity, scope=scope, now=now))
        except ValidationError as error:
            text = " ".join(error.messages)
            raise ValidationError(text if resident.name in text else f"{resident.name}: {text}") from None
    return done


def register_series(
    user: User, resident: Resident, series: Series, *, scope: Scope, now=None
) -> tuple[list[Signup], list[str]]:
    """Every session of the series still open: signed up where possible; the others with why."""
    done, skipped = [], []
    sessions = series.activities.published().filter(starts_at__gt=now or timezone.now()).order_by("starts_at")
    for session in sessions:
        try:
            done.append(register(user, resident, session, scope=scope, now=now))
        except ValidationError as error:
            skipped.append(f"{when_text(session.starts_at)}: {' '.join(error.messages)}")
    return done, skipped


def waiting_position(signup: Signup) -> int | None:
    if not signup.is_waiting:
        return None
    return Signup.objects.filter(
        activity_id=signup.activity_id, status=SignupStatus.WAITING, pk__lte=signup.pk
    ).count()


@transaction.atomic
def cancel_signup(user: User, signup: Signup, *, scope: Scope) -> Signup:
    """Give the place up; the first on the waiting list gets it and is told."""
    via = acting_as(user, signup.resident, scope)
    if via is None:
        raise PermissionDenied(_("You may cancel only your own sign-ups or those of someone you act for."))
    locked = Activity.objects.select_for_update().get(pk=signup.activity_id)
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    if signup.is_cancelled:
        raise ValidationError(_("This sign-up is already cancelled."))
    if timezone.now() >= locked.starts_at and via != SignupVia.STAFF:
        raise ValidationError(_("The activity has started; tell the committee if you cannot come."))
    had_place = signup.has_place
    signup.status, signup.cancelled_at = SignupStatus.CANCELLED, timezone.now()
    signup.save(update_fields=["status", "cancelled_at"])
    if via == SignupVia.STAFF:
        # The resident did not do it themself: they hear of it, and are not left expecting a place.
        tell(
            [signup.resident],
            _("Your sign-up is cancelled: %(title)s") % {"title": locked.title},
            _("The committee cancelled it for you. Ask them if this is a mistake."),
            locked,
        )
    if had_place:
        recount(locked)
        promote_waiting(locked)
    return signup


# --- At the door -----------------------------------------------------------------------------


def pass_token(resident: Resident) -> str:
    """What a resident's check-in QR code carries: their id, signed, so it cannot be guessed."""
    return signing.Signer(salt=PASS_SALT).sign(str(resident.pk))


def resident_from_token(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=PASS_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def check_in_problem(activity: Activity, now: datetime | None = None) -> str:
    """Why nobody can be checked in at the door now, in words for staff; "" while check-in is
    open (``settings.MULIN_CHECKIN_OPENS_BEFORE`` before the start to
    ``MULIN_CHECKIN_CLOSES_AFTER`` after the end). Only a check-in in that window is someone
    having come, a beneficiary."""
    phase = activity.check_in_phase(now)
    if phase == "not_yet":
        return _("Check-in opens at %(when)s, %(minutes)d minutes before the start.") % {
            "when": when_text(activity.check_in_opens_at),
            "minutes": int(settings.MULIN_CHECKIN_OPENS_BEFORE.total_seconds() // 60),
        }
    if phase == "over":
        return _(
            "Check-in closed at %(when)s. To enter a paper sign-in sheet, use “Enter the paper "
            "sign-in sheet” on the list at the door, with the reason."
        ) % {"when": when_text(activity.check_in_closes_at)}
    return ""


def _came(actor: User, locked: Activity, signup: Signup, now: datetime) -> Signup:
    """Under the activity's lock: mark ``signup`` as come. Someone on the waiting list who turns
    up gets a place if one is free."""
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    if signup.is_cancelled:
        raise ValidationError(_("This sign-up was cancelled; sign them up again as a walk-in."))
    if signup.is_waiting:
        if locked.is_full:
            raise ValidationError(
                _("The activity is full and %(name)s is on the waiting list.")
                % {"name": signup.resident.name}
            )
        signup.status, signup.promoted_at = SignupStatus.CONFIRMED, now
        Activity.objects.filter(pk=locked.pk).update(confirmed=F("confirmed") + 1)
        locked.confirmed += 1
    if signup.checked_in_at is None:
        signup.checked_in_at, signup.checked_in_by = now, actor
    signup.save(update_fields=["status", "promoted_at", "checked_in_at", "checked_in_by"])
    return signup


@transaction.atomic
def check_in(actor: User, scope: Scope, signup: Signup, *, now: datetime | None = None) -> Signup:
    """They came: only while check-in is open (``check_in_problem``); outside it, refused with
    when it opens, or, once it is over, pointed to the paper sheet's path."""
    require_own(scope, signup.activity)
    now = now or timezone.now()
    locked = Activity.objects.select_for_update().get(pk=signup.activity_id)
    problem = check_in_problem(locked, now)
    if problem:
        raise ValidationError(problem)
    return _came(actor, locked, signup, now)


@transaction.atomic
def enter_paper_sheet(
    actor: User, scope: Scope, activity: Activity, chosen: list[Signup], reason: str, *, now=None
) -> list[Signup]:
    """The one way to record attendance after check-in has closed: the paper sign-in sheet,
    typed in afterwards. Only once the activity has started (nobody came to what has not
    begun), with the reason, and written to the audit log with the names."""
    require_own(scope, activity)
    now = now or timezone.now()
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(
            {"reason": _("Say why it is entered afterwards (for example: the paper sheet).")}
        )
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if now < locked.starts_at:
        raise ValidationError(
            _("The activity has not started yet: nobody can have come. %(problem)s")
            % {"problem": check_in_problem(locked, now)}
        )
    done = [
        _came(actor, locked, signup, now)
        for signup in chosen
        if signup.activity_id == locked.pk and signup.checked_in_at is None
    ]
    if done:
        record(
            "update",
            locked,
            changes={"entered_afterwards": [s.pk for s in done]},
            note=(_("Paper sign-in sheet entered afterwards: %(reason)s") % {"reason": reason})[:255],
            actor=actor,
        )
    return done


def undo_check_in(scope: Scope, signup: Signup) -> Signup:
    require_own(scope, signup.activity)
    signup.checked_in_at, signup.checked_in_by = None, None
    signup.save(update_fields=["checked_in_at", "checked_in_by"])
    return signup


@transaction.atomic
def walk_in(actor: User, scope: Scope, activity: Activity, resident: Resident) -> Signup:
    """Someone turns up without signing up: signed up and checked in in one go, if there is room
    and check-in is open (not days ahead: then they are signed up, not come)."""
    require_own(scope, activity)
    problem = check_in_problem(activity)
    if problem:
        raise ValidationError(problem)
    existing = (
        Signup.objects.filter(activity=activity, resident=resident)
        .exclude(status=SignupStatus.CANCELLED)
        .first()
    )
    signup = existing or register(actor, resident, activity, scope=scope, walk_in=True)
    return check_in(actor, scope, signup)


# --- Afterwards --------------------------------------------------------------------------------


def rate(user: User, signup: Signup, stars: int, comment: str = "") -> Signup:
    """Those who came rate it, 1 to 5 stars, once the activity is over."""
    if speaks_for(user, signup.resident) is None:
        raise PermissionDenied(_("You may rate only activities you (or someone you act for) attended."))
    if signup.checked_in_at is None:
        raise ValidationError(_("Only those who came can rate the activity."))
    if timezone.now() < signup.activity.starts_at:
        raise ValidationError(_("Rate it after it has taken place."))
    if not 1 <= stars <= 5:
        raise ValidationError({"rating": _("From 1 to 5 stars.")})
    signup.rating, signup.comment = stars, " ".join((comment or "").split())[:300]
    signup.save(update_fields=["rating", "comment"])
    return signup
