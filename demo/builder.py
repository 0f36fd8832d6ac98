"""Builds the demo: Shanghai's divisions, the seed neighbourhoods' local units, demo users.

Idempotent: running it again changes nothing that is already there.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RoleGrant, User
from accounts.roles import spec
from areas.models import LOCAL_PREFIX, Area, AreaLevel
from demands import categories
from demo import activities as demo_activities
from demo import aids as demo_aids
from demo import conventions as demo_conventions
from demo import data
from demo import deliberation as demo_deliberation
from demo import demands as demo_demands
from demo import eldercare as demo_eldercare
from demo import funds as demo_funds
from demo import meals as demo_meals
from demo import notices as demo_notices
from demo import partners as demo_partners
from demo import projects as demo_projects
from demo import recognition as demo_recognition
from demo import registry as demo_registry
from demo import service_days as demo_service_days
from demo import servicedays as demo_servicedays
from demo import spaces as demo_spaces
from demo import timebank as demo_timebank
from demo import visits as demo_visits
from demo import volunteers as demo_volunteers

DEVICE_NAME = "demo"


@dataclass
class DemoLogin:
    phone: str
    name: str
    role: str
    area: str
    totp_secret: str = ""


@dataclass
class DemoResult:
    logins: list[DemoLogin] = field(default_factory=list)
    local_units: int = 0
    registries: list = field(default_factory=list)
    notices: int = 0
    activities: int = 0
    topics: int = 0
    conventions: int = 0
    demands: int = 0
    watches: int = 0
    visits: int = 0
    teams: int = 0
    shifts: int = 0
    credit_accounts: int = 0
    partner_units: int = 0
    spaces: int = 0
    service_days: int = 0
    aids: int = 0
    meals: int = 0
    donations: int = 0
    projects: int = 0
    recognition: dict[str, int] = field(default_factory=dict)


def demo_totp_key(phone: str) -> str:
    """A fixed TOTP key per demo user, so a tester can enrol it once. Demo only."""
    return hashlib.sha1(f"mulin-demo-{phone}".encode()).hexdigest()  # noqa: S324 - not security


def base32_secret(hex_key: str) -> str:
    return base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")


def _local(parent: Area, level: str, name: str, n: int, order: int) -> tuple[Area, bool]:
    return Area.objects.get_or_create(
        code=f"{parent.code}.{LOCAL_PREFIX[level]}{n}",
        defaults={"name": name, "level": level, "parent": parent, "sort_order": order},
    )


def build_layout(committee: Area, layout: dict) -> int:
    """Grids, building groups spread over them in order, and buildings."""
    created = 0
    grids = []
    for i, grid_name in enumerate(layout["grids"], start=1):
        grid, new = _local(committee, AreaLevel.GRID, grid_name, i, i)
        grids.append(grid)
        created += new
    groups = layout["groups"]
    per_grid = -(-len(groups) // max(len(grids), 1))
    for index, (n, group_name, buildings) in enumerate(groups):
        parent = grids[index // per_grid] if grids else committee
        group, new = _local(parent, AreaLevel.BUILDING_GROUP, group_name, n, n)
        created += new
        for j, building_name in enumerate(buildings, start=1):
            number = int("".join(ch for ch in building_name if ch.isdigit()) or j)
            _b, new = _local(group, AreaLevel.BUILDING, building_name, number, number)
            created += new
    return created


def _find(committee_code: str, local_name: str | None) -> Area:
    committee = Area.objects.get(code=committee_code)
    if local_name is None:
        return committee
    return Area.objects.subtree(committee).get(name=local_name)


def _ensure_user(phone: str, name: str, home: Area | None) -> User:
    user = User.objects.filter(phone=phone).first()
    if user is None:
        user = User.objects.create_user(phone, data.DEMO_PASSWORD, name=name, home_area=home)
    return user


@transaction.atomic
def build(import_divisions: bool = True, registry: bool = True) -> DemoResult:
    if import_divisions:
        call_command("import_divisions", verbosity=0)
    # What the migrations wrote may be gone from a database emptied since (a test's flush).
    categories.ensure_defaults()
    result = DemoResult()
    for code, layout in data.COMMITTEES.items():
        result.local_units += build_layout(Area.objects.get(code=code), layout)
    for committee in Area.objects.filter(
        parent__code=data.HUAIHAI_STREET, level=AreaLevel.COMMITTEE
    ).active():
        result.local_units += build_layout(committee, data.HUAIHAI_LAYOUT)

    for phone, name, role, code, *local_name in data.DEMO_USERS:
        area = _find(code, local_name[0] if local_name else None)
        home = area if area.level in (AreaLevel.COMMITTEE, AreaLevel.BUILDING_GROUP) else None
        user = _ensure_user(phone, name, home)
        RoleGrant.objects.get_or_create(user=user, role=role, area=area, revoked_at=None)
        secret = ""
        if spec(role).requires_two_factor:
            key = demo_totp_key(phone)
            TOTPDevice.objects.get_or_create(
                user=user, name=DEVICE_NAME, defaults={"key": key, "confirmed": True}
            )
            secret = base32_secret(key)
        result.logins.append(DemoLogin(phone, name, role, area.name, secret))

    for phone, name, committee_code, building in data.DEMO_RESIDENTS:
        home = _find(committee_code, building)
        _ensure_user(phone, name, home)
        result.logins.append(DemoLogin(phone, name, "resident", home.name))
    if registry:
        result.registries = demo_registry.load()
        result.notices = demo_notices.load()
        result.activities = demo_activities.load()
        result.topics = demo_deliberation.load()
        result.conventions = demo_conventions.load()
        result.demands = demo_demands.load()
        # Last (after the demands demo): needs found on visits become requests in its categories.
        result.visits = demo_visits.load()
        result.watches = demo_eldercare.load()
        # Volunteers, teams, shifts and the time bank (issue 18); partner units before the
        # teams, whose shifts a unit may staff.
        result.partner_units = demo_partners.load()
        result.teams = demo_volunteers.load()
        result.shifts = demo_service_days.load()
        result.credit_accounts = demo_timebank.load()
        # Spaces and bookings, service days with their queues, care aids (issue 19): after the
        # partner units and teams that book and staff them.
        result.spaces = demo_spaces.load()
        result.service_days = demo_servicedays.load()
        result.aids = demo_aids.load()
        # Meal assistance (issue 20): after the spaces (its clubhouse) and the volunteers'
        # delivery shifts its rounds are linked to.
        result.meals = demo_meals.load()
        # The community fund (issue 21): 延长新村's 大宁社区基金 and its 爱心电梯 campaign.
        result.donations = demo_funds.load()
        # Governance projects and 杨浦's competition (issue 21): after the teams and partner units
        # that propose projects and the verified residents who judge.
        result.projects = demo_projects.load()
        # Centres and their stars, local talent, 江秋新苑's award (issue 21): after the partner
        # units and the deliberation the award's vote is a poll of.
        result.recognition = demo_recognition.load()
        result.logins.append(DemoLogin(demo_registry.PROXY[0], demo_registry.PROXY[1], "resident", "—"))
        for phone, _code, building in demo_registry.PENDING:
            user = User.objects.filter(phone=phone).first()
            if user is not None:
                result.logins.append(DemoLogin(phone, user.name, "resident", building))
        for phone in (demo_volunteers.LEADER_LOGIN, demo_volunteers.MEMBER_LOGIN):
            user = User.objects.filter(phone=phone).select_related("home_area").first()
            if user is not None:
                place = user.home_area.name if user.home_area else "—"
                result.logins.append(DemoLogin(phone, user.name, "volunteer", place))
    return result
