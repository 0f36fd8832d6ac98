"""Django's admin is for site administrators only: no role grant opens it."""

from accounts.roles import Role
from tests.factories import UserFactory, grant, login_verified


def test_role_holders_cannot_use_the_admin(client, tree):
    admin = UserFactory.create()
    grant(admin, Role.CITY_ADMIN, tree.city)
    login_verified(client, admin)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_site_administrators_can(client, tree):
    from accounts.models import User

    root = User.objects.create_superuser("13700000000", "a long admin password 1", name="运维")
    login_verified(client, root)
    assert client.get("/admin/").status_code == 200


def test_site_administrators_need_two_factor_too(client, tree):
    from accounts.models import User

    root = User.objects.create_superuser("13700000001", "a long admin password 1", name="运维")
    client.force_login(root)
    response = client.get("/admin/")
    assert response.status_code == 302
