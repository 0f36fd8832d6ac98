"""The queue, lending, renewing and taking back, through the services: first in the queue is
served, refusals say why and change nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from aids import holds, inventory, lending
from aids.models import Condition, Hold, HoldStatus, Loan
from notifications.models import Notification
from registry.models import ResidentTag, Tag
from tests.aids.conftest import add, make_kind
from tests.factories import household, id_number, resident, scope_of


def ask(user, kind, person, by=None):
    return holds.ask(by or user, kind, person, scope=scope_of(by or user))


def test_asking_sets_a_free_item_aside_and_tells_the_resident(people, wheelchairs):
    kind, items = wheelchairs
    hold = ask(people.wang_user, kind, people.wang)
    assert hold.is_ready
    assert hold.item == items[0]
    assert hold.expires_at == hold.ready_at + timedelta(days=3)
    told = Notification.objects.get(user=people.wang_user)
    assert "轮椅 is set aside for you" in told.title
    assert "延长新村服务站" in told.body


def test_the_queue_is_served_in_order_and_a_cancel_frees_the_item_for_the_next(owner, people, wheelchairs):
    kind, items = wheelchairs
    first = ask(people.wang_user, kind, people.wang)
    second = ask(people.li_user, kind, people.li)
    third = ask(people.daughter, kind, people.zhao)  # his daughter asks for him
    assert [first.status, second.status, third.status] == [HoldStatus.READY] * 2 + [HoldStatus.WAITING]
    holds.cancel(people.li_user, second, scope=scope_of(people.li_user))
    third.refresh_from_db()
    assert third.is_ready and third.item == items[1]
    # Told through his daughter, the message saying whom it is about.
    assert Notification.objects.filter(user=people.daughter, title__startswith="About 赵老伯").exists()


def test_an_ineligible_resident_is_refused_with_the_reason_and_nothing_changes(owner, tree, wheelchairs):
    kind, _items = wheelchairs
    young = resident(household(tree.building, "402"), "小周", number=id_number("1995-04-01"))
    with pytest.raises(ValidationError) as refused:
        ask(owner, kind, young)
    assert refused.value.message_dict["resident"] == [
        "轮椅 is lent to residents aged 60 or over, or residents tagged With a disability; "
        "小周 is not (31 years old)."
    ]
    assert not Hold.objects.exists()


def test_a_tag_is_enough_when_the_age_is_not(owner, tree, wheelchairs):
    kind, _items = wheelchairs
    young = resident(household(tree.building, "402"), "小周", number=id_number("1995-04-01"))
    ResidentTag.objects.create(resident=young, tag=Tag.DISABLED)
    assert ask(owner, kind, young).is_ready


def test_one_open_request_per_person_and_kind(people, wheelchairs):
    kind, _items = wheelchairs
    ask(people.wang_user, kind, people.wang)
    with pytest.raises(ValidationError) as refused:
        ask(people.wang_user, kind, people.wang)
    assert "王建国 is already in the queue for 轮椅" in str(refused.value)
    assert Hold.objects.count() == 1


def test_only_oneself_family_or_staff_ask(people, wheelchairs):
    kind, _items = wheelchairs
    with pytest.raises(PermissionDenied):
        ask(people.wang_user, kind, people.zhao)


def test_a_kind_that_needs_approval_waits_for_staff(owner, people, site):
    beds = make_kind(owner, "护理床", needs_approval=True)
    add(owner, beds, "HC-01", site)
    hold = ask(people.wang_user, beds, people.wang)
    assert hold.is_approval and hold.item is None
    made = holds.approve(owner, hold, scope=scope_of(owner))
    assert made.is_ready
    other = ask(people.li_user, beds, people.li)
    holds.decline(owner, other, scope=scope_of(owner), reason="已有家属提供")
    other.refresh_from_db()
    assert other.status == HoldStatus.DECLINED
    assert Notification.objects.filter(user=people.li_user, body="已有家属提供").exists()


def test_staff_asking_for_a_resident_need_no_approval(owner, people, site):
    beds = make_kind(owner, "护理床", needs_approval=True)
    add(owner, beds, "HC-01", site)
    assert ask(owner, beds, people.zhao).is_ready


def test_lending_the_set_aside_item_collects_the_hold(owner, people, wheelchairs):
    kind, items = wheelchairs
    hold = ask(people.wang_user, kind, people.wang)
    loan = lending.lend(owner, items[0], people.wang, scope=scope_of(owner), notes="左刹车偏松")
    hold.refresh_from_db()
    assert hold.status == HoldStatus.COLLECTED and loan.hold == hold
    assert loan.due_on == timezone.localdate() + timedelta(days=30)
    assert loan.deposit == Decimal("200.00") and loan.condition_out == Condition.GOOD


def test_lending_an_item_already_out_is_refused_naming_the_borrower(owner, people, wheelchairs):
    _kind, items = wheelchairs
    lending.lend(owner, items[0], people.wang, scope=scope_of(owner))
    with pytest.raises(ValidationError) as refused:
        lending.lend(owner, items[0], people.li, scope=scope_of(owner))
    assert "轮椅 LY-01 is already lent, to 王建国" in str(refused.value)
    assert Loan.objects.count() == 1


def test_the_database_refuses_a_second_open_loan_of_one_item(owner, people, wheelchairs):
    _kind, items = wheelchairs
    first = lending.lend(owner, items[0], people.wang, scope=scope_of(owner))
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(
            item=items[0], resident=people.li, due_on=first.due_on, condition_out=Condition.GOOD
        )


def test_an_item_set_aside_for_someone_else_is_not_lent(owner, people, wheelchairs):
    kind, items = wheelchairs
    ask(people.wang_user, kind, people.wang)
    with pytest.raises(ValidationError) as refused:
        lending.lend(owner, items[0], people.li, scope=scope_of(owner))
    assert "轮椅 LY-01 is set aside for 王建国" in str(refused.value)


def test_a_free_item_is_not_lent_past_people_waiting(owner, people, wheelchairs):
    kind, items = wheelchairs
    lending.lend(owner, items[0], people.sun, scope=scope_of(owner))
    lending.lend(owner, items[1], people.li, scope=scope_of(owner))
    ask(people.wang_user, kind, people.wang)  # waits: none free
    back = Loan.objects.get(item=items[1])
    lending.take_back(owner, back, scope=scope_of(owner), condition=Condition.GOOD)
    # LY-02 came back and went to 王建国, the first waiting; 赵老伯 has no hold.
    with pytest.raises(ValidationError) as refused:
        lending.lend(owner, items[1], people.zhao, scope=scope_of(owner))
    assert "set aside for 王建国" in str(refused.value)


def test_an_ineligible_resident_is_not_lent_to(owner, tree, wheelchairs):
    _kind, items = wheelchairs
    young = resident(household(tree.building, "402"), "小周", number=id_number("1995-04-01"))
    with pytest.raises(ValidationError) as refused:
        lending.lend(owner, items[0], young, scope=scope_of(owner))
    assert "小周 is not (31 years old)" in str(refused.value)
    assert not Loan.objects.exists()


def test_returning_an_item_not_lent_is_refused(owner, people, wheelchairs):
    _kind, items = wheelchairs
    loan = lending.lend(owner, items[0], people.wang, scope=scope_of(owner))
    lending.take_back(owner, loan, scope=scope_of(owner), condition=Condition.GOOD)
    with pytest.raises(ValidationError) as refused:
        lending.take_back(owner, loan, scope=scope_of(owner), condition=Condition.FAIR)
    assert "轮椅 LY-01 is not out: it came back on" in str(refused.value)
    loan.refresh_from_db()
    assert loan.condition_back == Condition.GOOD


def test_back_needing_repair_is_out_of_service_until_mended(owner, people, wheelchairs):
    kind, items = wheelchairs
    lending.lend(owner, items[0], people.sun, scope=scope_of(owner))
    lending.lend(owner, items[1], people.li, scope=scope_of(owner))
    waiting = ask(people.wang_user, kind, people.wang)
    loan = Loan.objects.get(item=items[0])
    back = lending.take_back(
        owner,
        loan,
        scope=scope_of(owner),
        condition=Condition.NEEDS_REPAIR,
        notes="右轮辐条断了",
        deposit_returned=Decimal("150"),
    )
    assert back.deposit_returned == Decimal("150.00")
    items[0].refresh_from_db()
    assert items[0].needs_repair and items[0].notes == "右轮辐条断了"
    waiting.refresh_from_db()
    assert waiting.is_waiting
    inventory.set_condition(items[0], Condition.GOOD, scope=scope_of(owner), note="换了辐条")
    waiting.refresh_from_db()
    assert waiting.is_ready and waiting.item == items[0]


def test_keeping_part_of_the_deposit_needs_a_note(owner, people, wheelchairs):
    _kind, items = wheelchairs
    loan = lending.lend(owner, items[0], people.wang, scope=scope_of(owner))
    with pytest.raises(ValidationError) as refused:
        lending.take_back(
            owner, loan, scope=scope_of(owner), condition=Condition.FAIR, deposit_returned=Decimal("100")
        )
    assert refused.value.message_dict == {"notes": ["Keeping part of the deposit: say why in the notes."]}
    loan.refresh_from_db()
    assert loan.is_out


def test_renewals_up_to_the_policy_and_never_past_people_waiting(owner, people, wheelchairs):
    kind, items = wheelchairs
    loan = lending.lend(owner, items[0], people.wang, scope=scope_of(owner))
    due = loan.due_on
    renewed = lending.renew(people.wang_user, loan, scope=scope_of(people.wang_user))
    assert renewed.due_on == due + timedelta(days=30) and renewed.renewals == 1
    with pytest.raises(ValidationError) as refused:
        lending.renew(owner, loan, scope=scope_of(owner))
    assert refused.value.message_dict == {"renewals": ["轮椅 may be renewed 1 times; this loan has been."]}
    other = lending.lend(owner, items[1], people.li, scope=scope_of(owner))
    ask(people.daughter, kind, people.zhao)
    with pytest.raises(ValidationError) as waiting:
        lending.renew(owner, other, scope=scope_of(owner))
    assert "1 people are waiting for 轮椅" in str(waiting.value)
    other.refresh_from_db()
    assert other.renewals == 0


def test_a_hold_not_collected_expires_and_the_next_is_served(owner, people, wheelchairs):
    kind, items = wheelchairs
    lending.lend(owner, items[1], people.sun, scope=scope_of(owner))
    first = ask(people.wang_user, kind, people.wang)
    second = ask(people.li_user, kind, people.li)
    assert first.is_ready and second.is_waiting
    assert holds.expire_due(timezone.now()) == 0
    assert holds.expire_due(first.expires_at + timedelta(minutes=1)) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == HoldStatus.EXPIRED
    assert second.is_ready and second.item == items[0]


def test_another_committees_staff_may_not_lend(outsider, people, wheelchairs):
    _kind, items = wheelchairs
    with pytest.raises(PermissionDenied):
        lending.lend(outsider, items[0], people.wang, scope=scope_of(outsider))


def test_a_streets_kind_is_lent_by_its_committees_staff(owner, street_admin, people, tree):
    beds = make_kind(street_admin, "护理床", area=tree.street, min_age=None, tags=())
    bed = add(street_admin, beds, "JD-01")
    loan = lending.lend(owner, bed, people.wang, scope=scope_of(owner))
    assert loan.is_out
    with pytest.raises(PermissionDenied):
        inventory.change_kind(
            beds, inventory.KindDraft(name="病床", category="hospital_bed"), scope=scope_of(owner)
        )


def test_sending_a_set_aside_item_to_repair_puts_the_hold_back_in_the_queue(owner, people, wheelchairs):
    kind, items = wheelchairs
    lending.lend(owner, items[1], people.sun, scope=scope_of(owner))
    hold = ask(people.wang_user, kind, people.wang)
    inventory.set_condition(items[0], Condition.NEEDS_REPAIR, scope=scope_of(owner), note="漏气")
    hold.refresh_from_db()
    assert hold.is_waiting and hold.item is None


def test_a_lent_item_is_not_retired(owner, people, wheelchairs):
    _kind, items = wheelchairs
    lending.lend(owner, items[0], people.wang, scope=scope_of(owner))
    with pytest.raises(ValidationError) as refused:
        inventory.set_condition(items[0], Condition.RETIRED, scope=scope_of(owner))
    assert "is lent to 王建国" in str(refused.value)
