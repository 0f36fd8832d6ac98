from django.urls import reverse

from accounts.roles import Role
from audit.context import acting_as
from audit.models import AuditEntry
from tests.factories import UserFactory, grant, login_verified


def test_every_mulin_model_save_is_logged_with_actor_and_area(tree, colleague):
    with acting_as(colleague, Role.COMMITTEE_LEAD):
        tree.group.name = "62号楼组（健康楼组）"
        tree.group.save()
    entry = AuditEntry.objects.get(action="update", object_id=str(tree.group.pk))
    assert entry.actor == colleague
    assert entry.actor_role == Role.COMMITTEE_LEAD
    assert entry.area_path == tree.group.path
    assert entry.changes["name"] == ["62号楼组", "62号楼组（健康楼组）"]


def test_passwords_are_logged_as_changed_but_never_stored(tree, resident):
    resident.set_password("a new secret 99")
    resident.save()
    entry = AuditEntry.objects.filter(action="update", object_id=str(resident.pk)).latest("pk")
    assert entry.changes["password"] == "[hidden]"
    assert "a new secret" not in str(AuditEntry.objects.values_list("changes", flat=True))


def test_deletes_are_logged(tree):
    building = tree.building
    pk = building.pk
    building.delete()
    entry = AuditEntry.objects.get(action="delete", object_id=str(pk))
    assert entry.object_repr == "62号楼"
    assert entry.area_path == "/3101/310106/310106019/310106019001/W1/L62/B62/"


def test_lead_reads_own_area_only(client, tree, colleague):
    tree.neighbour_group.name = "慧芝湖改名楼组"
    tree.neighbour_group.save()
    tree.group.name = "62号楼组改名"
    tree.group.save()
    login_verified(client, colleague)
    response = client.get(reverse("audit:log"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "62号楼组改名" in body
    assert "慧芝湖改名楼组" not in body


def test_street_admin_reads_every_committee_of_the_street(client, tree):
    admin = UserFactory.create(name="街道管理员")
    grant(admin, Role.STREET_ADMIN, tree.street)
    tree.neighbour_group.name = "慧芝湖改名楼组"
    tree.neighbour_group.save()
    login_verified(client, admin)
    assert "慧芝湖改名楼组" in client.get(reverse("audit:log")).content.decode()


def test_social_worker_cannot_read_the_log(owner_client):
    assert owner_client.get(reverse("audit:log")).status_code == 403


def test_entry_outside_scope_is_404(client, tree, colleague):
    tree.neighbour_group.name = "慧芝湖改名楼组"
    tree.neighbour_group.save()
    foreign = AuditEntry.objects.filter(area_path__startswith=tree.neighbour.path).latest("pk")
    own = AuditEntry.objects.filter(area_path__startswith=tree.committee.path).latest("pk")
    login_verified(client, colleague)
    assert client.get(reverse("audit:entry", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("audit:entry", args=[own.pk])).status_code == 200


def test_filters_and_bad_dates(client, tree, colleague):
    login_verified(client, colleague)
    tree.group.name = "改名"
    tree.group.save()
    response = client.get(reverse("audit:log"), {"action": "delete"})
    assert "改名" not in response.content.decode()
    response = client.get(reverse("audit:log"), {"since": "2026-05-02", "until": "2026-05-01"})
    assert "must be on or before" in response.content.decode() or "必须" in response.content.decode()


def test_log_page_runs_a_fixed_number_of_queries(client, tree, colleague, django_assert_max_num_queries):
    login_verified(client, colleague)
    for n in range(60):
        tree.group.name = f"楼组{n}"
        tree.group.save()
    with django_assert_max_num_queries(12):
        response = client.get(reverse("audit:log"))
    assert response.status_code == 200
