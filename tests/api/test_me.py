"""The current user, their roles and the active role, by token and by browser session."""

import pytest
from django.conf import settings
from django.test import Client

from accounts.roles import Role
from accounts.scope import SESSION_KEY
from audit.models import AuditEntry
from tests.api.conftest import api_client
from tests.factories import grant, login_verified

ROLE_URL = "/api/v1/me/active-role"


@pytest.fixture
def two_roles(owner, tree):
    """The owner also volunteers in the whole street."""
    return grant(owner, Role.VOLUNTEER, tree.street)


def test_me_shows_the_user_with_a_masked_number(owner_api, owner):
    assert owner_api.get("/api/v1/me").json() == {
        "id": owner.pk,
        "name": "社工甲",
        "phone": f"{owner.phone[:3]}****{owner.phone[-4:]}",
        "elderly_mode": False,
        "language": "",
        "home_area": {"code": "310106019001", "name": "延长新村居委会", "level": "committee"},
    }


def test_a_resident_without_a_home_has_none(db):
    from tests.factories import UserFactory

    assert api_client(UserFactory.create()).get("/api/v1/me").json()["home_area"] is None


def test_my_roles_lists_every_active_grant_and_marks_the_one_in_use(owner, owner_api, two_roles, tree):
    roles = owner_api.get("/api/v1/me/roles").json()
    assert [(r["role"], r["area"]["name"], r["active"]) for r in roles] == [
        ("social_worker", "延长新村居委会", True),
        ("volunteer", "大宁路街道", False),
    ]
    assert roles[0]["role_label"] == "Social worker"
    assert roles[0]["capabilities"] == [
        "edit_registry",
        "handle_demands",
        "keep_funds",
        "lend_aids",
        "manage_accounts",
        "manage_activities",
        "manage_areas",
        "manage_conventions",
        "manage_deliberation",
        "manage_partners",
        "manage_spaces",
        "manage_volunteers",
        "order_meals",
        "publish_notices",
        "record_signatures",
        "reveal_identity",
        "run_awards",
        "run_meals",
        "run_projects",
        "run_service_days",
        "run_watch",
        "view_people",
        "view_workspace",
        "visit_households",
    ]
    assert roles[1]["capabilities"] == ["view_workspace"]


def test_a_resident_has_no_roles(resident_api):
    assert resident_api.get("/api/v1/me/roles").json() == []


def test_a_token_picks_its_role_with_the_header(owner, two_roles, tree):
    client = api_client(owner, role=two_roles.pk)
    roles = client.get("/api/v1/me/roles").json()
    assert [r["active"] for r in roles] == [False, True]
    # As the street's volunteer, the other committee's building groups are visible too.
    found = client.get("/api/v1/areas/", {"q": "楼组"}).json()["items"]
    assert {a["name"] for a in found} == {"62号楼组", "慧芝湖1号楼组"}


def test_a_header_naming_someone_elses_grant_is_refused(owner, outsider):
    other = outsider.active_grants.get()
    response = api_client(owner, role=other.pk).get("/api/v1/me")
    assert (response.status_code, response.json()["detail"]) == (
        403,
        "X-Mulin-Role names no active role of yours: use an id from /api/v1/me/roles.",
    )
    assert api_client(owner, role="abc").get("/api/v1/me").status_code == 403


def test_a_token_is_told_to_use_the_header_instead_of_switching(owner_api, two_roles):
    response = owner_api.post(ROLE_URL, {"grant": two_roles.pk}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        f"An API token keeps no active role: send the header X-Mulin-Role: {two_roles.pk} with each "
        "request to act in this role."
    )


def test_a_session_switches_its_active_role(owner_client, owner, two_roles):
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = owner_client.post(ROLE_URL, {"grant": two_roles.pk}, content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["role"], response.json()["active"]) == ("volunteer", True)
    assert owner_client.session[SESSION_KEY] == two_roles.pk
    roles = owner_client.get("/api/v1/me/roles").json()
    assert [r["active"] for r in roles] == [False, True]
    assert AuditEntry.objects.filter(action="role_switch", actor=owner).count() == 1


def test_switching_to_an_unknown_or_foreign_grant_is_a_404(owner_client, outsider):
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    foreign = outsider.active_grants.get()
    for grant_id in (foreign.pk, 999_999):
        response = owner_client.post(ROLE_URL, {"grant": grant_id}, content_type="application/json")
        assert (response.status_code, response.json()) == (
            404,
            {"detail": f"You hold no active role with id {grant_id}."},
        )
    response = owner_client.post(ROLE_URL, {"grant": "first"}, content_type="application/json")
    assert (response.status_code, response.json()["errors"][0]["loc"]) == (422, ["body", "payload", "grant"])


def test_a_session_needs_the_csrf_token_for_unsafe_methods(owner, two_roles):
    client = Client(enforce_csrf_checks=True)
    login_verified(client, owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get("/api/v1/me").status_code == 200  # reads need none
    response = client.post(ROLE_URL, {"grant": two_roles.pk}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("The CSRF check failed")

    client.get("/accounts/roles/")  # any page sets the csrftoken cookie
    csrf = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        ROLE_URL, {"grant": two_roles.pk}, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert response.status_code == 200


def test_without_a_session_a_post_is_a_401_not_a_csrf_failure(db):
    response = Client(enforce_csrf_checks=True).post(ROLE_URL, {"grant": 1}, content_type="application/json")
    assert response.status_code == 401


def test_a_staff_session_without_two_factor_is_refused(client, owner):
    client.force_login(owner)  # password checked, TOTP step not done
    response = client.get("/api/v1/me")
    assert (response.status_code, response.json()) == (403, {"detail": "Two-factor verification required."})


def test_a_resident_session_works_without_two_factor(client, resident):
    client.force_login(resident)
    assert client.get("/api/v1/me").json()["name"] == "居民丁"


def test_anonymous_visitors_get_401_everywhere(anonymous_api):
    for method, url in (("get", "/api/v1/me"), ("get", "/api/v1/me/roles"), ("post", ROLE_URL)):
        response = getattr(anonymous_api, method)(url)
        assert response.status_code == 401, url


def test_the_spec_documents_the_role_header(anonymous_api):
    spec = anonymous_api.get("/api/v1/openapi.json").json()
    assert "X-Mulin-Role" in spec["info"]["description"]
    assert {"TokenAuth", "VerifiedSessionAuth"} <= set(spec["components"]["securitySchemes"])
