"""Places, the one thing a sign-up competes for: the counter of places taken, recounted from
the rows; the waiting list promoted in arrival order when a place comes free; and telling
the residents concerned. Callers hold the activity's row lock."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity, Signup, SignupStatus
from common.formats import when_text
from notifications.models import NotificationKind
from notifications.services import notify
from registry.models import Resident
from registry.selectors import accounts_of


def recount(activity: Activity) -> None:
    """Places taken, counted from the rows (under the lock) rather than decremented: the
    counter can never drift below what the sign-ups say."""
    activity.confirmed = Signup.objects.filter(activity=activity, status=SignupStatus.CONFIRMED).count()
    Activity.objects.filter(pk=activity.pk).update(confirmed=activity.confirmed)


def promote_waiting(activity: Activity) -> list[Signup]:
    """Fill free places from the waiting list, first come first served. Call under the lock."""
    if activity.capacity is None:
        free = Signup.objects.filter(activity=activity, status=SignupStatus.WAITING).count()
    else:
        free = activity.capacity - activity.confirmed
    if free <= 0:
        return []
    promoted = list(
        Signup.objects.filter(activity=activity, status=SignupStatus.WAITING)
        .select_related("resident")
        .order_by("pk")[:free]
    )
    now = timezone.now()
    Signup.objects.filter(pk__in=[s.pk for s in promoted]).update(
        status=SignupStatus.CONFIRMED, promoted_at=now
    )
    Activity.objects.filter(pk=activity.pk).update(confirmed=F("confirmed") + len(promoted))
    activity.refresh_from_db(fields=["confirmed"])
    for signup in promoted:
        tell(
            [signup.resident],
            _("You have a place: %(title)s") % {"title": activity.title},
            _("A place became free on %(when)s at %(place)s.")
            % {"when": when_text(activity.starts_at), "place": activity.place},
            activity,
        )
    return promoted


def tell(residents: Iterable[Resident], title: str, body: str, activity: Activity) -> None:
    """A message to each resident's account and their family proxies', after the commit."""
    ids = [r.pk for r in residents]
    if not ids:
        return
    users = accounts_of(Resident.objects.filter(pk__in=ids))
    notify(
        users,
        kind=NotificationKind.ACTIVITY,
        title=title,
        body=body,
        url=activity.get_absolute_url(),
        sms=True,
    )
