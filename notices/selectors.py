"""Reading notices: who a notice is for, what a resident sees, who has read what, and the
publicity plan month by month."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from areas.models import Area, AreaLevel, ancestor_paths
from common.scope import Scope
from notices.models import (
    Attachment,
    Cadence,
    Notice,
    NoticeCategory,
    NoticeRead,
    NoticeState,
    NoticeTarget,
    ReadHow,
)
from registry.models import Resident, tag_q
from registry.selectors import people_of

FEED_LIMIT = 20


def audience(notice: Notice, today: date | None = None) -> QuerySet[Resident]:
    """The living residents of the registry the notice is meant for."""
    paths = [t.area.path for t in notice.targets.select_related("area")]
    if not paths:
        return Resident.objects.none()
    where = reduce(or_, [Q(household__building__path__startswith=p) for p in paths])
    residents = Resident.objects.living().filter(where)
    if notice.tags:
        residents = residents.filter(reduce(or_, [tag_q(tag, today) for tag in notice.tags])).distinct()
    return residents


def _me(user: User) -> Resident | None:
    return (
        Resident.objects.living()
        .filter(user=user)
        .select_related("household__building")
        .prefetch_related("tags")
        .first()
    )


def _wants(notice: Notice, resident: Resident | None, stored_tags: set[str], today: date) -> bool:
    if not notice.tags:
        return True
    if resident is None:
        return False
    return bool(set(notice.tags) & (stored_tags | set(resident.derived_tags(today))))


@dataclass
class FeedItem:
    notice: Notice
    read: bool


def feed_for(user: User, now: datetime | None = None, limit: int = FEED_LIMIT) -> list[FeedItem]:
    """A resident's notices, pinned first, newest first: four queries however many exist."""
    now = now or timezone.now()
    resident = _me(user)
    place = resident.household.building if resident else user.home_area
    if place is None:
        return []
    stored = {t.tag for t in resident.tags.all()} if resident else set()
    read = NoticeRead.objects.filter(notice=OuterRef("pk"), resident=resident) if resident else None
    notices = (
        Notice.objects.published(now)
        .reaching(place.path)
        .select_related("area")
        .annotate(was_read=Exists(read) if read is not None else Q(pk__in=[]))
        .order_by("-pinned", "-publish_at", "-pk")
        .distinct()
    )
    today = timezone.localdate(now)
    items = []
    # Tag-targeted notices are filtered here, on the resident's own tags; read a few extra.
    for notice in notices[: limit * 3]:
        if _wants(notice, resident, stored, today):
            items.append(FeedItem(notice, bool(getattr(notice, "was_read", False))))
        if len(items) == limit:
            break
    return items


def feeds_of(
    people: Sequence[Resident], now: datetime | None = None, limit: int = FEED_LIMIT
) -> dict[int, list[FeedItem]]:
    """Each resident's notices as ``feed_for`` would show them (pinned first, newest first,
    tag-targeted ones only to those tagged, read or not), for a family member who reads for
    several people (家属代办): two queries however many. ``people`` come with their homes'
    buildings and their tags (``registry.selectors.people_of``)."""
    now = now or timezone.now()
    if not people:
        return {}
    reach = {p.pk: {*ancestor_paths(p.household.building.path), p.household.building.path} for p in people}
    targets = list(
        NoticeTarget.objects.filter(
            area__path__in=set().union(*reach.values()),
            notice__in=Notice.objects.published(now).values("pk"),
        )
        .select_related("notice__area", "area")
        .order_by("-notice__pinned", "-notice__publish_at", "-notice__pk")[: limit * 3 * len(people)]
    )
    read = set(
        NoticeRead.objects.filter(
            resident__in=[p.pk for p in people], notice__in={t.notice_id for t in targets}
        ).values_list("notice_id", "resident_id")
    )
    today = timezone.localdate(now)
    feeds: dict[int, list[FeedItem]] = {}
    for person in people:
        stored = {t.tag for t in person.tags.all()}
        items: list[FeedItem] = []
        seen: set[int] = set()
        for target in targets:
            notice = target.notice
            if notice.pk in seen or target.area.path not in reach[person.pk]:
                continue
            seen.add(notice.pk)
            if _wants(notice, person, stored, today):
                items.append(FeedItem(notice, (notice.pk, person.pk) in read))
            if len(items) == limit:
                break
        feeds[person.pk] = items
    return feeds


def family_feeds(user: User, limit: int = FEED_LIMIT) -> list[tuple[Resident, list[FeedItem]]]:
    """For a family member (家属代办): each person she acts for, with their notices."""
    people = [p for p in people_of(user) if p.user_id != user.pk]
    feeds = feeds_of(people, limit=limit)
    return [(p, feeds[p.pk]) for p in people]


def readers_for(user: User, notice: Notice) -> list[tuple[Resident, str]]:
    """The residents the user reads this notice for: themself, and those they act for."""
    if not user.is_authenticated:
        return []
    people = audience(notice)
    mine: list[tuple[Resident, str]] = [(r, ReadHow.ONLINE) for r in people.filter(user=user)]
    proxied = people.filter(proxies__user=user, proxies__revoked_at__isnull=True)
    return mine + [(r, ReadHow.PROXY) for r in proxied]


def can_read(user: User, scope: Scope, notice: Notice, now: datetime | None = None) -> bool:
    """Staff of the area see every state; residents see a live notice meant for them; a
    public one (no tag targeting) anyone may read, like the paper on the lobby board."""
    if scope.covers(notice.area) or (scope.path and notice.area.path.startswith(scope.path)):
        return True
    if scope.path and Notice.objects.filter(pk=notice.pk).reaching(scope.path).exists():
        return notice.state(now) == "published"
    if notice.state(now) != "published":
        return False
    if notice.is_public:
        return True
    return bool(readers_for(user, notice))


def detail(notice_id: int) -> Notice | None:
    return (
        Notice.objects.select_related("area", "author")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("position", "pk")),
            "targets__area",
        )
        .filter(pk=notice_id)
        .first()
    )


def notices_in(scope: Scope) -> QuerySet[Notice]:
    """For staff: the notices their area published, and, for a building leader, those that
    reach their building group."""
    assert scope.path is not None
    own = Q(area__path__startswith=scope.path)
    reaching = Q(pk__in=Notice.objects.reaching(scope.path).values("pk")) & Q(
        area__path__in=ancestor_paths(scope.path)
    )
    return (
        Notice.objects.filter(own | reaching)
        .select_related("area")
        .annotate(read_count=Count("reads", distinct=True))
        .order_by("-pinned", "-publish_at", "-created_at", "-pk")
    )


def in_state(notices: QuerySet[Notice], state: str, now: datetime | None = None) -> QuerySet[Notice]:
    now = now or timezone.now()
    live = Q(withdrawn_at__isnull=True)
    wheres: dict[str, Q] = {
        NoticeState.DRAFT: live & Q(publish_at__isnull=True),
        NoticeState.SCHEDULED: live & Q(publish_at__gt=now),
        NoticeState.PUBLISHED: live & Q(publish_at__lte=now),
        NoticeState.WITHDRAWN: Q(withdrawn_at__isnull=False),
    }
    where = wheres.get(state)
    return notices.filter(where) if where is not None else notices


@dataclass
class GroupReceipt:
    group: Area | None
    total: int
    read: int

    @property
    def unread(self) -> int:
        return self.total - self.read

    @property
    def percent(self) -> str:
        return f"{100 * self.read / self.total:.0f}%" if self.total else "–"


def receipts(notice: Notice, scope: Scope) -> list[GroupReceipt]:
    """Read and unread, per building group, of the audience the scope may see."""
    read = NoticeRead.objects.filter(notice=notice, resident=OuterRef("pk"))
    rows = (
        scope.restrict(audience(notice))
        .annotate(done=Exists(read))
        .values("household__building__parent_id")
        .annotate(total=Count("pk", distinct=True), read=Count("pk", filter=Q(done=True), distinct=True))
        .order_by()
    )
    counts = {r["household__building__parent_id"]: (r["total"], r["read"]) for r in rows}
    groups = Area.objects.in_bulk([pk for pk in counts if pk])
    result = [GroupReceipt(groups.get(pk), total, done) for pk, (total, done) in counts.items()]
    return sorted(result, key=lambda g: g.group.path if g.group else "")


def unread_in(notice: Notice, scope: Scope, group: Area) -> QuerySet[Resident]:
    """Who in ``group`` has not seen the notice: the building leader's follow-up list."""
    read = NoticeRead.objects.filter(notice=notice, resident=OuterRef("pk"))
    return (
        scope.restrict(audience(notice))
        .filter(household__building__path__startswith=group.path)
        .exclude(Exists(read))
        .select_related("household__building")
        .order_by("household__sort_key", "name")
    )


def reads_in(notice: Notice, scope: Scope, group: Area) -> QuerySet[NoticeRead]:
    return (
        NoticeRead.objects.filter(notice=notice, resident__household__building__path__startswith=group.path)
        .filter(scope.q("resident__household__building__path"))
        .select_related("resident__household__building", "by")
        .order_by("resident__household__sort_key", "resident__name")
    )


# --- The publicity plan ------------------------------------------------------------------


@dataclass
class PlanCell:
    published: int
    wanted: int | None

    @property
    def met(self) -> bool | None:
        return None if self.wanted is None else self.published >= self.wanted


@dataclass
class PlanMonth:
    month: date
    cells: list[PlanCell]


def _months_back(today: date, count: int) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        months.append(first)
        first = (first.replace(day=1) - timedelta(days=1)).replace(day=1)
    return months


def _wanted(cadence: Cadence | None, month: date) -> int | None:
    return cadence.per_month if cadence is not None and month >= cadence.since else None


def plan(committee: Area, months: int = 12, today: date | None = None) -> tuple[list[str], list[PlanMonth]]:
    """Published notices per category and month against the cadence, newest month first.

    A notice counts for the committee when the committee published it or a street above it
    did for all its committees (targeted at the street itself or at this committee)."""
    today = today or timezone.localdate()
    plans = {c.category: c for c in Cadence.objects.filter(committee=committee)}
    span = _months_back(today, months)
    start = timezone.make_aware(datetime.combine(span[-1], datetime.min.time()))
    rows = (
        Notice.objects.filter(
            publish_at__gte=start, publish_at__lte=timezone.now(), withdrawn_at__isnull=True
        )
        .filter(Q(area=committee) | Q(pk__in=Notice.objects.reaching(committee.path).values("pk")))
        .values_list("category", "publish_at")
    )
    counts: dict[tuple[str, date], int] = {}
    for category, at in rows:
        key = (category, timezone.localdate(at).replace(day=1))
        counts[key] = counts.get(key, 0) + 1
    categories = list(NoticeCategory.values)
    table = [
        PlanMonth(
            month, [PlanCell(counts.get((c, month), 0), _wanted(plans.get(c), month)) for c in categories]
        )
        for month in span
    ]
    return categories, table


def committees_for_plan(scope: Scope) -> QuerySet[Area]:
    return scope.restrict(Area.objects.filter(level=AreaLevel.COMMITTEE, retired_at__isnull=True))
