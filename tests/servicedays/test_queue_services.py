"""The queue at a stall: numbers on a phone and on paper from one sequence, the refusals,
calling the lowest waiting number, recall, served, absent, and how many are ahead."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from servicedays import planning, queue, selectors
from servicedays.models import Stall, Ticket
from tests.factories import UserFactory, grant, scope_of
from tests.servicedays.conftest import opened
from volunteers.models import Shift, ShiftClaim, Volunteer

pytestmark = pytest.mark.django_db


def test_a_stall_not_yet_open_refuses_a_number_and_nothing_changes(haircut, people):
    with pytest.raises(ValidationError) as refused:
        queue.take_number(people.wang_user, haircut)
    assert "理发 is not open yet" in refused.value.messages[0]
    haircut.refresh_from_db()
    assert haircut.last_number == 0 and not Ticket.objects.exists()


def test_a_closed_stall_and_a_cancelled_day_refuse_with_their_reason(owner, published, haircut, people):
    opened(owner, haircut)
    queue.close_stall(owner, haircut, scope=scope_of(owner))
    with pytest.raises(ValidationError) as closed:
        queue.take_number(people.wang_user, haircut)
    assert "理发 is closed" in closed.value.messages[0]
    planning.cancel_day(published, "下雨", scope=scope_of(owner))
    with pytest.raises(ValidationError) as cancelled:
        queue.hand_out_paper(owner, haircut, scope=scope_of(owner))
    assert "cancelled: 下雨" in cancelled.value.messages[0]


def test_phone_and_paper_numbers_share_one_sequence(owner, haircut, people):
    opened(owner, haircut)
    first = queue.take_number(people.wang_user, haircut)
    paper = queue.hand_out_paper(owner, haircut, scope=scope_of(owner))
    third = queue.take_number(people.li_user, haircut)
    assert (first.number, paper.number, third.number) == (1, 2, 3)
    assert paper.paper and paper.user is None and first.resident == people.wang


def test_one_live_number_per_person_per_stall(owner, haircut, people):
    opened(owner, haircut)
    mine = queue.take_number(people.wang_user, haircut)
    with pytest.raises(ValidationError) as twice:
        queue.take_number(people.wang_user, haircut)
    assert "already have number 1 at 理发" in twice.value.messages[0]
    haircut.refresh_from_db()
    assert haircut.last_number == 1  # the refused number was not used up
    queue.give_up(people.wang_user, mine)
    assert queue.take_number(people.wang_user, haircut).number == 2


def test_a_full_stall_says_so(owner, haircut, people):
    planning.change_stall(
        haircut, planning.StallDraft(name="理发", staff_names="甲", max_tickets=1), scope=scope_of(owner)
    )
    opened(owner, haircut)
    queue.hand_out_paper(owner, haircut, scope=scope_of(owner))
    with pytest.raises(ValidationError) as full:
        queue.take_number(people.wang_user, haircut)
    assert "All 1 numbers of 理发 have been handed out" in full.value.messages[0]


def test_residents_of_another_committee_take_no_number(owner, haircut, people):
    opened(owner, haircut)
    with pytest.raises(PermissionDenied):
        queue.take_number(people.far_user, haircut)


def test_call_next_calls_the_lowest_waiting_number_and_the_resident_sees_who_is_ahead(owner, haircut, people):
    opened(owner, haircut)
    scope = scope_of(owner)
    paper = queue.hand_out_paper(owner, haircut, scope=scope)
    wang = queue.take_number(people.wang_user, haircut)
    li = queue.take_number(people.li_user, haircut)
    assert selectors.ahead_of(li) == 2
    called = queue.call_next(owner, haircut, scope=scope)
    assert called.pk == paper.pk
    assert selectors.ahead_of(Ticket.objects.get(pk=li.pk)) == 1
    queue.give_up(people.wang_user, wang)
    assert selectors.ahead_of(Ticket.objects.get(pk=li.pk)) == 0
    assert queue.call_next(owner, haircut, scope=scope).pk == li.pk
    with pytest.raises(ValidationError) as nobody:
        queue.call_next(owner, haircut, scope=scope)
    assert "Nobody is waiting" in nobody.value.messages[0]


def test_recall_served_and_absent_keep_their_moments(owner, haircut, people):
    opened(owner, haircut)
    scope = scope_of(owner)
    ticket = queue.take_number(people.wang_user, haircut)
    with pytest.raises(ValidationError):
        queue.mark_served(owner, ticket, scope=scope)  # not called yet
    queue.call_next(owner, haircut, scope=scope)
    absent = queue.mark_absent(owner, ticket, scope=scope)
    assert absent.is_absent and absent.called_at is not None
    back = queue.recall(owner, ticket, scope=scope)
    assert back.recalled_at is not None and back.absent_at is None and back.called_at == absent.called_at
    served = queue.mark_served(owner, ticket, scope=scope)
    assert served.is_served and not served.is_live
    with pytest.raises(ValidationError):
        queue.recall(owner, ticket, scope=scope)


def test_the_console_is_open_to_the_volunteers_on_the_stalls_shift_only(owner, tree, haircut, people):
    shift = Shift.objects.create(
        area=tree.committee,
        title="理发岗",
        place="一号服务点",
        starts_at=haircut.service_day.starts_at,
        ends_at=haircut.service_day.ends_at,
        places=2,
        taken=1,
        withdraw_until=haircut.service_day.starts_at,
    )
    Stall.objects.filter(pk=haircut.pk).update(shift=shift)
    haircut.refresh_from_db()
    helper = UserFactory.create(name="志愿者小张", home_area=tree.committee)
    grant(helper, Role.VOLUNTEER, tree.committee)
    with pytest.raises(PermissionDenied):
        queue.open_stall(helper, haircut, scope=scope_of(helper))
    volunteer = Volunteer.objects.create(committee=tree.committee, name="小张", user=helper, kind="resident")
    ShiftClaim.objects.create(shift=shift, volunteer=volunteer)
    opened(owner, haircut)
    queue.hand_out_paper(helper, haircut, scope=scope_of(helper))
    assert queue.call_next(helper, haircut, scope=scope_of(helper)).number == 1
    with pytest.raises(PermissionDenied):
        queue.call_next(people.wang_user, haircut, scope=scope_of(people.wang_user))
