"""Organising activities: drafts, weekly series, publishing, cancelling (everyone signed up
is told), changing the places, and the review for the news afterwards. Signing up, the
waiting list and check-in are in ``signups``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from activities.models import Activity, ActivityArea, Series, Signup, SignupStatus
from activities.places import promote_waiting, tell
from areas.models import Area, not_parts_of
from audit.services import record
from common.formats import when_text
from common.scope import Capability, Scope
from notices import services as notice_services
from notices.services import Draft
from registry.models import Tag
from volunteers.models import Team

MAX_REPEAT = 26


def require_organiser(scope: Scope) -> None:
    if not scope.can(Capability.MANAGE_ACTIVITIES):
        raise PermissionDenied(_("Your active role may not organise activities."))


def require_own(scope: Scope, activity: Activity) -> None:
    require_organiser(scope)
    if not scope.covers(activity.committee):
        raise PermissionDenied(_("This activity belongs to another committee."))


@dataclass
class ActivityDraft:
    title: str
    place: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    capacity: int | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    min_age: int | None = None
    max_age: int | None = None
    areas: list[Area] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    # The team that organises it: a current team of the committee or of its street.
    team: Team | None = None


def _check(committee: Area, draft: ActivityDraft, activity: Activity | None) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(name: str, text: str) -> None:
        problems.setdefault(name, []).append(text)

    if not draft.title.strip():
        add("title", _("Give the activity a title."))
    if not draft.place.strip():
        add("place", _("Say where it takes place."))
    if draft.ends_at <= draft.starts_at:
        add("ends_at", _("It must end after it starts."))
    if draft.closes_at and draft.closes_at > draft.ends_at:
        add("closes_at", _("Sign-up cannot close after the activity has ended."))
    if draft.opens_at and draft.closes_at and draft.opens_at >= draft.closes_at:
        add("closes_at", _("Sign-up must close after it opens."))
    if draft.min_age is not None and draft.max_age is not None and draft.min_age > draft.max_age:
        add("max_age", _("The oldest age is below the youngest."))
    if draft.capacity is not None and draft.capacity < 1:
        add("capacity", _("At least one place, or leave it empty for no limit."))
    if activity is not None and draft.capacity is not None and draft.capacity < activity.confirmed:
        add(
            "capacity",
            _("%(n)d residents already have a place; cancel some first or keep at least %(n)d places.")
            % {"n": activity.confirmed},
        )
    for area in not_parts_of(committee, draft.areas):
        add("areas", _("%(area)s is not part of %(own)s.") % {"area": area.name, "own": committee.name})
    if draft.team is not None and (
        draft.team.dissolved_at or draft.team.area_id not in (committee.pk, committee.parent_id)
    ):
        add(
            "team",
            _("%(team)s is not a current team of %(own)s.")
            % {"team": draft.team.name, "own": committee.name},
        )
    unknown = [t for t in draft.tags if t not in Tag.values]
    if unknown:
        add("tags", _("Unknown tag: %(tag)s.") % {"tag": ", ".join(unknown)})
    return problems


def _write(activity: Activity, draft: ActivityDraft) -> None:
    activity.title = " ".join(draft.title.split())
    activity.description = draft.description.strip()
    activity.place = draft.place.strip()
    activity.starts_at, activity.ends_at = draft.starts_at, draft.ends_at
    activity.capacity = draft.capacity
    activity.opens_at, activity.closes_at = draft.opens_at, draft.closes_at
    activity.min_age, activity.max_age = draft.min_age, draft.max_age
    activity.tags = "|" + "|".join(sorted(set(draft.tags))) + "|" if draft.tags else ""
    activity.team = draft.team
    activity.save()
    ActivityArea.choose(activity, draft.areas)


def committee_of_scope(scope: Scope) -> Area:
    """Activities are organised in a committee's name."""
    return scope.committee(_("Activities are organised by a committee; act in a committee role."))


def _shifted(value: datetime | None, weeks: int) -> datetime | None:
    return value + timedelta(weeks=weeks) if value else None


@transaction.atomic
def create_activity(actor: User, scope: Scope, draft: ActivityDraft, *, weeks: int = 1) -> list[Activity]:
    """One activity, or a weekly series of ``weeks`` sessions (the same time each week, the
    sign-up window moved along with it). Drafts until published."""
    require_organiser(scope)
    committee = committee_of_scope(scope)
    problems = _check(committee, draft, None)
    if not 1 <= weeks <= MAX_REPEAT:
        problems.setdefault("weeks", []).append(_("Between 1 and %(n)d weeks.") % {"n": MAX_REPEAT})
    if problems:
        raise ValidationError(problems)
    series = Series.objects.create(committee=committee, title=draft.title.strip()) if weeks > 1 else None
    made = []
    for week in range(weeks):
        session = ActivityDraft(
            **{
                **draft.__dict__,
                "starts_at": _shifted(draft.starts_at, week),
                "ends_at": _shifted(draft.ends_at, week),
                "opens_at": _shifted(draft.opens_at, week),
                "closes_at": _shifted(draft.closes_at, week),
            }
        )
        activity = Activity(committee=committee, series=series, created_by=actor)
        _write(activity, session)
        made.append(activity)
    return made


@transaction.atomic
def update_activity(scope: Scope, activity: Activity, draft: ActivityDraft) -> Activity:
    """Edit it; once published, those signed up are told of a new time or place."""
    require_own(scope, activity)
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    problems = _check(activity.committee, draft, locked)
    if problems:
        raise ValidationError(problems)
    before = (locked.starts_at, locked.ends_at, locked.place)
    _write(locked, draft)
    if (
        (locked.starts_at, locked.ends_at, locked.place) != before
        and locked.published_at
        and not locked.cancelled_at
    ):
        _tell_moved(locked)
    return locked


def _tell_moved(activity: Activity) -> None:
    """Everyone with a place or on the waiting list hears the new time and place."""
    live = Signup.objects.filter(activity=activity).exclude(status=SignupStatus.CANCELLED)
    tell(
        [s.resident for s in live.select_related("resident")],
        _("Changed: %(title)s") % {"title": activity.title},
        _("Now on %(when)s at %(place)s.") % {"when": when_text(activity.starts_at), "place": activity.place},
        activity,
    )


@transaction.atomic
def publish_activity(scope: Scope, activity: Activity) -> Activity:
    """Residents see it and may sign up (from ``opens_at`` if set)."""
    require_own(scope, activity)
    if activity.cancelled_at:
        raise ValidationError(_("A cancelled activity cannot be published again."))
    if activity.published_at is None:
        activity.published_at = timezone.now()
        activity.save(update_fields=["published_at", "updated_at"])
    return activity


@transaction.atomic
def cancel_activity(scope: Scope, activity: Activity, reason: str) -> Activity:
    """Call it off: every sign-up is cancelled and those who had one are told why."""
    require_own(scope, activity)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the activity is cancelled.")})
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.cancelled_at:
        raise ValidationError(_("The activity is already cancelled."))
    live = list(
        Signup.objects.filter(activity=locked)
        .exclude(status=SignupStatus.CANCELLED)
        .select_related("resident")
    )
    now = timezone.now()
    Signup.objects.filter(pk__in=[s.pk for s in live]).update(status=SignupStatus.CANCELLED, cancelled_at=now)
    locked.cancelled_at, locked.cancel_reason, locked.confirmed = now, reason[:200], 0
    locked.save(update_fields=["cancelled_at", "cancel_reason", "confirmed", "updated_at"])
    tell([s.resident for s in live], _("Cancelled: %(title)s") % {"title": locked.title}, reason, locked)
    return locked


@transaction.atomic
def change_capacity(scope: Scope, activity: Activity, capacity: int | None) -> Activity:
    """More places give waiting residents a place at once, in order."""
    require_own(scope, activity)
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if capacity is not None and capacity < locked.confirmed:
        raise ValidationError(
            {"capacity": _("%(n)d residents already have a place.") % {"n": locked.confirmed}}
        )
    locked.capacity = capacity
    locked.save(update_fields=["capacity", "updated_at"])
    promote_waiting(locked)
    return locked


@transaction.atomic
def publish_review(actor: User, scope: Scope, activity: Activity, summary: str, photos=()) -> Activity:
    """The summary and photos go out as community news (社区动态) to the whole committee."""

    require_own(scope, activity)
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("Write a few lines about how it went.")})
    if timezone.now() < activity.starts_at:
        raise ValidationError(_("Write the review after the activity has taken place."))
    draft = Draft(
        category="news",
        title=(_("Review: %(title)s") % {"title": activity.title})[:120],
        body=summary,
        targets=[activity.committee],
    )
    if activity.review is not None:
        notice = notice_services.update_notice(scope, activity.review, draft, photos)
    else:
        notice = notice_services.create_notice(actor, scope, draft, photos)
        notice_services.publish(scope, notice)
    activity.summary, activity.review = summary, notice
    activity.save(update_fields=["summary", "review", "updated_at"])
    record("review", activity, note=notice.title)
    return activity
