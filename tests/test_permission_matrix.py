"""The permission matrix: every route, as every role, as anonymous and as the neighbour.

For each actor the world holds private marker data (a local building group and a resident)
in committees inside and outside the actor's scope. The walk fails on:
- any 5xx;
- a page or API response that shows a marker from outside the actor's scope;
- a URL that names an object outside the actor's scope and does not answer 403/404/405;
- an anonymous visitor reaching a non-public page.
Routes are discovered from the URLconf and the OpenAPI spec, so later issues' routes are
walked without editing this file (unless they take a new kind of argument: see urlwalk).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User
from accounts.roles import Role
from areas.models import Area, AreaLevel
from tests import urlwalk
from tests.factories import UserFactory, grant, household, local, login_verified
from tests.factories import resident as registry_resident

# Pages anyone may open without logging in.
PUBLIC_ROUTES = {
    "home",
    "healthz",
    "accounts:login",
    "accounts:logout",
    "accounts:two_factor",
    "settings:index",
    "settings:elderly_mode",
    "settings:language",
    "registry:register",
    "deliberation:outcomes",
    # A committee's poster page where people who do not live there register as volunteers.
    "volunteers:register",
    "volunteers:send_code",
    # What a service certificate's QR code opens: name, period and hours only, signed.
    "volunteers:certificate_check",
    # A service day's lobby display, for a TV at the service point: queue numbers only.
    "servicedays:lobby",
    "servicedays:lobby_board",
    # The passkey script's messages (the package's JavaScript catalogue): no data.
    "otp_webauthn:js-i18n-catalog",
    # A committee's spaces, one space and its photos: what can be booked, where, when, how.
    "spaces:public",
    "spaces:space",
    "spaces:photo",
    # A community fund's and a campaign's public pages: counters, every movement, donors as
    # they chose to appear (anonymous ones as "Anonymous"), no phone.
    "funds:public_fund",
    "funds:public_fund_xlsx",
    "funds:public_campaign",
    "funds:public_campaign_xlsx",
    # A governance project's public page and its report's photos; a round's 公示 and results.
    "projects:public_project",
    "projects:public_photo",
    "projects:public_rounds",
    "projects:notice",
    # An area's rated centres, its local talent by the names they chose, an award's public page.
    "recognition:public_centres",
    "recognition:public_talent",
    "recognition:winners",
}
# Public pages about one committee, open to anyone like the lobby board: the walk still checks
# that they show no marker, but not that another committee's page is refused.
PUBLIC_PER_COMMITTEE = {
    "deliberation:outcomes",
    "volunteers:register",
    "volunteers:send_code",
    "volunteers:certificate_check",
    "spaces:public",
    "spaces:space",
    "spaces:photo",
    "servicedays:lobby",
    "servicedays:lobby_board",
    # A community fund's and a campaign's public pages: counters, every movement, donors as
    # they chose to appear (anonymous ones as "Anonymous"), no phone.
    "funds:public_fund",
    "funds:public_fund_xlsx",
    "funds:public_campaign",
    "funds:public_campaign_xlsx",
    "projects:public_project",
    "projects:public_photo",
    "projects:notice",
    "recognition:public_centres",
    "recognition:public_talent",
    "recognition:winners",
}
PUBLIC_API_PATHS = {
    "/api/v1/deliberation/outcomes/{code}",
    "/api/v1/volunteers/certificates/check/{token}",
    "/api/v1/spaces/public/{code}",
    "/api/v1/spaces/spaces/{space_id}",
    "/api/v1/servicedays/days/{service_day_id}/lobby",
    "/api/v1/funds/public/{fund_id}",
    "/api/v1/funds/public/campaigns/{campaign_id}",
    "/api/v1/projects/public/projects/{gov_project_id}",
    "/api/v1/projects/public/rounds/{round_id}",
    "/api/v1/recognition/public/{code}/centres",
    "/api/v1/recognition/public/{code}/talent",
    "/api/v1/recognition/public/awards/{award_id}",
}
DENIED = {403, 404, 405}


@dataclass
class Actor:
    label: str
    user: User | None
    inside: Area  # where the actor's own objects are taken from
    outside: Area | None  # a committee outside the actor's scope (None for the city admin)
    session: dict[str, object] | None = None  # what logging in put in the session (see _client)


def _marker(area: Area) -> tuple[str, str]:
    return f"MARK楼组{area.code}", f"MARK居民{area.code}"


@pytest.fixture
def world(tree):
    """Private markers in three committees, and one user per role over 延长新村's chain."""
    markers = {}
    for n, committee in enumerate((tree.committee, tree.neighbour, tree.far_committee), start=90):
        group_name, resident_name = _marker(committee)
        group = local(committee, AreaLevel.BUILDING_GROUP, group_name, n)
        UserFactory.create(name=resident_name, home_area=group)
        # The same name in the registry: a household of the group with the marked resident.
        building = local(group, AreaLevel.BUILDING, f"{n}号楼", n)
        registry_resident(household(building, "101"), resident_name)
        markers[committee.pk] = (group_name, resident_name)

    over = {
        Role.SOCIAL_WORKER: tree.committee,
        Role.COMMITTEE_LEAD: tree.committee,
        Role.BUILDING_LEADER: tree.group,
        Role.VOLUNTEER: tree.committee,
        Role.PARTNER_UNIT: tree.committee,
        Role.STREET_ADMIN: tree.street,
        Role.DISTRICT_ADMIN: tree.district,
        Role.CITY_ADMIN: tree.city,
    }
    assert list(over) == list(Role), "give every role an area in the matrix's world"
    outside_of = {
        Role.STREET_ADMIN: tree.far_committee,
        Role.DISTRICT_ADMIN: tree.far_committee,
        Role.CITY_ADMIN: None,
    }
    actors = [Actor("anonymous", None, tree.committee, tree.committee)]
    resident = UserFactory.create(name="普通居民", home_area=tree.building)
    actors.append(Actor("resident", resident, tree.committee, tree.neighbour))
    for role, area in over.items():
        user = UserFactory.create(name=f"角色{role}", home_area=tree.committee)
        grant(user, role, area)
        actors.append(Actor(str(role), user, area, outside_of.get(role, tree.neighbour)))
    neighbour_worker = UserFactory.create(name="邻居社工", home_area=tree.neighbour)
    grant(neighbour_worker, Role.SOCIAL_WORKER, tree.neighbour)
    actors.append(Actor("neighbour social worker", neighbour_worker, tree.neighbour, tree.committee))
    return actors, markers


# One test per actor, so that the walks run side by side on every core (pytest-xdist): the
# whole page matrix in one test took 13 minutes of one worker.
ACTORS = ["anonymous", "resident", *(str(role) for role in Role), "neighbour social worker"]


def _the(actors: list[Actor], label: str) -> list[Actor]:
    assert [a.label for a in actors] == ACTORS
    return [a for a in actors if a.label == label]


def _client(actor: Actor) -> Client:
    """A client with a session of its own, logged in as the actor and past the second factor.
    The actor logs in once; every later client gets a new session holding a copy of what that
    log-in stored (logging in again for each request was a third of the walk's time)."""
    client = Client(raise_request_exception=False)
    if actor.user is None:
        return client
    if actor.session is None:
        login_verified(client, actor.user)
        actor.session = dict(client.session.items())
    else:
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session.update(actor.session)
        session.create()
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def _forbidden_markers(actor: Actor, markers: dict[int, tuple[str, str]]) -> list[str]:
    """What the actor must never see.

    Building-group names are committee-internal: visible within the actor's area (a
    resident's: their own committee). Residents' names are personal data: visible only to
    roles that may see people, inside the area of the role (a building leader: their group).
    """
    from accounts.roles import spec
    from common.scope import Capability

    grants = list(actor.user.active_grants) if actor.user else []
    area_paths = [g.area.path for g in grants]
    people_paths = [g.area.path for g in grants if Capability.VIEW_PEOPLE in spec(g.role).capabilities]
    home = actor.user.home_area if actor.user is not None else None
    if home is not None:
        committee = (
            home if home.level == AreaLevel.COMMITTEE else home.ancestors().get(level=AreaLevel.COMMITTEE)
        )
        area_paths.append(committee.path)
    out = []
    for committee_id, (group_marker, resident_marker) in markers.items():
        committee = Area.objects.get(pk=committee_id)
        if not any(committee.path.startswith(p) for p in area_paths):
            out.append(group_marker)
        resident_home = Area.objects.get(name=group_marker).path
        if not any(resident_home.startswith(p) for p in people_paths):
            out.append(resident_marker)
    return out


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    return response.content.decode(errors="replace")


def _check_body(problems, actor, where, response, forbidden):
    body = _body(response)
    leaked = [m for m in forbidden if m in body]
    if leaked:
        problems.append(f"{actor.label}: {where} shows {leaked}")


def _denied_or_login(response) -> bool:
    login = response.status_code == 302 and "/accounts/login/" in response.get("Location", "")
    return login or response.status_code in DENIED


@pytest.mark.django_db
def test_every_route_has_a_name():
    assert urlwalk.unnamed_routes() == []


@pytest.mark.django_db
@pytest.mark.parametrize("label", ACTORS)
def test_page_matrix(world, label):
    actors, markers = world
    problems: list[str] = []
    for actor in _the(actors, label):
        forbidden = _forbidden_markers(actor, markers)
        for route in urlwalk.routes():
            public = route.name in PUBLIC_ROUTES
            # Filled for the GET on first use; the POST goes to the same objects.
            urls: dict[Area, str] = {}

            def url_in(area: Area, route: urlwalk.Route = route, urls: dict[Area, str] = urls) -> str:
                if area not in urls:
                    urls[area] = urlwalk.fill(route, area)
                return urls[area]

            for method in ("get", "post"):
                # A fresh session for every request: a POST may log out or switch role.
                client = _client(actor)
                url = url_in(actor.inside)
                response = getattr(client, method)(url)
                where = f"{method.upper()} {url} ({route.name})"
                if response.status_code >= 500:
                    problems.append(f"{actor.label}: {where} → {response.status_code}")
                    continue
                if actor.user is None and not public and not _denied_or_login(response):
                    problems.append(f"anonymous: {where} → {response.status_code}, not a login redirect")
                _check_body(problems, actor, where, response, forbidden)

                if (
                    route.kwargs
                    and actor.outside is not None
                    and actor.user is not None
                    and route.name not in PUBLIC_PER_COMMITTEE
                ):
                    client = _client(actor)
                    url = url_in(actor.outside)
                    response = getattr(client, method)(url)
                    where = f"{method.upper()} {url} ({route.name}, outside scope)"
                    if response.status_code not in DENIED:
                        problems.append(f"{actor.label}: {where} → {response.status_code}, expected 403/404")
                    _check_body(problems, actor, where, response, forbidden)
    assert not problems, "\n".join(problems)


def _api_operations():
    from mulin.api import api

    schema = api.get_openapi_schema()
    for path, item in schema["paths"].items():
        for method in item:
            yield method, path


@pytest.mark.django_db
@pytest.mark.parametrize("label", ACTORS)
def test_api_matrix(world, label):
    """GET every API path as every actor; path arguments are objects outside the scope."""
    actors, markers = world
    problems: list[str] = []
    marked_group = lambda area: Area.objects.get(name=_marker(area)[0])  # noqa: E731
    fillers = {
        "code": lambda area: marked_group(area).code,
        "household_id": lambda area: urlwalk.FILLERS["household_id"](marked_group(area)),
        "resident_id": lambda area: urlwalk.FILLERS["resident_id"](marked_group(area)),
        "import_id": lambda area: urlwalk.FILLERS["import_id"](area),
        "registration_id": lambda area: urlwalk.FILLERS["registration_id"](marked_group(area)),
        "notice_id": lambda area: urlwalk.FILLERS["notice_id"](marked_group(area)),
        "attachment_id": lambda area: urlwalk.FILLERS["attachment_id"](marked_group(area)),
        "activity_id": lambda area: urlwalk.FILLERS["activity_id"](marked_group(area)),
        "signup_id": lambda area: urlwalk.FILLERS["signup_id"](marked_group(area)),
        "shift_id": lambda area: urlwalk.FILLERS["shift_id"](marked_group(area)),
        "token": lambda area: urlwalk.FILLERS["token"](marked_group(area)),
        "topic_id": lambda area: urlwalk.FILLERS["topic_id"](marked_group(area)),
        "opinion_id": lambda area: urlwalk.FILLERS["opinion_id"](marked_group(area)),
        "meeting_id": lambda area: urlwalk.FILLERS["meeting_id"](marked_group(area)),
        "decision_id": lambda area: urlwalk.FILLERS["decision_id"](marked_group(area)),
        "convention_id": lambda area: urlwalk.FILLERS["convention_id"](marked_group(area)),
        "signature_id": lambda area: urlwalk.FILLERS["signature_id"](marked_group(area)),
        "watch_id": lambda area: urlwalk.FILLERS["watch_id"](marked_group(area)),
        "alert_id": lambda area: urlwalk.FILLERS["alert_id"](marked_group(area)),
        "demand_id": lambda area: urlwalk.FILLERS["demand_id"](marked_group(area)),
        "project_id": lambda area: urlwalk.FILLERS["project_id"](marked_group(area)),
        "category_id": lambda area: urlwalk.FILLERS["category_id"](marked_group(area)),
        "plan_id": lambda area: urlwalk.FILLERS["plan_id"](marked_group(area)),
        "visit_id": lambda area: urlwalk.FILLERS["visit_id"](marked_group(area)),
        "unit_id": lambda area: urlwalk.FILLERS["unit_id"](marked_group(area)),
        "team_id": lambda area: urlwalk.FILLERS["team_id"](marked_group(area)),
        "volunteer_id": lambda area: urlwalk.FILLERS["volunteer_id"](marked_group(area)),
        "membership_id": lambda area: urlwalk.FILLERS["membership_id"](marked_group(area)),
        "certificate_id": lambda area: urlwalk.FILLERS["certificate_id"](marked_group(area)),
        "space_id": lambda area: urlwalk.FILLERS["space_id"](marked_group(area)),
        "series_id": lambda area: urlwalk.FILLERS["series_id"](marked_group(area)),
        "season_id": lambda area: urlwalk.FILLERS["season_id"](marked_group(area)),
        "kind_id": lambda area: urlwalk.FILLERS["kind_id"](marked_group(area)),
        "item_id": lambda area: urlwalk.FILLERS["item_id"](marked_group(area)),
        "hold_id": lambda area: urlwalk.FILLERS["hold_id"](marked_group(area)),
        "loan_id": lambda area: urlwalk.FILLERS["loan_id"](marked_group(area)),
        "booking_id": lambda area: urlwalk.FILLERS["booking_id"](marked_group(area)),
        "service_day_id": lambda area: urlwalk.FILLERS["service_day_id"](marked_group(area)),
        "stall_id": lambda area: urlwalk.FILLERS["stall_id"](marked_group(area)),
        "ticket_id": lambda area: urlwalk.FILLERS["ticket_id"](marked_group(area)),
        # meals
        "point_id": lambda area: urlwalk.FILLERS["point_id"](marked_group(area)),
        "dish_id": lambda area: urlwalk.FILLERS["dish_id"](marked_group(area)),
        "menu_id": lambda area: urlwalk.FILLERS["menu_id"](marked_group(area)),
        "set_meal_id": lambda area: urlwalk.FILLERS["set_meal_id"](marked_group(area)),
        "diner_id": lambda area: urlwalk.FILLERS["diner_id"](marked_group(area)),
        "order_id": lambda area: urlwalk.FILLERS["order_id"](marked_group(area)),
        "standing_id": lambda area: urlwalk.FILLERS["standing_id"](marked_group(area)),
        "rule_id": lambda area: urlwalk.FILLERS["rule_id"](marked_group(area)),
        "route_id": lambda area: urlwalk.FILLERS["route_id"](marked_group(area)),
        "run_id": lambda area: urlwalk.FILLERS["run_id"](marked_group(area)),
        "stop_id": lambda area: urlwalk.FILLERS["stop_id"](marked_group(area)),
        # funds
        "fund_id": lambda area: urlwalk.FILLERS["fund_id"](marked_group(area)),
        "campaign_id": lambda area: urlwalk.FILLERS["campaign_id"](marked_group(area)),
        "expense_id": lambda area: urlwalk.FILLERS["expense_id"](marked_group(area)),
        "bank_statement_id": lambda area: urlwalk.FILLERS["bank_statement_id"](marked_group(area)),
        # projects
        "gov_project_id": lambda area: urlwalk.FILLERS["gov_project_id"](marked_group(area)),
        "round_id": lambda area: urlwalk.FILLERS["round_id"](marked_group(area)),
        "round_entry_id": lambda area: urlwalk.FILLERS["round_entry_id"](marked_group(area)),
        "objection_id": lambda area: urlwalk.FILLERS["objection_id"](marked_group(area)),
        # recognition
        "centre_id": lambda area: urlwalk.FILLERS["centre_id"](marked_group(area)),
        "rating_sheet_id": lambda area: urlwalk.FILLERS["rating_sheet_id"](marked_group(area)),
        "centre_rating_id": lambda area: urlwalk.FILLERS["centre_rating_id"](marked_group(area)),
        "rating_criterion_id": lambda area: urlwalk.FILLERS["rating_criterion_id"](marked_group(area)),
        "award_id": lambda area: urlwalk.FILLERS["award_id"](marked_group(area)),
    }
    for actor in _the(actors, label):
        forbidden = _forbidden_markers(actor, markers)
        for method, path in _api_operations():
            if method != "get":
                continue
            params = re.findall(r"{(\w+)}", path)
            unknown = [p for p in params if p not in fillers]
            assert not unknown, f"{path}: add an API filler for {unknown} in test_api_matrix"
            for area in filter(None, {actor.inside, actor.outside}):
                if area is actor.inside and params and actor.user is None:
                    continue
                # The committee the area is in, or (for a street, district or city) a marked one under it.
                committee = (
                    area
                    if area.level == AreaLevel.COMMITTEE
                    else area.ancestors().filter(level=AreaLevel.COMMITTEE).first()
                    or Area.objects.filter(pk__in=markers, path__startswith=area.path)
                    .order_by("path")
                    .first()
                )

                # The spec's paths already start with /api/v1/.
                def fill(m: re.Match[str], c: Area | None = committee) -> str:
                    return str(fillers[m[1]](c))

                url = re.sub(r"{(\w+)}", fill, path)
                response = _client(actor).get(url)
                where = f"GET {url}"
                if response.status_code >= 500:
                    problems.append(f"{actor.label}: {where} → {response.status_code}")
                if actor.user is None and response.status_code != 401:
                    problems.append(f"anonymous: {where} → {response.status_code}, expected 401")
                outside = (
                    params
                    and area is actor.outside
                    and actor.user is not None
                    and path not in PUBLIC_API_PATHS
                )
                if outside and response.status_code not in DENIED:
                    problems.append(f"{actor.label}: {where} (outside) → {response.status_code}")
                _check_body(problems, actor, where, response, forbidden)
    assert not problems, "\n".join(problems)
