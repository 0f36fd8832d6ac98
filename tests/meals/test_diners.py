"""Diners: registering (staff, the resident, family), changing needs, the health conditions
encrypted and masked, ending a registration, revealing with a logged reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEntry
from meals import diners as service
from meals.models import Diner, MealKind, Mode, PointMeal, StandingOrder
from registry import crypto
from registry.models import AccessLog, RevealedField
from tests.factories import UserFactory, grant, scope_of
from tests.meals.conftest import make_point, place


def test_staff_register_a_resident_with_needs_and_encrypted_health(owner, people, kitchen):
    made = service.register(
        owner,
        people.zhao,
        scope=scope_of(owner),
        point=kitchen.point,
        needs=["low_sugar", "soft", "soft"],
        allergies=["fish"],
        health="糖尿病，高血压",
        delivery=True,
        delivery_note="敲门大声",
        usual_label="B",
        usual_mode=Mode.DELIVERED,
    )
    made.refresh_from_db()
    assert (made.committee, made.point, made.needs, made.allergies) == (
        people.zhao.household.committee,
        kitchen.point,
        "soft,low_sugar",
        "fish",
    )
    assert made.health_masked == "已登记（2项）"
    assert "糖尿病" not in made.health_cipher and crypto.decrypt(made.health_cipher) == "糖尿病，高血压"
    assert made.registered_by == owner
    # The audit entry never holds the cipher.
    entry = AuditEntry.objects.filter(object_id=str(made.pk), content_type__model="diner").get()
    assert made.health_cipher not in str(entry.changes) and "糖尿病" not in str(entry.changes)


def test_a_resident_and_a_daughter_register_themselves_and_change_their_needs(people, kitchen):
    own = service.register(
        people.wang_user, people.wang, scope=scope_of(people.wang_user), point=kitchen.point
    )
    assert own.registered_by == people.wang_user
    fathers = service.register(
        people.daughter, people.zhao, scope=scope_of(people.daughter), point=kitchen.point, needs=["soft"]
    )
    service.update(
        people.daughter, fathers, scope=scope_of(people.daughter), point=kitchen.point, needs=["low_salt"]
    )
    fathers.refresh_from_db()
    assert fathers.needs == "low_salt"
    with pytest.raises(PermissionDenied):
        service.update(people.wang_user, fathers, scope=scope_of(people.wang_user), point=kitchen.point)
    with pytest.raises(PermissionDenied):
        service.register(people.wang_user, people.sun, scope=scope_of(people.wang_user), point=kitchen.point)


def test_registering_a_resident_outside_scope_is_refused(outsider, people, kitchen):
    with pytest.raises(PermissionDenied):
        service.register(outsider, people.wang, scope=scope_of(outsider), point=kitchen.point)
    assert not Diner.objects.exists()


def test_a_point_not_serving_the_residents_committee_is_refused(owner, people, kitchen, tree):
    elsewhere = make_point(tree.neighbour, [tree.neighbour], name="慧芝湖助餐点")
    with pytest.raises(ValidationError) as refused:
        service.register(owner, people.wang, scope=scope_of(owner), point=elsewhere)
    assert refused.value.message_dict == {
        "point": ["慧芝湖助餐点 does not serve 延长新村居委会, where 王建国 lives."]
    }
    kitchen.point.closed_at = timezone.now()
    kitchen.point.save()
    with pytest.raises(ValidationError):
        service.register(owner, people.wang, scope=scope_of(owner), point=kitchen.point)
    assert not Diner.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"needs": ["spicy"]}, "needs"),
        ({"allergies": ["gold"]}, "allergies"),
        ({"usual_mode": Mode.DELIVERED}, "usual_mode"),
        ({"delivery_note": "x" * 201}, "delivery_note"),
        ({"health": "x" * 501}, "health"),
        ({"usual_mode": "flying"}, "usual_mode"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(owner, people, kitchen, extra, field):
    with pytest.raises(ValidationError) as refused:
        service.register(owner, people.wang, scope=scope_of(owner), point=kitchen.point, **extra)
    assert list(refused.value.message_dict) == [field]
    assert not Diner.objects.exists()


def test_delivery_needs_a_meal_that_delivers(owner, people, kitchen):
    PointMeal.objects.filter(point=kitchen.point).update(delivers=False)
    with pytest.raises(ValidationError) as refused:
        service.register(owner, people.wang, scope=scope_of(owner), point=kitchen.point, delivery=True)
    assert refused.value.message_dict == {"delivery": ["延长新村长者食堂 delivers no meal."]}


def test_registered_twice_is_refused_and_an_ended_diner_registers_again(owner, diners, people, kitchen):
    scope = scope_of(owner)
    with pytest.raises(ValidationError) as refused:
        service.register(owner, people.wang, scope=scope, point=kitchen.point)
    assert refused.value.message_dict == {"resident": ["王建国 is already registered, at 延长新村长者食堂."]}
    service.end(owner, diners["wang"], scope=scope, reason="搬去养老院")
    again = service.register(owner, people.wang, scope=scope, point=kitchen.point, needs=["soft"])
    assert again.pk == diners["wang"].pk and again.is_current and again.needs == "soft"


def test_health_is_kept_changed_or_cleared(owner, diners):
    scope = scope_of(owner)
    li = diners["li"]
    service.update(owner, li, scope=scope, health="糖尿病")
    assert li.health_masked == "已登记（1项）"
    service.update(owner, li, scope=scope, needs=["soft"])
    li.refresh_from_db()
    assert crypto.decrypt(li.health_cipher) == "糖尿病" and li.needs == "soft"
    service.update(owner, li, scope=scope, health="")
    li.refresh_from_db()
    assert (li.health_cipher, li.health_masked) == ("", "")


def test_ending_needs_a_reason_and_no_open_orders_ahead(owner, diners, kitchen):
    scope = scope_of(owner)
    wang = diners["wang"]
    with pytest.raises(ValidationError) as refused:
        service.end(owner, wang, scope=scope, reason=" ")
    assert list(refused.value.message_dict) == ["reason"]
    tomorrow = timezone.localdate() + timedelta(days=1)
    place(wang, kitchen.set_meal(tomorrow))
    with pytest.raises(ValidationError) as refused:
        service.end(owner, wang, scope=scope, reason="不再需要")
    message = refused.value.message_dict["reason"][0]
    assert message.startswith("王建国 has open orders on ") and "cancel them first" in message
    wang.refresh_from_db()
    assert wang.is_current


def test_ending_is_refused_while_a_standing_order_is_live_and_keeps_the_reason(owner, diners, kitchen):
    scope = scope_of(owner)
    li = diners["li"]
    standing = StandingOrder.objects.create(
        diner=li, point=kitchen.point, meal=MealKind.LUNCH, starts_on=timezone.localdate()
    )
    with pytest.raises(ValidationError) as refused:
        service.end(owner, li, scope=scope, reason="回老家")
    assert refused.value.message_dict == {"reason": ["李秀英 has a standing order; stop it first."]}
    standing.stopped_at = timezone.now()
    standing.save()
    ended = service.end(owner, li, scope=scope, reason="回老家")
    assert not ended.is_current and service.end_reason(ended) == "回老家"
    with pytest.raises(ValidationError):
        service.update(owner, ended, scope=scope, needs=["soft"])


def test_reveal_writes_the_access_log_and_needs_the_capability_and_a_reason(owner, diners, leader):
    li = diners["li"]
    scope = scope_of(owner)
    service.update(owner, li, scope=scope, health="糖尿病")
    with pytest.raises(ValidationError):
        service.reveal_health(owner, li, scope=scope, reason="看")
    assert not AccessLog.objects.exists()
    assert service.reveal_health(owner, li, scope=scope, reason="核对饮食禁忌") == "糖尿病"
    log = AccessLog.objects.get()
    assert (log.actor, log.resident, log.field, log.reason, log.actor_role) == (
        owner,
        li.resident,
        RevealedField.MEAL_HEALTH,
        "核对饮食禁忌",
        Role.SOCIAL_WORKER,
    )
    with pytest.raises(PermissionDenied):
        service.reveal_health(leader, li, scope=scope_of(leader), reason="核对饮食禁忌")


def test_reveal_outside_the_area_is_refused(outsider, diners):
    with pytest.raises(PermissionDenied):
        service.reveal_health(outsider, diners["li"], scope=scope_of(outsider), reason="核对饮食禁忌")
    assert not AccessLog.objects.exists()


def test_who_sees_which_diners(owner, outsider, street_admin, people, diners):
    assert service.seen_by_staff(scope_of(owner)).count() == 3
    assert service.seen_by_staff(scope_of(street_admin)).count() == 3
    assert service.seen_by_staff(scope_of(outsider)).count() == 0
    assert list(service.visible_to(people.daughter, scope_of(people.daughter))) == [diners["zhao"]]
    assert list(service.visible_to(people.wang_user, scope_of(people.wang_user))) == [diners["wang"]]
    stranger = UserFactory.create(name="路人")
    assert not service.visible_to(stranger, scope_of(stranger)).exists()
    worker = UserFactory.create(name="邻居社工")
    grant(worker, Role.SOCIAL_WORKER, people.far.household.committee)
    assert not service.visible_to(worker, scope_of(worker)).exists()
