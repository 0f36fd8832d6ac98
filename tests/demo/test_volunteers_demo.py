"""The demo's volunteers, teams, shifts, time bank and partner units (issue 18): the seeds'
figures, and the invariants the services keep, for every row the demo wrote."""

import itertools
from collections import Counter
from datetime import timedelta

import pytest
from django.db.models import Count, Q, Sum
from django.utils import timezone

from accounts.models import RoleGrant, User
from accounts.roles import Role
from areas.models import Area
from demands.models import Assignee, Demand, DemandStatus
from demo import partners as demo_partners
from demo import service_days as demo_service_days
from demo import teams as demo_teams
from demo import timebank as demo_timebank
from demo import volunteers as demo_volunteers
from demo.enrolment import DEFAULT_SERVICES
from demo.registry import DEMO_TODAY
from demo.volunteers import CATEGORIES, FOUNDED, month_end, month_starts
from partners.models import PartnerContact, PartnerUnit, UnitKind
from registry.models import GroupLeader, LeaderPosition, ResidentTag, Tag
from volunteers.models import (
    BankRequest,
    BankRequestStatus,
    ClaimStatus,
    CreditAccount,
    CreditEntry,
    CreditKind,
    HoursEntry,
    HoursSource,
    Membership,
    MembershipStatus,
    Service,
    Shift,
    ShiftClaim,
    Team,
    TeamKind,
    Volunteer,
    VolunteerKind,
)

# Loaded once for the package, with test_load_demo, on the demo's xdist worker (conftest.py).
pytestmark = [pytest.mark.xdist_group("load_demo"), pytest.mark.django_db]

TIANSHAN, JIANGQIU, YANCHANG, HUIZHIHU = "310105005024", "310117103004", "310106019001", "310106019016"


@pytest.fixture(autouse=True)
def _demo(demo_output):
    """The demo loaded once for the package (tests/demo/conftest.py)."""


def _ningju() -> Team:
    return Team.objects.get(area__code=TIANSHAN, name="宁聚883")


def _size_on(team: Team, day) -> int:
    return (
        team.memberships.filter(joined_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .count()
    )


def test_ningju_has_its_eight_groups_and_grew_from_55_to_550():
    team = _ningju()
    assert [c.name for c in team.categories.order_by("position")] == CATEGORIES
    assert team.memberships.filter(status=MembershipStatus.ACTIVE).count() == 550
    sizes = [_size_on(team, month_end(m)) for m in month_starts(FOUNDED, DEMO_TODAY)]
    assert sizes[0] == 55 and sizes[-1] == 550
    assert sizes == sorted(sizes), "the month-end size never falls"
    left = team.memberships.filter(status__in=[MembershipStatus.LEFT, MembershipStatus.REMOVED])
    assert left.count() >= 40  # some left along the way, and more joined
    by_group = Counter(
        team.memberships.filter(status=MembershipStatus.ACTIVE).values_list("category__name", flat=True)
    )
    assert set(by_group) == set(CATEGORIES) and min(by_group.values()) >= 15
    waiting = team.memberships.filter(status=MembershipStatus.REQUESTED)
    assert waiting.count() == 3 and not waiting.filter(joined_on__isnull=False).exists()


def test_every_membership_has_the_dates_its_status_says():
    rows = Membership.objects.all()
    assert rows.count() > 900
    assert not rows.filter(status=MembershipStatus.ACTIVE).filter(
        Q(joined_on__isnull=True) | Q(ended_on__isnull=False) | Q(decided_at__isnull=True)
    )
    ended = rows.filter(status__in=[MembershipStatus.LEFT, MembershipStatus.REMOVED])
    assert not ended.filter(Q(joined_on__isnull=True) | Q(ended_on__isnull=True) | Q(reason=""))
    assert not rows.filter(status__in=[MembershipStatus.REQUESTED, MembershipStatus.DECLINED]).filter(
        Q(joined_on__isnull=False) | Q(ended_on__isnull=False)
    )
    assert not rows.filter(status=MembershipStatus.DECLINED, reason="")
    assert not rows.filter(joined_on__gt=timezone.localdate())


def test_25_in_service_party_members_are_second_building_leaders_where_they_live():
    committee = Area.objects.get(code=TIANSHAN)
    posts = GroupLeader.objects.filter(
        group__path__startswith=committee.path, position=LeaderPosition.SECOND, until__isnull=True
    ).select_related("resident__household__building", "resident__volunteer")
    assert posts.count() == 25
    assert len({p.group_id for p in posts}) == 12  # every building group has its second leaders
    team = _ningju()
    for post in posts:
        resident = post.resident
        assert resident.household.building.parent_id == post.group_id
        volunteer = resident.volunteer
        assert volunteer.kind == VolunteerKind.PARTY_MEMBER and volunteer.affiliation
        assert volunteer.phone and volunteer.phone_verified_at and volunteer.user_id
        assert volunteer.memberships.filter(team=team, status=MembershipStatus.ACTIVE).exists()
    tagged = ResidentTag.objects.filter(
        resident__in=[p.resident for p in posts], tag=Tag.SERVING_PARTY_MEMBER
    )
    assert tagged.count() == 25


def test_most_of_the_team_live_here_and_the_others_have_a_verified_mobile():
    members = Volunteer.objects.filter(
        memberships__team=_ningju(), memberships__status=MembershipStatus.ACTIVE
    )
    assert members.filter(resident__isnull=False).count() > 550 / 2
    outsiders = members.filter(resident__isnull=True)
    assert outsiders.exists()
    assert not outsiders.filter(Q(phone="") | Q(phone_verified_at__isnull=True))
    assert all(len(p) == 11 and p.startswith("1") for p in outsiders.values_list("phone", flat=True))
    foreign = members.filter(memberships__category__name="外籍志愿者团队")
    assert foreign.count() >= 25 and set(foreign.values_list("kind", flat=True)) == {VolunteerKind.FOREIGN}
    assert set(members.values_list("kind", flat=True)) >= {
        VolunteerKind.RESIDENT,
        VolunteerKind.PARTY_MEMBER,
        VolunteerKind.STUDENT,
        VolunteerKind.OTHER,
    }
    linked = Volunteer.objects.filter(resident__isnull=False).select_related("resident")
    assert all(
        v.resident is not None and v.name == v.resident.name and v.committee_id == v.resident.committee_id
        for v in linked
    )


def test_jiangqiu_has_15_partner_units_and_4_volunteer_teams():
    units = PartnerUnit.objects.current().filter(area__code=JIANGQIU)
    assert units.count() == 15
    assert set(units.values_list("kind", flat=True)) >= {
        UnitKind.SCHOOL,
        UnitKind.CLINIC,
        UnitKind.FIRE_STATION,
        UnitKind.FIRM,
        UnitKind.LAW_OFFICE,
        UnitKind.SOCIAL_ORG,
    }
    counts = units.annotate(agreements_n=Count("agreements"), offers_n=Count("offers"))
    for unit, agreements, offers in counts.values_list("name", "agreements_n", "offers_n"):
        assert agreements and offers, unit
    assert not units.filter(contact_name="").exists()
    assert not units.filter(agreements__ends_on__lt=timezone.localdate()).exclude(
        agreements__ends_on__gte=timezone.localdate()
    ), "every unit has a current agreement"
    teams = Team.objects.filter(area__code=JIANGQIU, kind=TeamKind.SERVICE)
    assert set(teams.values_list("name", flat=True)) == {n for n, _s, _a in demo_teams.JIANGQIU_TEAMS}


def test_the_school_solved_a_childs_school_entry_and_its_teacher_logs_in_for_it():
    school = PartnerUnit.objects.get(area__code=JIANGQIU, name="佘山学校")
    request = Demand.objects.get(assignee_unit=school)
    assert request.assignee_kind == Assignee.PARTNER and request.status == DemandStatus.RESOLVED
    assert "入学" in request.resolution and request.rating == 5
    teacher = User.objects.get(phone="13800000019")
    assert RoleGrant.objects.filter(
        user=teacher, role=Role.PARTNER_UNIT, area__code=JIANGQIU, revoked_at__isnull=True
    ).exists()
    assert PartnerContact.objects.filter(user=teacher, unit=school, until__isnull=True).exists()


def test_minxin_gave_about_890_person_times_over_the_past_year():
    team = Team.objects.get(name="民心在线志愿便民服务队")
    year_ago = timezone.localdate() - timedelta(days=366)
    served = HoursEntry.objects.confirmed().filter(team=team, source=HoursSource.SHIFT, day__gte=year_ago)
    assert served.count() == 890
    days = {timezone.localtime(s.starts_at).date() for s in team.shifts.filter(starts_at__lt=timezone.now())}
    assert len(days) == 12 and {d.day for d in days} == {15}
    coming = team.shifts.filter(starts_at__gt=timezone.now(), title__contains="志愿服务日")
    assert coming.count() == 12 and len({s.starts_at.date() for s in coming}) == 1
    assert all(0 < s.taken < s.places for s in coming), "open to claim, places left"
    assert set(coming.values_list("service__name", flat=True)) >= {"理发", "量血压", "修家电"}


def test_a_shift_this_week_is_short_of_people():
    now = timezone.now()
    end_of_week = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    short = Shift.objects.short().filter(starts_at__gt=now, starts_at__date__lt=end_of_week)
    assert short.filter(area__code=demo_volunteers.JIANDONG).exists()


def test_yanchang_building_team_of_11():
    team = Team.objects.get(area__code=YANCHANG, name="健康楼组邻里队")
    members = team.memberships.filter(status=MembershipStatus.ACTIVE).select_related(
        "volunteer__resident__household__building"
    )
    assert members.count() == 11 and team.kind == TeamKind.BUILDING
    assert set(members.values_list("volunteer__resident__household__building__name", flat=True)) == {"62号楼"}
    assert members.get(is_leader=True).volunteer.name == "张美华"


def test_huizhihu_self_governance_teams_are_about_200_people():
    teams = Team.objects.filter(area__code=HUIZHIHU, kind=TeamKind.SELF_GOVERNANCE)
    assert {"拳操队", "健身舞队", "沪剧队"} <= set(teams.values_list("name", flat=True))
    total = Membership.objects.filter(team__in=teams, status=MembershipStatus.ACTIVE).count()
    assert 180 <= total <= 200


def test_every_shift_counts_its_claims_and_every_hour_served_is_on_the_ledger():
    counted = Count("claims", filter=Q(claims__status__in=[ClaimStatus.CLAIMED, ClaimStatus.NO_SHOW]))
    shifts = Shift.objects.annotate(counted=counted).values_list("taken", "counted", "places")
    assert shifts.count() > 200
    assert all(taken == claims <= places for taken, claims, places in shifts)
    out = ShiftClaim.objects.filter(checked_out_at__isnull=False)
    assert not out.exclude(status=ClaimStatus.CLAIMED)
    entries = HoursEntry.objects.filter(source=HoursSource.SHIFT)
    assert entries.count() == out.count()
    by_claim = {(e.shift_id, e.volunteer_id): e for e in entries}
    for claim in out:
        entry = by_claim[(claim.shift_id, claim.volunteer_id)]
        assert (entry.starts_at, entry.ends_at) == (claim.checked_in_at, claim.checked_out_at)
    assert not ShiftClaim.objects.filter(status=ClaimStatus.NO_SHOW, checked_in_at__isnull=False)
    swapped = ShiftClaim.objects.filter(swapped_from__isnull=False).select_related("swapped_from")
    assert swapped.count() == 3 and all(c.swapped_from.status == ClaimStatus.SWAPPED for c in swapped)


def test_hours_are_confirmed_but_a_few_wait_for_a_leader():
    confirmed = HoursEntry.objects.confirmed()
    assert not confirmed.filter(confirmed_by__isnull=True)
    assert not HoursEntry.objects.filter(Q(hours__lte=0) | Q(hours__gt=24))
    pending = HoursEntry.objects.pending().filter(team=_ningju())
    assert pending.count() >= 3 and not pending.filter(logged_by__isnull=True)
    assert HoursEntry.objects.filter(declined_at__isnull=False).exclude(decline_reason="").count() == 1
    # No volunteer served in two places at once.
    spans: dict[int, list] = {}
    for volunteer_id, starts, ends in HoursEntry.objects.values_list("volunteer_id", "starts_at", "ends_at"):
        spans.setdefault(volunteer_id, []).append((starts, ends))
    for times in spans.values():
        times.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(times))


def test_the_time_bank_ledger_adds_up():
    accounts = CreditAccount.objects.all()
    assert accounts.count() > 50
    for account in accounts:
        running = 0
        for entry in account.entries.order_by("at", "pk"):
            running += entry.amount
            assert entry.balance_after == running >= 0
        assert account.balance == running
    earned = CreditEntry.objects.filter(kind=CreditKind.EARNED).select_related("hours_entry")
    assert all(e.amount == e.hours_entry.hours for e in earned)  # 1 credit an hour
    assert earned.count() == HoursEntry.objects.confirmed().count()


def test_a_gift_to_family_a_donation_to_the_pool_and_an_open_request():
    gift = CreditEntry.objects.get(kind=CreditKind.GIFT_OUT)
    received = CreditEntry.objects.get(kind=CreditKind.GIFT_IN)
    assert received.counterpart == gift.account and gift.counterpart == received.account
    assert received.amount == -gift.amount
    assert gift.account.volunteer is not None
    giver, mother = gift.account.volunteer.resident, received.account.resident
    assert giver is not None and mother is not None and mother.birth_date is not None
    assert giver.household_id == mother.household_id
    donation = CreditEntry.objects.get(kind=CreditKind.DONATION)
    assert donation.account.pool is not None and donation.account.pool.code == TIANSHAN
    request = BankRequest.objects.get(status=BankRequestStatus.OPEN)
    assert request.resident == mother and (DEMO_TODAY - mother.birth_date).days >= 65 * 365
    held = CreditEntry.objects.get(request=request, kind=CreditKind.SPENT)
    assert held.amount == -request.credits and held.account == received.account
    balances = CreditAccount.objects.filter(volunteer__committee__code=TIANSHAN, balance__gt=0)
    assert balances.count() >= 20


def test_city_wide_default_services():
    defaults = Service.objects.filter(area__isnull=True)
    assert set(DEFAULT_SERVICES) <= set(defaults.values_list("name", flat=True))


def test_the_demo_prints_a_leader_a_member_and_a_partner_units_login(demo_output):
    for phone in ("13900000041", "13900000042", "13800000019"):
        assert phone in demo_output
    team = _ningju()
    leader = Volunteer.objects.get(user__phone="13900000041")
    member = Volunteer.objects.get(user__phone="13900000042")
    assert leader.resident and member.resident
    assert team.memberships.get(volunteer=leader).is_leader
    assert not team.memberships.get(volunteer=member).is_leader
    assert member.claims.filter(shift__starts_at__gt=timezone.now()).exists()
    assert HoursEntry.objects.pending().filter(volunteer=member).exists()
    assert CreditAccount.objects.get(volunteer=member).balance > 0


def test_loading_again_adds_nothing():
    tables = (Volunteer, Membership, Shift, ShiftClaim, HoursEntry, CreditEntry, PartnerUnit, Demand)
    before = [m.objects.count() for m in tables]
    total = HoursEntry.objects.aggregate(Sum("hours"))
    assert demo_partners.load() == 0
    assert demo_volunteers.load() == 0
    assert demo_service_days.load() == 0
    assert demo_timebank.load() == 0
    assert [m.objects.count() for m in tables] == before
    assert HoursEntry.objects.aggregate(Sum("hours")) == total
