"""Ordering: who may order, every refusal (specific, nothing changed), places counted, money
fixed when ordered, clashes flagged, cancellation, payments and the counter."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from meals import ordering
from meals.models import MealService, Mode, Order, OrderedVia, OrderStatus, OrderSubsidy, PaidHow
from notifications.models import Notification
from tests.factories import scope_of


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), timezone.get_current_timezone())


def counts():
    return (
        Order.objects.count(),
        OrderSubsidy.objects.count(),
        sum(MealService.objects.values_list("taken", flat=True)),
    )


def refused(field, call) -> str:
    before = counts()
    with pytest.raises(ValidationError) as caught:
        call()
    assert counts() == before
    return " ".join(caught.value.message_dict[field])


def test_a_resident_orders_for_themself(people, kitchen, diners):
    wang = diners["wang"]
    made = ordering.order(
        wang, kitchen.set_meal(tomorrow()), mode=Mode.EAT_IN, by=people.wang_user, scope=None
    )
    assert made.ordered_via == OrderedVia.SELF and made.ordered_by == people.wang_user
    assert (made.price, made.subsidy, made.pays) == (Decimal("20.00"), Decimal("0"), Decimal("20.00"))
    service = MealService.objects.get(point=kitchen.point, day=tomorrow(), meal="lunch")
    assert (service.places, service.taken) == (300, 1)
    assert not Notification.objects.exists()  # nobody else to tell


def test_the_daughter_orders_priced_with_subsidies_and_the_father_is_not_told_without_account(
    people, kitchen, diners, rules
):
    zhao = diners["zhao"]
    made = ordering.order(
        zhao, kitchen.set_meal(tomorrow()), mode=Mode.DELIVERED, by=people.daughter, scope=None
    )
    assert made.ordered_via == OrderedVia.FAMILY
    assert made.subsidy == Decimal("8.00") and made.pays == Decimal("12.00")
    line = OrderSubsidy.objects.get(order=made)
    assert (line.rule, line.funder, line.amount, line.void) == (
        rules["aged"],
        "区民政局",
        Decimal("8.00"),
        False,
    )


def test_staff_on_the_phone_and_the_diner_is_told(people, kitchen, diners, owner):
    made = ordering.order(
        diners["wang"],
        kitchen.set_meal(tomorrow(), "B"),
        mode=Mode.TAKE_AWAY,
        by=owner,
        scope=scope_of(owner),
        via=OrderedVia.PHONE,
    )
    assert made.ordered_via == OrderedVia.PHONE
    note = Notification.objects.get(user=people.wang_user)
    assert "王建国" in note.title and note.url == "/meals/mine/"


def test_the_building_leader_orders_for_his_group_only(people, kitchen, diners, leader):
    made = ordering.order(
        diners["zhao"], kitchen.set_meal(tomorrow()), mode=Mode.DELIVERED, by=leader, scope=scope_of(leader)
    )
    assert made.ordered_via == OrderedVia.LEADER
    assert Notification.objects.filter(user=people.daughter).exists()  # the family hears of it
    with pytest.raises(PermissionDenied):
        ordering.order(
            diners["wang"], kitchen.set_meal(tomorrow()), mode=Mode.EAT_IN, by=leader, scope=scope_of(leader)
        )


def test_strangers_and_other_committees_staff_may_not(people, kitchen, diners, outsider):
    with pytest.raises(PermissionDenied):
        ordering.order(
            diners["wang"], kitchen.set_meal(tomorrow()), mode=Mode.EAT_IN, by=people.li_user, scope=None
        )
    with pytest.raises(PermissionDenied):
        ordering.order(
            diners["wang"],
            kitchen.set_meal(tomorrow()),
            mode=Mode.EAT_IN,
            by=outsider,
            scope=scope_of(outsider),
        )
    assert not Order.objects.exists()


def test_after_the_cutoff_says_the_cutoff(people, kitchen, diners):
    day = tomorrow()
    with time_machine.travel(at(day, 9, 31), tick=False):
        text = refused(
            "set_meal",
            lambda: ordering.order(
                diners["wang"], kitchen.set_meal(day), mode=Mode.EAT_IN, by=people.wang_user, scope=None
            ),
        )
    assert "9:30" in text and "Lunch" in text


def test_breakfast_closes_the_evening_before(people, kitchen, diners):
    day = tomorrow()
    with time_machine.travel(at(timezone.localdate(), 17, 1), tick=False):
        text = refused(
            "set_meal",
            lambda: ordering.order(
                diners["wang"],
                kitchen.set_meal(day, "早", "breakfast"),
                mode=Mode.EAT_IN,
                by=people.wang_user,
                scope=None,
            ),
        )
    assert "17:00" in text


def test_paused_point_says_why(people, kitchen, diners):
    kitchen.point.paused_at, kitchen.point.pause_reason = timezone.now(), "厨房检修"
    kitchen.point.save()
    text = refused(
        "set_meal",
        lambda: ordering.order(
            diners["wang"], kitchen.set_meal(tomorrow()), mode=Mode.EAT_IN, by=people.wang_user, scope=None
        ),
    )
    assert "厨房检修" in text


def test_unpublished_menu_undelivered_meal_ended_diner(people, kitchen, diners):
    set_meal = kitchen.set_meal(tomorrow())
    menu = set_meal.menu
    menu.published_at = None
    menu.save()
    assert "published" in refused(
        "set_meal",
        lambda: ordering.order(diners["wang"], set_meal, mode=Mode.EAT_IN, by=people.wang_user, scope=None),
    )
    menu.published_at = timezone.now()
    menu.save()
    breakfast = kitchen.set_meal(tomorrow() + timedelta(days=1), "早", "breakfast")
    assert "deliver" in refused(
        "mode",
        lambda: ordering.order(
            diners["wang"], breakfast, mode=Mode.DELIVERED, by=people.wang_user, scope=None
        ),
    )
    wang = diners["wang"]
    wang.ended_at = timezone.now()
    wang.save()
    assert "no longer registered" in refused(
        "diner", lambda: ordering.order(wang, set_meal, mode=Mode.EAT_IN, by=people.wang_user, scope=None)
    )


def test_a_meal_the_point_does_not_serve(people, kitchen, diners):
    kitchen.breakfast.delete()
    breakfast = kitchen.set_meal(tomorrow() + timedelta(days=1), "早", "breakfast")
    assert "does not serve" in refused(
        "set_meal",
        lambda: ordering.order(diners["wang"], breakfast, mode=Mode.EAT_IN, by=people.wang_user, scope=None),
    )


def test_twice_the_same_meal_is_refused(people, kitchen, diners):
    ordering.order(
        diners["wang"], kitchen.set_meal(tomorrow()), mode=Mode.EAT_IN, by=people.wang_user, scope=None
    )
    text = refused(
        "set_meal",
        lambda: ordering.order(
            diners["wang"],
            kitchen.set_meal(tomorrow(), "B"),
            mode=Mode.EAT_IN,
            by=people.wang_user,
            scope=None,
        ),
    )
    assert "already has" in text and "(A)" in text


def test_full_says_how_many_places(people, kitchen, diners):
    kitchen.lunch.places = 1
    kitchen.lunch.save()
    ordering.order(
        diners["wang"], kitchen.set_meal(tomorrow()), mode=Mode.EAT_IN, by=people.wang_user, scope=None
    )
    text = refused(
        "set_meal",
        lambda: ordering.order(
            diners["li"], kitchen.set_meal(tomorrow()), mode=Mode.EAT_IN, by=people.li_user, scope=None
        ),
    )
    assert text.startswith("All 1 places for Lunch on")


def test_clash_is_kept_and_returned_not_refused(people, kitchen, diners):
    made = ordering.order(
        diners["li"], kitchen.set_meal(tomorrow(), "B"), mode=Mode.EAT_IN, by=people.li_user, scope=None
    )
    assert "清蒸鱼" in made.clashes and made.has_clashes


def test_cancel_gives_the_place_back_and_voids_the_subsidy(people, kitchen, diners, rules):
    made = ordering.order(
        diners["zhao"], kitchen.set_meal(tomorrow()), mode=Mode.DELIVERED, by=people.daughter, scope=None
    )
    ordering.cancel(made, by=people.daughter, scope=None)
    made.refresh_from_db()
    assert made.is_cancelled and made.cancelled_by == people.daughter
    assert MealService.objects.get().taken == 0
    assert list(OrderSubsidy.objects.values_list("void", flat=True)) == [True]
    # ordering again is fine, and the cap counts only live lines
    again = ordering.order(
        diners["zhao"], kitchen.set_meal(tomorrow()), mode=Mode.DELIVERED, by=people.daughter, scope=None
    )
    assert again.subsidy == Decimal("8.00")


def test_cancel_after_the_cutoff_is_refused(people, kitchen, diners):
    made = ordering.order(
        diners["wang"], kitchen.set_meal(tomorrow()), mode=Mode.EAT_IN, by=people.wang_user, scope=None
    )
    with time_machine.travel(at(tomorrow(), 9, 45), tick=False), pytest.raises(ValidationError) as caught:
        ordering.cancel(made, by=people.wang_user, scope=None)
    assert "9:30" in str(caught.value)
    assert MealService.objects.get().taken == 1


def test_the_check_refuses_a_raw_update_past_the_places(kitchen):
    service = MealService.objects.create(point=kitchen.point, day=tomorrow(), meal="lunch", places=2)
    MealService.objects.filter(pk=service.pk).update(taken=2)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE meals_mealservice SET taken = taken + 1 WHERE id = %s", [service.pk])


def test_payments(people, kitchen, diners, owner, rules):
    scope = scope_of(owner)
    made = ordering.order(
        diners["wang"], kitchen.set_meal(tomorrow()), mode=Mode.EAT_IN, by=people.wang_user, scope=None
    )
    with pytest.raises(ValidationError) as caught:
        ordering.record_payment(made, how=PaidHow.TRANSFER, reference=" ", by=owner, scope=scope)
    assert "payment_ref" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        ordering.record_payment(made, how=PaidHow.CASH, by=people.wang_user, scope=None)
    paid = ordering.record_payment(
        made, how=PaidHow.TRANSFER, reference="WX20261208001", by=owner, scope=scope
    )
    assert paid.is_paid and paid.payment_ref == "WX20261208001"
    with pytest.raises(ValidationError):
        ordering.record_payment(made, how=PaidHow.CASH, by=owner, scope=scope)


def test_nothing_due_when_the_subsidy_covers_the_price(people, kitchen, diners, owner, rules):
    # breakfast is 5 yuan: the 80+ subsidy of 8 yuan covers it
    made = ordering.order(
        diners["zhao"],
        kitchen.set_meal(tomorrow() + timedelta(days=1), "早", "breakfast"),
        mode=Mode.EAT_IN,
        by=people.daughter,
        scope=None,
    )
    assert made.pays == 0
    paid = ordering.record_payment(made, how=PaidHow.CASH, by=owner, scope=scope_of(owner))
    assert paid.paid_how == PaidHow.NOTHING_DUE


def test_served_and_not_collected_at_the_counter(people, kitchen, diners, owner):
    scope = scope_of(owner)
    day = timezone.localdate()
    with time_machine.travel(at(day, 8, 0), tick=False):
        one = ordering.order(
            diners["wang"], kitchen.set_meal(day), mode=Mode.EAT_IN, by=people.wang_user, scope=None
        )
        two = ordering.order(
            diners["li"], kitchen.set_meal(day), mode=Mode.TAKE_AWAY, by=people.li_user, scope=None
        )
        three = ordering.order(
            diners["zhao"], kitchen.set_meal(day), mode=Mode.DELIVERED, by=people.daughter, scope=None
        )
    with time_machine.travel(at(day, 11, 30), tick=False):
        assert ordering.mark_served(one, by=owner, scope=scope).status == OrderStatus.SERVED
        assert ordering.mark_not_collected(two, by=owner, scope=scope).status == OrderStatus.NOT_COLLECTED
        with pytest.raises(ValidationError):
            ordering.mark_served(three, by=owner, scope=scope)
        with pytest.raises(ValidationError):
            ordering.mark_served(one, by=owner, scope=scope)


def test_next_sittings(kitchen):
    day = tomorrow()
    with time_machine.travel(at(timezone.localdate(), 15, 0), tick=False):
        sittings = ordering.next_sittings(kitchen.point)
    assert [(s.day, s.meal) for s in sittings] == [(day, "breakfast"), (day, "lunch")]
    assert [m.label for m in sittings[1].set_meals] == ["A", "B"]
    with time_machine.travel(at(timezone.localdate(), 8, 0), tick=False):
        sittings = ordering.next_sittings(kitchen.point)
    assert [(s.day, s.meal) for s in sittings] == [(timezone.localdate(), "lunch")]
