"""Resident accounts: registering, verifying (by staff or by identity number), accounts made
by staff for elderly residents, family proxies, and the on-cloud rate they add up to."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import User
from notifications.models import Notification
from registry import verification
from registry.models import Proxy, Registration, RegistrationStatus, VerificationMethod
from registry.selectors import overview
from tests.factories import UserFactory, household, id_number, resident


@pytest.fixture
def wang(tree):
    return resident(household(tree.building, "301"), "王秀英", number=id_number("1948-02-02", male=False))


def _register(tree, name="王秀英", phone="13911112222", room="301"):
    return verification.register(
        phone=phone,
        name=name,
        password="correct horse 7",
        committee=tree.committee,
        building=tree.building,
        room=room,
    )


def test_signing_up_finds_the_committee_then_makes_an_account(client, tree, wang):
    found = client.get(reverse("registry:register"), {"q": "延长"}).content.decode()
    assert "延长新村居委会" in found and "62号楼" not in found
    form = client.get(reverse("registry:register"), {"committee": tree.committee.code}).content.decode()
    assert "62号楼" in form  # buildings of that committee to choose from
    response = client.post(
        f"{reverse('registry:register')}?committee={tree.committee.code}",
        {
            "name": "王秀英",
            "phone": "139 1111 2222",
            "password": "correct horse 7",
            "building": tree.building.pk,
            "room": "301",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("registry:me")
    user = User.objects.get(phone="13911112222")
    registration = Registration.objects.get(user=user)
    assert (registration.status, registration.area, registration.room) == ("pending", tree.building, "301")
    page = client.get(reverse("registry:me")).content.decode()
    assert "waits for verification" in page


def test_signing_up_says_what_is_wrong(client, tree):
    UserFactory.create(phone="13911112222")
    response = client.post(
        f"{reverse('registry:register')}?committee={tree.committee.code}",
        {"name": "王秀英", "phone": "13911112222", "password": "123"},
    )
    page = response.content.decode()
    assert "already uses this number" in page and "too short" in page.lower()
    assert Registration.objects.count() == 0


def test_self_verification_with_the_identity_number(tree, wang):
    registration = _register(tree)
    person = verification.verify_self(registration.user, id_number_of(wang))
    registration.refresh_from_db()
    assert (
        person == wang
        and registration.status == "verified"
        and registration.method == VerificationMethod.ID_NUMBER
    )
    wang.refresh_from_db()
    assert wang.user == registration.user and wang.verified_at is not None
    registration.user.refresh_from_db()
    assert registration.user.home_area == tree.building


def id_number_of(person):
    from registry import crypto

    return crypto.decrypt(person.id_cipher)


def test_a_wrong_number_counts_and_five_end_self_verification(tree, wang):
    registration = _register(tree)
    for n in range(5):
        with pytest.raises(ValidationError) as caught:
            verification.verify_self(registration.user, id_number("1999-09-09"))
        assert f"{4 - n} tries left" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        verification.verify_self(registration.user, id_number_of(wang))
    assert "ask 延长新村居委会" in caught.value.messages[0]


def test_the_number_of_someone_else_does_not_verify(tree, wang):
    registration = _register(tree, name="冒名顶替")
    with pytest.raises(ValidationError):
        verification.verify_self(registration.user, id_number_of(wang))


def test_staff_see_candidates_and_verify(client_for, owner, tree, wang):
    registration = _register(tree)
    resident(
        household(tree.building, "999"), "王秀英", number=id_number("1977-07-07", male=False)
    )  # same name elsewhere
    client = client_for(owner)
    listing = client.get(reverse("registry:registrations")).content.decode()
    assert "王秀英" in listing and "139****2222" in listing
    page = client.get(reverse("registry:registration", args=[registration.pk])).content.decode()
    assert page.index("room 301") < page.index("room 999")  # the door they gave comes first
    response = client.post(
        reverse("registry:registration", args=[registration.pk]), {"action": "verify", "resident": wang.pk}
    )
    assert response.status_code == 302
    wang.refresh_from_db()
    assert wang.user == registration.user
    registration.refresh_from_db()
    assert registration.decided_by == owner and registration.method == VerificationMethod.STAFF
    told = Notification.objects.get(user=registration.user)
    assert told.title == "Your account is verified" and "延长新村居委会" in told.body
    assert told.url == reverse("registry:me")


def test_staff_reject_with_a_reason(tree, worker, owner):
    registration = _register(tree, name="查无此人")
    with pytest.raises(ValidationError):
        verification.reject(owner, worker, registration, "")
    verification.reject(owner, worker, registration, "本小区无此住户，请到居委会核实")
    assert registration.status == RegistrationStatus.REJECTED
    told = Notification.objects.get(user=registration.user)
    assert told.title == "Your account could not be verified"
    assert "本小区无此住户，请到居委会核实" in told.body


def test_registrations_of_another_committee_are_out_of_reach(tree, wang, neighbour_worker, outsider):
    registration = _register(tree)
    with pytest.raises(PermissionDenied):
        verification.verify(outsider, neighbour_worker, registration, wang)


def test_staff_make_an_account_for_an_elderly_resident_and_link_a_daughter(client_for, owner, tree, wang):
    client = client_for(owner)
    response = client.post(reverse("registry:resident_account", args=[wang.pk]), {"phone": "13922223333"})
    page = response.content.decode()
    assert "temporary password" in page
    user = User.objects.get(phone="13922223333")
    assert user.must_change_password and user.resident == wang
    daughter = UserFactory.create(name="王女儿", phone="13933334444")
    client.post(
        reverse("registry:resident_proxies", args=[wang.pk]),
        {"action": "link", "phone": "13933334444", "relation": "女儿"},
    )
    proxy = Proxy.objects.get(resident=wang)
    assert (proxy.user, proxy.relation, proxy.created_by) == (daughter, "女儿", owner)
    assert [p.resident for p in verification.acting_for(daughter)] == [wang]
    client.post(reverse("registry:resident_proxies", args=[wang.pk]), {"action": "unlink", "proxy": proxy.pk})
    assert verification.acting_for(daughter) == []


def test_a_proxy_needs_an_account_of_their_own(tree, wang, worker, owner):
    with pytest.raises(ValidationError) as caught:
        verification.link_proxy(owner, worker, wang, "13955556666", "儿子")
    assert "registers first" in caught.value.messages[0]


def test_the_on_cloud_rate_counts_verified_accounts_over_living_residents(tree, wang, building2):
    others = [resident(household(building2, f"{n}01"), f"居民{n}") for n in range(1, 4)]
    registration = _register(tree)
    verification.verify_self(registration.user, id_number_of(wang))
    figures = overview(tree.committee).figures
    assert (figures.residents, figures.verified, figures.on_cloud_percent) == (4, 1, "25.00%")
    street = overview(tree.street)
    committee_row = next(row for row in street.children if row.area == tree.committee)
    assert committee_row.on_cloud_percent == "25.00%"
    assert street.figures.residents == 4 and len(others) == 3
