"""Every URL pattern of the project, with its arguments filled from a test world.

The permission matrix and the browser tests walk these, so a route added by a later
issue is visited automatically. A route whose URL has an argument this module cannot
fill fails the walk with a message naming the argument: register a filler in FILLERS,
which gets an object of that kind located in a given area.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from areas.models import Area

# Prefixes not walked here, and why:
#  admin/   Django's admin is for site administrators (is_staff) only; tests/test_admin.py
#           checks that no role grant opens it.
#  api/v1/  walked from the OpenAPI spec by tests/api (schemathesis) and the matrix's API part.
#  requests/  the old address of demands/, a permanent redirect (tests/demands/test_pages.py).
SKIPPED_PREFIXES = ("admin/", "api/v1/", "static/", "media/", "requests/")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # the pattern, e.g. "areas/<str:code>/"
    kwargs: tuple[str, ...]
    pattern: URLPattern

    def url(self, values: dict[str, object]) -> str:
        from django.urls import reverse

        return reverse(self.name, kwargs={k: values[k] for k in self.kwargs})


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            if route.lstrip("^").startswith(SKIPPED_PREFIXES) or not p.name:
                continue
            name = f"{namespace}:{p.name}" if namespace else p.name
            yield Route(name, route, tuple(p.pattern.converters), p)


def routes() -> list[Route]:
    """All named page routes of the project, sorted for stable test ids."""
    seen: dict[str, Route] = {}
    for r in _walk(get_resolver().url_patterns):
        seen.setdefault(r.name, r)
    return sorted(seen.values(), key=lambda r: r.route)


def unnamed_routes() -> list[str]:
    """Routes without a name cannot be reversed; the matrix insists every route has one."""
    out = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif not p.name and not (prefix + str(p.pattern)).lstrip("^").startswith(SKIPPED_PREFIXES):
                out.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns)
    return out


# --- Fillers: kwarg name → an object of that kind inside an area --------------------------


def _area_code(area: Area) -> str:
    return area.code


def _resident_id(area: Area) -> int:
    from accounts.models import User

    user = User.objects.filter(home_area__path__startswith=area.path, role_grants__isnull=True).first()
    if user is None:
        from tests.factories import UserFactory

        user = UserFactory.create(name=f"住户-{area.code}", home_area=area)
    return user.pk


def _audit_entry_id(area: Area) -> int:
    from audit.models import AuditEntry
    from audit.services import record

    entry = AuditEntry.objects.filter(area_path__startswith=area.path).first()
    return (entry or record("update", area, note="matrix")).pk


def _committee_in(area: Area) -> Area:
    """The committee of a building inside ``area`` (made if there is none)."""
    from areas.selectors import committee_of

    committee = committee_of(_building_in(area))
    assert committee is not None  # every building lies in a committee
    return committee


def _building_in(area: Area) -> Area:
    """An active building inside ``area``, made (with a building group) if there is none."""
    from areas.models import AreaLevel
    from tests.factories import local

    found = Area.objects.subtree(area).filter(level=AreaLevel.BUILDING).active().order_by("path").first()
    if found is not None:
        return found
    if area.level in (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET):
        committee = Area.objects.subtree(area).filter(level=AreaLevel.COMMITTEE).order_by("path").first()
        assert committee is not None, f"no committee under {area}"
        return _building_in(committee)
    if area.level in (AreaLevel.COMMITTEE, AreaLevel.GRID):
        area = local(area, AreaLevel.BUILDING_GROUP, f"走查楼组{area.pk}", 900 + area.pk)
    return local(area, AreaLevel.BUILDING, f"走查楼{area.pk}", 900 + area.pk)


def _household_id(area: Area) -> int:
    from registry.models import Household
    from tests.factories import household

    building = _building_in(area)
    found = Household.objects.filter(building=building).first()
    return (found or household(building, "101")).pk


def _registry_resident_id(area: Area) -> int:
    from registry.models import Household, Resident
    from tests.factories import resident

    home = Household.objects.get(pk=_household_id(area))
    found = Resident.objects.filter(household=home).first()
    return (found or resident(home, f"走查居民{home.pk}")).pk


def _import_id(area: Area) -> int:
    from registry.models import CensusImport

    committee = _committee_in(area)
    census = CensusImport.objects.filter(committee=committee).first()
    return (
        census
        or CensusImport.objects.create(
            committee=committee,
            file_name="普查.xlsx",
            stored_name="missing.xlsx",
            sha256="0" * 64,
            status="problems",
        )
    ).pk


def _registration_id(area: Area) -> int:
    from registry.models import Registration
    from tests.factories import UserFactory

    building = _building_in(area)
    found = Registration.objects.filter(area__path__startswith=area.path).first()
    if found is None:
        user = UserFactory.create(name="走查注册", home_area=building)
        found = Registration.objects.create(
            user=user, committee=_committee_in(building), area=building, room="101", name=user.name
        )
    return found.pk


def _notice_id(area: Area) -> int:
    """A published notice of the committee the area is in (or under), for its residents living
    alone: a notice for everyone is public like the lobby board (tests/notices covers that),
    a tag-targeted one must stay inside its audience, which is what the walk checks."""
    from django.utils import timezone

    from notices.models import Notice, NoticeTarget

    committee = _committee_in(area)
    found = Notice.objects.filter(area=committee).first()
    if found is None:
        found = Notice.objects.create(
            area=committee,
            category="announcement",
            title="走查通知",
            body="内容",
            target_tags="|living_alone|",
            publish_at=timezone.now(),
        )
        NoticeTarget.objects.create(notice=found, area=committee)
    return found.pk


def _attachment_id(area: Area) -> int:
    from django.core.files.base import ContentFile

    from notices.models import Attachment

    notice_id = _notice_id(area)
    found = Attachment.objects.filter(notice_id=notice_id).first()
    if found is None:
        found = Attachment(notice_id=notice_id, name="说明.txt", stored_name=f"walk{notice_id}.txt", size=2)
        found.file.save(found.stored_name, ContentFile(b"ok"), save=True)
    return found.pk


def _notification_id(area: Area) -> int:
    from notifications.models import Notification
    from tests.factories import UserFactory

    found = Notification.objects.filter(user__home_area__path__startswith=area.path).first()
    if found is None:
        user = UserFactory.create(name="走查收信人", home_area=_building_in(area))
        found = Notification.objects.create(user=user, kind="notice", title="走查消息")
    return found.pk


def _activity(area: Area):
    """A published activity of the committee the area is in, for its residents aged 80+ only."""
    from datetime import timedelta

    from django.utils import timezone

    from activities.models import Activity

    committee = _committee_in(area)
    found = Activity.objects.filter(committee=committee).first()
    if found is None:
        start = timezone.now() + timedelta(days=1)
        found = Activity.objects.create(
            committee=committee,
            title="走查活动",
            place="活动室",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            capacity=10,
            min_age=80,
            published_at=timezone.now(),
        )
    return found


def _activity_id(area: Area) -> int:
    return _activity(area).pk


def _signup_id(area: Area) -> int:
    from django.db.models import F

    from activities.models import Activity, Signup
    from registry.models import Resident

    activity = _activity(area)
    found = Signup.objects.filter(activity=activity).first()
    if found is None:
        person = Resident.objects.get(pk=_registry_resident_id(area))
        found = Signup.objects.create(activity=activity, resident=person, status="confirmed")
        Activity.objects.filter(pk=activity.pk).update(confirmed=F("confirmed") + 1)
    return found.pk


def _shift(area: Area):
    """A volunteer shift of the committee the area is in, still to come, with one claim."""
    from datetime import timedelta

    from django.utils import timezone

    from volunteers.models import Shift, ShiftClaim, Volunteer

    committee = _committee_in(area)
    found = Shift.objects.filter(area=committee).first()
    if found is None:
        start = timezone.now() + timedelta(days=2)
        found = Shift.objects.create(
            area=committee,
            title="走查岗位",
            place="广场",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            places=3,
            taken=1,
            withdraw_until=start - timedelta(days=1),
        )
        person = Volunteer.objects.create(committee=committee, name="走查志愿者", kind="resident")
        ShiftClaim.objects.create(shift=found, volunteer=person)
    return found


def _shift_id(area: Area) -> int:
    return _shift(area).pk


def _claim_id(area: Area) -> int:
    return _shift(area).claims.first().pk


def _pass_token(area: Area) -> str:
    from activities.signups import pass_token
    from registry.models import Resident

    return pass_token(Resident.objects.get(pk=_registry_resident_id(area)))


def _topic(area: Area):
    """A topic of the committee the area is in, open for opinions, with a poll."""
    from datetime import timedelta

    from django.utils import timezone

    from deliberation.models import Poll, PollOption, Topic

    committee = _committee_in(area)
    found = Topic.objects.filter(committee=committee).first()
    if found is None:
        found = Topic.objects.create(committee=committee, title="走查议题", body="内容", phase="poll")
        now = timezone.now()
        poll = Poll.objects.create(
            topic=found, question="走查投票", opens_at=now, closes_at=now + timedelta(days=3)
        )
        PollOption.objects.bulk_create([PollOption(poll=poll, label=x) for x in ("好", "不好")])
    return found


def _topic_id(area: Area) -> int:
    return _topic(area).pk


def _opinion_id(area: Area) -> int:
    from deliberation.models import Opinion
    from registry.models import Resident

    topic = _topic(area)
    found = Opinion.objects.filter(topic=topic).first()
    if found is None:
        person = Resident.objects.get(pk=_registry_resident_id(area))
        found = Opinion.objects.create(topic=topic, resident=person, body="走查意见")
    return found.pk


def _meeting(area: Area):
    from django.utils import timezone

    from deliberation.models import Meeting, Participant

    topic = _topic(area)
    found = Meeting.objects.filter(committee=topic.committee).first()
    if found is None:
        found = Meeting.objects.create(
            committee=topic.committee, title="走查议事会", starts_at=timezone.now(), place="会议室"
        )
        Participant.objects.create(meeting=found, side="property", name="走查经理", organisation="物业")
    return found


def _meeting_id(area: Area) -> int:
    return _meeting(area).pk


def _decision_id(area: Area) -> int:
    from django.utils import timezone

    from deliberation.models import Decision

    meeting = _meeting(area)
    found = Decision.objects.filter(meeting=meeting).first()
    if found is None:
        found = Decision.objects.create(
            committee=meeting.committee,
            meeting=meeting,
            text="走查决定",
            owner="物业",
            due_on=timezone.localdate(),
        )
    return found.pk


def _convention(area: Area):
    """A published convention for the residents of ``area`` (of the committee it is in, for a
    street and above): a building group's convention is for its residents, which the walk checks."""
    from django.utils import timezone

    from areas.models import AreaLevel
    from conventions.models import Clause, Convention, ConventionVersion

    committee = _committee_in(area)
    target = (
        area if area.level in (AreaLevel.GRID, AreaLevel.BUILDING_GROUP, AreaLevel.BUILDING) else committee
    )
    found = Convention.objects.filter(area=target).first()
    if found is None:
        found = Convention.objects.create(committee=committee, area=target, title="走查公约")
        now = timezone.now()
        version = ConventionVersion.objects.create(
            convention=found, number=1, state="published", finalised_at=now, published_at=now
        )
        Clause.objects.create(version=version, order=1, theme="社区健康类", text="走查条款")
    return found


def _convention_id(area: Area) -> int:
    return _convention(area).pk


def _signature_id(area: Area) -> int:
    from conventions.models import Signature
    from registry.models import Resident

    version = _convention(area).versions.get(number=1)
    found = Signature.objects.filter(version=version).first()
    if found is None:
        person = Resident.objects.get(pk=_registry_resident_id(area))
        found = Signature.objects.create(
            version=version, resident=person, household=person.household, key=f"r:{person.pk}"
        )
    return found.pk


def _plan_id(area: Area) -> int:
    """A visit plan of the committee the area is in, running today (no shares needed)."""
    from datetime import timedelta

    from django.utils import timezone

    from visits.models import VisitPlan

    committee = _committee_in(area)
    found = VisitPlan.objects.filter(committee=committee).first()
    if found is None:
        today = timezone.localdate()
        found = VisitPlan.objects.create(
            committee=committee, title="走查走访计划", starts_on=today - timedelta(days=7), ends_on=today
        )
    return found.pk


def _visit_id(area: Area) -> int:
    """A visit to a household inside the area."""
    from registry.models import Household
    from visits.models import Visit

    home = Household.objects.get(pk=_household_id(area))
    found = Visit.objects.filter(household=home).first()
    return (found or Visit.objects.create(household=home, findings="走查走访")).pk


def _demand(area: Area):
    """A request (诉求) for a resident living inside the area, with a photo."""
    from demands.models import Category, Demand
    from registry.models import Resident

    person = Resident.objects.select_related("household").get(pk=_registry_resident_id(area))
    found = Demand.objects.filter(resident=person).first()
    if found is None:
        found = Demand.objects.create(
            committee=person.committee,
            resident=person,
            household=person.household,
            # get_or_create: a transactional test (the browser walk) flushes the data migration's rows.
            category=Category.objects.get_or_create(
                committee=None, name="物业报修", defaults={"service_hours": 72}
            )[0],
            text="走查诉求",
        )
    return found


def _demand_id(area: Area) -> int:
    return _demand(area).pk


def _photo_id(area: Area) -> int:
    from django.core.files.base import ContentFile

    from demands.models import DemandPhoto

    demand = _demand(area)
    found = DemandPhoto.objects.filter(demand=demand).first()
    if found is None:
        found = DemandPhoto(demand=demand, name="照片.png", stored_name=f"walk{demand.pk}.png", size=2)
        found.file.save(found.stored_name, ContentFile(b"ok"), save=True)
    return found.pk


def _project_id(area: Area) -> int:
    from demands.models import ServiceProject

    demand = _demand(area)
    found = ServiceProject.objects.filter(committee=demand.committee).first()
    if found is None:
        found = ServiceProject.objects.create(
            committee=demand.committee, title="走查项目", description="内容"
        )
        demand.project = found
        demand.save(update_fields=["project"])
    return found.pk


def _category_id(area: Area) -> int:
    """A category of the committee's own (a default would be everyone's)."""
    from demands.models import Category

    committee = _committee_in(area)
    found, _made = Category.objects.get_or_create(
        committee=committee, name="走查类别", defaults={"service_hours": 24}
    )
    return found.pk


def _watch(area: Area):
    """An elderly-watch entry for a resident living inside the area, with an open alert."""
    from datetime import timedelta

    from django.utils import timezone

    from eldercare.models import Alert, Watch
    from registry.models import Resident

    person = Resident.objects.get(pk=_registry_resident_id(area))
    found = Watch.objects.filter(resident=person).first()
    if found is None:
        found = Watch.objects.create(
            resident=person, committee_id=person.committee_id, checks_from=timezone.localdate()
        )
        now = timezone.now()
        Alert.objects.create(
            watch=found,
            committee_id=person.committee_id,
            day=timezone.localdate(),
            slot="day",
            raised_at=now,
            workers_due_at=now + timedelta(hours=1),
            family_due_at=now + timedelta(hours=3),
        )
    return found


def _watch_id(area: Area) -> int:
    return _watch(area).pk


def _alert_id(area: Area) -> int:
    return _watch(area).alerts.first().pk


def _unit_id(area: Area) -> int:
    """A partner unit of the committee inside ``area``."""
    from partners.models import PartnerUnit

    committee = _committee_in(area)
    found, _made = PartnerUnit.objects.get_or_create(
        area=committee, name=f"走查共建单位{committee.pk}", defaults={"kind": "clinic"}
    )
    return found.pk


def _team(area: Area):
    """A team of the committee inside ``area``, with a request waiting (made once)."""
    from volunteers.models import Membership, Team

    committee = _committee_in(area)
    found = Team.objects.filter(area=committee, name="走查队").first()
    if found is None:
        found = Team.objects.create(area=committee, name="走查队", kind="service")
        Membership.objects.create(team=found, volunteer_id=_volunteer_id(area), note="走查")
    return found


def _team_id(area: Area) -> int:
    return _team(area).pk


def _ledger_volunteer(area: Area):
    """The walk's volunteer of the committee inside ``area`` (made once)."""
    from volunteers.models import Volunteer

    committee = _committee_in(area)
    found = Volunteer.objects.filter(committee=committee, name="走查志愿者").first()
    return found or Volunteer.objects.create(committee=committee, name="走查志愿者", kind="other")


def _volunteer_id(area: Area) -> int:
    return _ledger_volunteer(area).pk


def _membership_id(area: Area) -> int:
    return _team(area).memberships.first().pk


def _certificate(area: Area):
    """A service certificate issued by the committee the area is in, to a volunteer of it."""
    from datetime import date

    from volunteers.models import Certificate, Volunteer

    committee = _committee_in(area)
    found = Certificate.objects.filter(area=committee).first()
    if found is None:
        volunteer = Volunteer.objects.create(committee=committee, name="走查志愿者", kind="resident")
        found = Certificate.objects.create(
            volunteer=volunteer,
            area=committee,
            number=f"ZY2026WALK{committee.pk:08d}",
            name=volunteer.name,
            period_from=date(2026, 1, 1),
            period_to=date(2026, 6, 30),
            hours=12,
            times=4,
        )
    return found


def _certificate_id(area: Area) -> int:
    return _certificate(area).pk


def _certificate_token(area: Area) -> str:
    from volunteers.certificates import token_for

    return token_for(_certificate(area))


# --- Hours and the time bank (volunteers) ---


def _hours_id(area: Area) -> int:
    """A confirmed line of the hours ledger of a volunteer of the area's committee."""
    from django.utils import timezone

    from volunteers.models import HoursEntry

    volunteer = _ledger_volunteer(area)
    found = HoursEntry.objects.filter(volunteer=volunteer).first()
    if found is None:
        now = timezone.now()
        found = HoursEntry.objects.create(
            volunteer=volunteer,
            area=volunteer.committee,
            day=timezone.localdate(),
            hours=1,
            source="staff",
            confirmed_at=now,
        )
    return found.pk


def _bank_request_id(area: Area) -> int:
    """A time-bank request for a resident living inside the area."""
    from django.utils import timezone

    from registry.models import Resident
    from volunteers.models import BankRequest, Service

    person = Resident.objects.get(pk=_registry_resident_id(area))
    found = BankRequest.objects.filter(resident=person).first()
    if found is None:
        service, _made = Service.objects.get_or_create(area=None, name="走查服务")
        found = BankRequest.objects.create(
            area=person.committee,
            resident=person,
            service=service,
            wanted_at=timezone.now(),
            hours=1,
            credits=1,
        )
    return found.pk


# --- Spaces: repeating bookings, seasons, calendars (H2) -------------------------------------


def _walk_space(area: Area):
    """The walk's space (``_space``), for the series, seasons and calendars."""
    return _space(area)


def _walk_series(area: Area):
    """A repeating booking in that space for the walk's team, two weeks ahead (made once)."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from spaces.models import Booking, BookingSeries

    space = _walk_space(area)
    found = BookingSeries.objects.filter(space=space).first()
    if found is None:
        first = timezone.localdate() + timedelta(days=14)
        found = BookingSeries.objects.create(
            space=space,
            weekdays=str(first.weekday()),
            starts=time(7),
            ends=time(8),
            first_day=first,
            last_day=first,
            purpose="走查",
            team=_team(area),
        )
        starts = timezone.make_aware(datetime.combine(first, time(7)))
        Booking.objects.create(
            space=space,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            status="confirmed",
            purpose="走查",
            series=found,
            team=found.team,
        )
    return found


def _space_id(area: Area) -> int:
    return _walk_space(area).pk


def _series_id(area: Area) -> int:
    return _walk_series(area).pk


def _walk_season(area: Area):
    from datetime import time, timedelta

    from django.utils import timezone

    from spaces.models import Season, SlotApplication

    committee = _committee_in(area)
    found = Season.objects.filter(area=committee).first()
    if found is None:
        today = timezone.localdate()
        found = Season.objects.create(
            area=committee,
            name="走查季",
            applications_open=today,
            applications_close=today + timedelta(days=5),
            starts_on=today + timedelta(days=10),
            ends_on=today + timedelta(days=40),
        )
        SlotApplication.objects.create(
            season=found,
            team=_team(area),
            space=_walk_space(area),
            weekdays="1",
            starts=time(7),
            ends=time(8),
            purpose="走查",
        )
    return found


def _season_id(area: Area) -> int:
    return _walk_season(area).pk


def _application_id(area: Area) -> int:
    return _walk_season(area).applications.first().pk


# --- Care aids (aids) ---


def _aid_kind(area: Area):
    """A kind of aid of the committee the area is in, open to all, with two items: one lent
    (to a resident of the area), one set aside for another on a hold."""
    from datetime import timedelta

    from django.utils import timezone

    from aids.models import AidItem, AidKind, Hold, Loan
    from registry.models import Resident

    committee = _committee_in(area)
    found = AidKind.objects.filter(area=committee).first()
    if found is None:
        found = AidKind.objects.create(area=committee, name="走查轮椅", category="wheelchair")
        lent = AidItem.objects.create(kind=found, code="W-1")
        aside = AidItem.objects.create(kind=found, code="W-2")
        person = Resident.objects.get(pk=_registry_resident_id(area))
        Loan.objects.create(item=lent, resident=person, due_on=timezone.localdate(), condition_out="good")
        now = timezone.now()
        Hold.objects.create(
            kind=found,
            resident=person,
            status="ready",
            item=aside,
            ready_at=now,
            expires_at=now + timedelta(days=3),
        )
    return found


def _aid_kind_id(area: Area) -> int:
    return _aid_kind(area).pk


def _aid_item_id(area: Area) -> int:
    return _aid_kind(area).items.order_by("code").first().pk


def _aid_hold_id(area: Area) -> int:
    from aids.models import Hold

    found = Hold.objects.filter(kind=_aid_kind(area)).first()
    assert found is not None
    return found.pk


def _aid_loan_id(area: Area) -> int:
    from aids.models import Loan

    found = Loan.objects.filter(item__kind=_aid_kind(area)).first()
    assert found is not None
    return found.pk


# --- Spaces and bookings (spaces) ---

# A whole 4×3 PNG (grey), so the walk sees the space's photo as residents do, not a broken one.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000004000000030800000000919ff11a"
    "0000001049444154789c636c6060606062801100073c00861e8ce8c50000000049454e44ae426082"
)


def _space(area: Area):
    """A space of the committee the area is in, at a site, open every day, with a closure, an
    audience rule, the walk's team's priority slot, a photo and a resident's booking (made once)."""
    from datetime import time, timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from registry.models import Resident
    from spaces.models import (
        AudienceRule,
        Booking,
        Closure,
        OpeningHours,
        PrioritySlot,
        Site,
        Space,
        SpacePhoto,
    )

    committee = _committee_in(area)
    found = Space.objects.filter(area=committee, name="走查活动室").first()
    if found is not None:
        return found
    site = Site.objects.create(area=committee, name="走查服务站", kind="centre")
    found = Space.objects.create(area=committee, site=site, name="走查活动室", kind="room", capacity=10)
    OpeningHours.objects.bulk_create(
        [OpeningHours(space=found, weekday=d, opens=time(8), closes=time(17)) for d in range(7)]
    )
    start = timezone.now() + timedelta(days=30)
    Closure.objects.create(space=found, starts_at=start, ends_at=start + timedelta(days=1), reason="检修")
    AudienceRule.objects.create(
        space=found, weekdays="0,1,2,3,4", starts=time(8), ends=time(9), min_age=55, note="仅限55岁以上"
    )
    PrioritySlot.objects.create(space=found, team=_team(area), weekdays="1", starts=time(9), ends=time(10))
    photo = SpacePhoto(space=found, name="照片.png", stored_name=f"walk-space{found.pk}.png", size=len(_PNG))
    photo.file.save(photo.stored_name, ContentFile(_PNG), save=True)
    person = Resident.objects.get(pk=_registry_resident_id(area))
    when = timezone.now() + timedelta(days=2)
    Booking.objects.create(
        space=found,
        starts_at=when,
        ends_at=when + timedelta(hours=1),
        status="pending",
        purpose="走查预约",
        for_resident=person,
    )
    return found


def _site_id(area: Area) -> int:
    site_id = _space(area).site_id
    assert site_id is not None
    return site_id


def _space_photo_id(area: Area) -> int:
    return _space(area).photos.get().pk


def _closure_id(area: Area) -> int:
    return _space(area).closures.get().pk


def _audience_rule_id(area: Area) -> int:
    return _space(area).audience_rules.get().pk


def _priority_slot_id(area: Area) -> int:
    return _space(area).priority_slots.get().pk


def _booking_id(area: Area) -> int:
    """The resident's single booking (the walk's series has its own dates)."""
    return _space(area).bookings.get(series__isnull=True).pk


# --- Service days ---


def _service_day(area: Area):
    """A published service day of the committee the area is in, in two days, with an open
    stall and one paper ticket at it."""
    from datetime import timedelta

    from django.utils import timezone

    from servicedays.models import ServiceDay, Stall, Ticket

    committee = _committee_in(area)
    found = ServiceDay.objects.filter(area=committee).first()
    if found is None:
        start = timezone.now() + timedelta(days=2)
        found = ServiceDay.objects.create(
            area=committee,
            title="走查服务日",
            place="广场",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            published_at=timezone.now(),
        )
        stall = Stall.objects.create(
            service_day=found, name="走查理发", staff_names="走查", opened_at=timezone.now(), last_number=1
        )
        Ticket.objects.create(stall=stall, number=1, paper=True)
    return found


def _service_day_id(area: Area) -> int:
    return _service_day(area).pk


def _stall_id(area: Area) -> int:
    return _service_day(area).stalls.first().pk


def _ticket_id(area: Area) -> int:
    return _service_day(area).stalls.first().tickets.first().pk


# --- Meal assistance (meals) ---


def _meal_world(area: Area):
    """The committee's canteen serving it lunch, with a dish, a published menu of this week
    and next (set meal A every day), a diner (the area's resident, delivered, on a route),
    a standing order, an order for today, a subsidy rule for the committee and a round."""
    from datetime import time, timedelta
    from decimal import Decimal

    from django.utils import timezone

    from meals.models import (
        Diner,
        DiningPoint,
        Dish,
        MealService,
        Menu,
        Order,
        PointMeal,
        Route,
        RouteRun,
        RouteStop,
        SetMeal,
        StandingOrder,
        SubsidyRule,
    )
    from registry.models import Resident

    committee = _committee_in(area)
    point = DiningPoint.objects.filter(area=committee).first()
    if point is not None:
        return point
    point = DiningPoint.objects.create(area=committee, name="走查食堂")
    point.serves.set([committee])
    PointMeal.objects.create(
        point=point,
        meal="lunch",
        places=50,
        serves_from=time(11),
        serves_until=time(12, 30),
        cutoff=time(9, 30),
    )
    dish = Dish.objects.create(point=point, name="走查菜", tags="soft")
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    for week in (monday, monday + timedelta(days=7)):
        menu = Menu.objects.create(point=point, week_start=week, published_at=timezone.now())
        for offset in range(7):
            set_meal = SetMeal.objects.create(
                menu=menu, day=week + timedelta(days=offset), meal="lunch", label="A", price=Decimal("20")
            )
            set_meal.dishes.set([dish])
    person = Resident.objects.select_related("household__building").get(pk=_registry_resident_id(area))
    diner = Diner.objects.create(
        resident=person, committee=committee, point=point, delivery=True, usual_mode="delivered"
    )
    StandingOrder.objects.create(diner=diner, point=point, meal="lunch", starts_on=today, mode="delivered")
    service = MealService.objects.create(point=point, day=today, meal="lunch", places=50, taken=1)
    Order.objects.create(
        service=service,
        point=point,
        day=today,
        meal="lunch",
        diner=diner,
        set_meal=SetMeal.objects.get(menu__point=point, day=today, meal="lunch"),
        mode="delivered",
        price=Decimal("20"),
        pays=Decimal("20"),
        ordered_via="staff",
    )
    SubsidyRule.objects.create(
        area=committee, name="走查补贴", funder="走查街道", amount=Decimal("5"), valid_from=today
    )
    route = Route.objects.create(point=point, name="走查线路")
    RouteStop.objects.create(route=route, point=point, building=person.household.building)
    RouteRun.objects.create(route=route, day=today, meal="lunch")
    return point


def _point_id(area: Area) -> int:
    return _meal_world(area).pk


def _dish_id(area: Area) -> int:
    return _meal_world(area).dishes.first().pk


def _menu_id(area: Area) -> int:
    return _meal_world(area).menus.order_by("week_start").first().pk


def _set_meal_id(area: Area) -> int:
    from meals.models import SetMeal

    return SetMeal.objects.filter(menu__point=_meal_world(area)).order_by("day").first().pk


def _diner_id(area: Area) -> int:
    return _meal_world(area).diners.first().pk


def _order_id(area: Area) -> int:
    from meals.models import Order

    return Order.objects.filter(point=_meal_world(area)).earliest("pk").pk


def _standing_id(area: Area) -> int:
    from meals.models import StandingOrder

    return StandingOrder.objects.filter(point=_meal_world(area)).earliest("pk").pk


def _rule_id(area: Area) -> int:
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from meals.models import SubsidyRule

    _meal_world(area)
    committee = _committee_in(area)
    found = SubsidyRule.objects.filter(area=committee).order_by("pk").first()
    if found is None:  # an admin's walk deletes the unused rule: the next actor gets another
        found = SubsidyRule.objects.create(
            area=committee,
            name="走查补贴",
            funder="走查街道",
            amount=Decimal("5"),
            valid_from=timezone.localdate() + timedelta(days=400),
        )
    return found.pk


def _route_id(area: Area) -> int:
    return _meal_world(area).routes.first().pk


def _run_id(area: Area) -> int:
    from meals.models import RouteRun

    return RouteRun.objects.filter(route__point=_meal_world(area)).first().pk


def _stop_id(area: Area) -> int:
    from meals.models import RouteStop
    from registry.models import Resident

    point = _meal_world(area)
    found = RouteStop.objects.filter(point=point).order_by("pk").first()
    if found is None:  # a walk removes the stop: the next actor gets it back
        person = Resident.objects.select_related("household").get(pk=_registry_resident_id(area))
        found = RouteStop.objects.create(
            route=point.routes.order_by("pk").first(), point=point, building_id=person.household.building_id
        )
    return found.pk


def _fund_world(area: Area):
    """The committee's fund with a campaign, a donation, an expense approved once (waiting for
    its second approval, with no invoice) and a bank statement of one line. The ledger is
    append-only: nothing of it is ever deleted by a walk, so it is made once."""
    from decimal import Decimal

    from django.utils import timezone

    from accounts.models import User
    from funds import ledger
    from funds.models import Account, Campaign, EntryKind, Expense, Fund, Gift, StatementImport, StatementLine

    committee = _committee_in(area)
    fund = Fund.objects.filter(area=committee).first()
    if fund is not None:
        return fund
    fund = Fund.objects.create(area=committee, name="走查基金")
    campaign = Campaign.objects.create(fund=fund, name="走查募捐", goal=Decimal("1000"))
    today = timezone.localdate()
    entry = ledger.post(
        fund,
        kind=EntryKind.GIFT,
        gift_kind="donation",
        postings=[(Account.BANK, Decimal("100")), (Account.DONATIONS, Decimal("-100"))],
        amount=Decimal("100"),
        day=today,
        by=None,
        campaign=campaign,
        shown_as="走查捐赠人",
        donations=1,
    )
    Gift.objects.create(
        fund=fund,
        campaign=campaign,
        amount=Decimal("100"),
        donor_name="走查捐赠人",
        received_on=today,
        number=f"{fund.pk}-{entry.pk:08d}",
        entry=entry,
    )
    recorder = User.objects.create(name="走查记账", phone=f"199{fund.pk:08d}"[-11:])
    Expense.objects.create(
        fund=fund,
        campaign=campaign,
        payee="走查商户",
        purpose="走查",
        amount=Decimal("10"),
        paid_on=today,
        recorded_by=recorder,
    )
    statement = StatementImport.objects.create(fund=fund, name="走查.csv", imported_by=recorder)
    StatementLine.objects.create(statement=statement, row=2, day=today, amount=Decimal("100"), entry=entry)
    return fund


def _fund_id(area: Area) -> int:
    return _fund_world(area).pk


def _campaign_id(area: Area) -> int:
    return _fund_world(area).campaigns.order_by("pk").first().pk


def _gift_id(area: Area) -> int:
    return _fund_world(area).gifts.order_by("pk").first().pk


def _expense_id(area: Area) -> int:
    """An expense waiting for approval: an approver's walk approves it (a first approval), and
    the next walk finds it still waiting, or a new one."""
    from decimal import Decimal

    fund = _fund_world(area)
    found = fund.expenses.waiting().order_by("pk").first()
    if found is None:
        last = fund.expenses.order_by("pk").first()
        found = fund.expenses.create(
            payee="走查商户",
            purpose="走查",
            amount=Decimal("10"),
            paid_on=last.paid_on,
            recorded_by=last.recorded_by,
        )
    return found.pk


def _ledger_entry_id(area: Area) -> int:
    return _fund_world(area).entries.order_by("pk").first().pk


def _bank_statement_id(area: Area) -> int:
    return _fund_world(area).statements.order_by("pk").first().pk


def _projects_world(area: Area):
    """The committee's running governance project (with a budget line, a milestone, a report
    and a photo) entered in its street's round, which is in its public notice with the entry
    ranked and an objection. Each piece is made again when an admin's walk deleted it."""
    from datetime import timedelta
    from decimal import Decimal

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from projects.models import (
        BudgetLine,
        Criterion,
        Entry,
        Milestone,
        Objection,
        Project,
        ReportPhoto,
        Round,
    )

    committee = _committee_in(area)
    street = committee.parent
    today = timezone.localdate()
    project = Project.objects.filter(area=committee, title="走查项目").first()
    if project is None:
        project = Project.objects.create(
            area=committee,
            title="走查项目",
            kind="renewal",
            summary="内容",
            proposer_kind="staff",
            status="running",
            report="报告",
        )
        BudgetLine.objects.create(project=project, item="材料", amount=Decimal("100"))
        Milestone.objects.create(project=project, title="设计", due=today)
    if not project.photos.exists():
        photo = ReportPhoto(project=project, name="照片.png", stored_name=f"walkp{project.pk}.png", size=2)
        photo.file.save(photo.stored_name, ContentFile(b"ok"), save=True)
    round_ = Round.objects.filter(area=street, title="走查评选").first()
    if round_ is None:
        round_ = Round.objects.create(
            area=street,
            title="走查评选",
            year=today.year,
            call_opens=today - timedelta(days=30),
            call_closes=today - timedelta(days=10),
            phase="notice",
            notice_from=today,
            notice_until=today + timedelta(days=5),
        )
        Criterion.objects.create(round=round_, name="需求", weight=100)
    entry = Entry.objects.filter(round=round_, project=project).first()
    if entry is None:
        entry = Entry.objects.create(
            round=round_,
            project=project,
            area=committee,
            eligibility="eligible",
            result=Decimal("80"),
            rank=1,
            chosen=True,
        )
    if not entry.objections.exists():
        Objection.objects.create(entry=entry, filed_by=_walk_user(committee), reason="走查异议")
    return project, round_, entry


def _walk_user(committee: Area):
    from accounts.models import User

    found = User.objects.filter(phone="13700000999").first()
    return found or User.objects.create_user(phone="13700000999", name="走查异议人", password="x" * 12)


def _gov_project_id(area: Area) -> int:
    return _projects_world(area)[0].pk


def _round_id(area: Area) -> int:
    return _projects_world(area)[1].pk


def _round_entry_id(area: Area) -> int:
    return _projects_world(area)[2].pk


def _objection_id(area: Area) -> int:
    return _projects_world(area)[2].objections.earliest("pk").pk


def _report_photo_id(area: Area) -> int:
    return _projects_world(area)[0].photos.earliest("pk").pk


# --- Centres, talent and awards (recognition) ---


def _centre(area: Area):
    """The committee's 睦邻中心 run by a social organisation, the street's rating sheet of this
    year and a draft rating of the centre with one criterion scored (a note as its evidence)."""
    from decimal import Decimal

    from django.utils import timezone

    from partners.models import PartnerUnit
    from recognition.models import Centre, Criterion, Rating, RatingSheet, Score, StarBand

    committee = _committee_in(area)
    centre = Centre.objects.filter(area=committee).order_by("pk").first()
    if centre is None:
        org = PartnerUnit.objects.create(
            area=committee, name=f"走查社会组织{committee.pk}", kind="social_org"
        )
        centre = Centre.objects.create(area=committee, name="走查睦邻中心", operator=org)
    street = committee.parent
    year = timezone.localdate().year
    sheet = RatingSheet.objects.filter(area=street, year=year).first()
    if sheet is None:
        sheet = RatingSheet.objects.create(area=street, year=year, title="走查评定表", total_points=100)
        Criterion.objects.create(sheet=sheet, title="场地", points=40, order=0)
        Criterion.objects.create(sheet=sheet, title="服务", points=60, order=1)
        StarBand.objects.create(sheet=sheet, stars=5, min_score=Decimal(90), below=Decimal(100))
        StarBand.objects.create(sheet=sheet, stars=4, min_score=Decimal(80), below=Decimal(90))
    if not Rating.objects.filter(centre=centre).exists():
        rating = Rating.objects.create(centre=centre, sheet=sheet, year=year)
        Score.objects.create(rating=rating, criterion=sheet.criteria.first(), points=Decimal(30), note="走查")
    return centre


def _centre_id(area: Area) -> int:
    return _centre(area).pk


def _rating_sheet_id(area: Area) -> int:
    return _centre(area).ratings.order_by("pk").first().sheet_id


def _centre_rating_id(area: Area) -> int:
    return _centre(area).ratings.order_by("pk").first().pk


def _rating_criterion_id(area: Area) -> int:
    return _centre(area).ratings.order_by("pk").first().sheet.criteria.order_by("pk").first().pk


def _evidence_id(area: Area) -> int:
    from recognition.models import Score

    return Score.objects.filter(rating__centre=_centre(area)).order_by("pk").first().pk


def _talent_id(area: Area) -> int:
    from recognition.models import Talent

    person = _registry_resident_id(area)
    found = Talent.objects.filter(resident_id=person).order_by("pk").first()
    if found is None:
        found = Talent.objects.create(
            committee=_committee_in(area),
            resident_id=person,
            shown_as="走查老师",
            skills="剪纸",
            status="offered",
        )
    return found.pk


def _award_id(area: Area) -> int:
    from datetime import timedelta

    from django.utils import timezone

    from recognition.models import Award, Nomination

    committee = _committee_in(area)
    award = Award.objects.filter(committee=committee).order_by("pk").first()
    if award is None:
        award = Award.objects.create(
            committee=committee,
            title="走查最美居民",
            year=timezone.localdate().year,
            nominations_until=timezone.localdate() + timedelta(days=30),
        )
    if not award.nominations.exists():
        Nomination.objects.create(award=award, nominee_id=_registry_resident_id(area), reason="走查")
    return award.pk


FILLERS: dict[str, Callable[[Area], object]] = {
    # recognition
    "centre_id": _centre_id,
    "rating_sheet_id": _rating_sheet_id,
    "centre_rating_id": _centre_rating_id,
    "rating_criterion_id": _rating_criterion_id,
    "evidence_id": _evidence_id,
    "talent_id": _talent_id,
    "award_id": _award_id,
    # projects
    "gov_project_id": _gov_project_id,
    "round_id": _round_id,
    "round_entry_id": _round_entry_id,
    "objection_id": _objection_id,
    "report_photo_id": _report_photo_id,
    # meals
    "point_id": _point_id,
    "dish_id": _dish_id,
    "menu_id": _menu_id,
    "set_meal_id": _set_meal_id,
    "diner_id": _diner_id,
    "order_id": _order_id,
    "standing_id": _standing_id,
    "rule_id": _rule_id,
    "route_id": _route_id,
    "run_id": _run_id,
    "stop_id": _stop_id,
    "service_day_id": _service_day_id,
    "stall_id": _stall_id,
    "ticket_id": _ticket_id,
    "site_id": _site_id,
    "space_photo_id": _space_photo_id,
    "closure_id": _closure_id,
    "audience_rule_id": _audience_rule_id,
    "priority_slot_id": _priority_slot_id,
    "booking_id": _booking_id,
    "kind_id": _aid_kind_id,
    "item_id": _aid_item_id,
    "hold_id": _aid_hold_id,
    "loan_id": _aid_loan_id,
    "unit_id": _unit_id,
    "team_id": _team_id,
    "volunteer_id": _volunteer_id,
    "membership_id": _membership_id,
    "certificate_id": _certificate_id,
    "certificate_token": _certificate_token,
    "hours_id": _hours_id,
    "bank_request_id": _bank_request_id,
    "watch_id": _watch_id,
    "alert_id": _alert_id,
    "demand_id": _demand_id,
    "photo_id": _photo_id,
    "project_id": _project_id,
    "category_id": _category_id,
    "plan_id": _plan_id,
    "visit_id": _visit_id,
    "topic_id": _topic_id,
    "opinion_id": _opinion_id,
    "meeting_id": _meeting_id,
    "decision_id": _decision_id,
    "convention_id": _convention_id,
    "signature_id": _signature_id,
    "activity_id": _activity_id,
    "signup_id": _signup_id,
    "shift_id": _shift_id,
    "claim_id": _claim_id,
    "token": _pass_token,
    "notice_id": _notice_id,
    "attachment_id": _attachment_id,
    "notification_id": _notification_id,
    "code": _area_code,
    "user_id": _resident_id,
    "entry_id": _audit_entry_id,
    "household_id": _household_id,
    "resident_id": _registry_resident_id,
    "import_id": _import_id,
    "registration_id": _registration_id,
    # spaces (H2): the single bookings' part may bring its own space_id/booking_id fillers
    "space_id": _space_id,
    "series_id": _series_id,
    "season_id": _season_id,
    "application_id": _application_id,
    # funds
    "fund_id": _fund_id,
    "campaign_id": _campaign_id,
    "gift_id": _gift_id,
    "expense_id": _expense_id,
    "ledger_entry_id": _ledger_entry_id,
    "bank_statement_id": _bank_statement_id,
}


class UnknownKwarg(LookupError):
    pass


def fill(route: Route, area: Area) -> str:
    """The URL of ``route`` with every argument taken from objects inside ``area``."""
    values = {}
    for kwarg in route.kwargs:
        if kwarg not in FILLERS:
            raise UnknownKwarg(
                f"{route.name} ({route.route}) takes <{kwarg}>, which tests/urlwalk.py cannot fill: "
                f"add a filler to FILLERS that returns a {kwarg} for an object inside a given area."
            )
        values[kwarg] = FILLERS[kwarg](area)
    return route.url(values)


def page_urls(area: Area) -> Iterator[tuple[Route, str]]:
    """Every GET-able route with its arguments filled from objects inside ``area``."""
    for route in routes():
        yield route, fill(route, area)
