"""Shift rules as people meet them: who posts, changes and cancels a shift; who may claim it;
never more than the places; withdrawing before the deadline; handing a place to another
member; each refusal with its own message, and nothing changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from common.scope import NO_SCOPE
from notifications import backends
from notifications.models import Notification
from partners.models import PartnerUnit
from tests.factories import scope_of
from tests.volunteers import shift_fixtures
from tests.volunteers.shift_fixtures import backdate, claim_as, draft, post, tomorrow_at
from volunteers import shift_posting, shifts
from volunteers.models import ClaimStatus, Shift, ShiftClaim

english = shift_fixtures.english
immediate_tasks = shift_fixtures.immediate_tasks
world = shift_fixtures.world


def messages_of(error) -> str:
    return " ".join(error.value.messages)


# --- Posting ---------------------------------------------------------------------------------


def test_staff_post_a_shift_with_a_withdraw_deadline_a_day_before(world, tree):
    shift = post(world.owner)
    assert shift.area == tree.committee and shift.taken == 0 and shift.places == 3
    assert shift.withdraw_until == shift.starts_at - timedelta(hours=24)
    assert shift.created_by == world.owner


def test_a_team_leader_posts_for_their_team_only(world, tree):
    leader = world.leader.user
    made = shift_posting.post_shift(leader, draft(team=world.team), scope=NO_SCOPE)
    assert made.team == world.team and made.area == tree.committee
    with pytest.raises(PermissionDenied):
        shift_posting.post_shift(leader, draft(), scope=NO_SCOPE)  # not for the whole committee
    with pytest.raises(PermissionDenied):
        shift_posting.post_shift(
            world.ming.user, draft(team=world.team), scope=NO_SCOPE
        )  # a member, not a leader


def test_staff_of_another_committee_may_not_post_for_the_team(world, outsider):
    with pytest.raises(PermissionDenied):
        shift_posting.post_shift(outsider, draft(team=world.team), scope=scope_of(outsider))


def test_a_shift_that_has_ended_cannot_be_posted(world):
    start = timezone.now() - timedelta(hours=3)
    with pytest.raises(ValidationError) as error:
        post(world.owner, starts_at=start, ends_at=start + timedelta(hours=2))
    assert "would already have ended" in messages_of(error)
    assert error.value.message_dict.keys() == {"ends_at"}
    assert not Shift.objects.exists()


def test_bad_drafts_say_which_field(world):
    start = tomorrow_at(9)
    with pytest.raises(ValidationError) as error:
        post(
            world.owner,
            title=" ",
            place="",
            starts_at=start,
            ends_at=start - timedelta(hours=1),
            places=0,
            withdraw_until=start + timedelta(hours=1),
        )
    assert error.value.message_dict == {
        "title": ["Say what the shift is (for example: haircut stall)."],
        "place": ["Say where it is."],
        "ends_at": ["It must end after it starts."],
        "places": ["From 1 to 500 people."],
        "withdraw_until": ["Withdrawing must close no later than the start."],
    }
    with pytest.raises(ValidationError) as error:
        post(world.owner, starts_at=start, ends_at=start + timedelta(hours=30))
    assert "at most 24 hours" in messages_of(error)


def test_a_partner_unit_is_chosen_from_the_area_and_the_street_above(world, tree):
    own = PartnerUnit.objects.create(area=tree.committee, name="社区卫生服务中心", kind="clinic")
    street = PartnerUnit.objects.create(area=tree.street, name="大宁消防站", kind="fire_station")
    other = PartnerUnit.objects.create(area=tree.neighbour, name="邻居律所", kind="law_office")
    assert post(world.owner, partner_unit=own).partner_unit == own
    assert post(world.owner, partner_unit=street).partner_unit == street
    with pytest.raises(ValidationError) as error:
        post(world.owner, partner_unit=other)
    assert error.value.message_dict["partner_unit"] == [
        "邻居律所 is not a current partner unit of 延长新村居委会."
    ]


# --- Changing and cancelling -----------------------------------------------------------------


def test_places_cannot_fall_below_the_claims(world):
    shift = post(world.owner, places=3)
    claim_as(world.ming, shift)
    claim_as(world.loner, shift)
    with pytest.raises(ValidationError) as error:
        shift_posting.change_shift(
            world.owner, shift, draft(places=1, starts_at=shift.starts_at), scope=scope_of(world.owner)
        )
    assert error.value.message_dict["places"] == [
        "2 people have already claimed it: it cannot need fewer. Take someone off the roster first."
    ]
    assert Shift.objects.get(pk=shift.pk).places == 3
    shift_posting.change_shift(
        world.owner, shift, draft(places=2, starts_at=shift.starts_at), scope=scope_of(world.owner)
    )
    assert Shift.objects.get(pk=shift.pk).places == 2


def test_moving_a_shift_tells_the_claimers(world):
    shift = post(world.owner)
    claim_as(world.ming, shift)
    later = shift.starts_at + timedelta(hours=1)
    shift_posting.change_shift(world.owner, shift, draft(starts_at=later), scope=scope_of(world.owner))
    assert Notification.objects.filter(user=world.ming.user, title="Shift changed: 理发摊").exists()


def test_cancelling_tells_the_claimers_in_the_app_and_by_sms(world, django_capture_on_commit_callbacks):
    shift = post(world.owner)
    claim_as(world.ming, shift)
    with pytest.raises(ValidationError) as error:
        shift_posting.cancel_shift(world.owner, shift, "  ", scope=scope_of(world.owner))
    assert error.value.message_dict == {"reason": ["Say why it is cancelled: the claimers are told."]}
    with django_capture_on_commit_callbacks(execute=True):
        shift_posting.cancel_shift(world.owner, shift, "下雨", scope=scope_of(world.owner))
    note = Notification.objects.get(user=world.ming.user)
    assert note.title == "Shift cancelled: 理发摊" and "下雨" in note.body
    assert [m.text for m in backends.outbox if m.to == world.ming.user.phone]
    with pytest.raises(ValidationError) as error:
        claim_as(world.hong, shift)
    assert messages_of(error) == "This shift is cancelled."
    with pytest.raises(ValidationError) as error:
        shift_posting.cancel_shift(world.owner, shift, "again", scope=scope_of(world.owner))
    assert messages_of(error) == "This shift is already cancelled."


def test_a_member_may_not_change_or_cancel(world):
    shift = post(world.owner, team=world.team)
    with pytest.raises(PermissionDenied):
        shift_posting.cancel_shift(world.ming.user, shift, "no", scope=NO_SCOPE)
    shift_posting.cancel_shift(world.leader.user, shift, "队长有事", scope=NO_SCOPE)


# --- Claiming ----------------------------------------------------------------------------------


def test_never_more_than_the_places(world):
    shift = post(world.owner, places=2)
    claim_as(world.ming, shift)
    claim_as(world.hong, shift)
    with pytest.raises(ValidationError) as error:
        claim_as(world.loner, shift)
    assert messages_of(error) == "All 2 places of this shift are taken."
    assert Shift.objects.get(pk=shift.pk).taken == 2
    assert ShiftClaim.objects.filter(shift=shift).count() == 2


def test_claiming_twice_is_refused(world):
    shift = post(world.owner)
    claim_as(world.ming, shift)
    with pytest.raises(ValidationError) as error:
        claim_as(world.ming, shift)
    assert messages_of(error) == "小明 has already claimed this shift."
    assert Shift.objects.get(pk=shift.pk).taken == 1


def test_who_may_claim(world, resident):
    team_shift = post(world.owner, team=world.team)
    with pytest.raises(ValidationError) as error:
        claim_as(world.loner, team_shift)
    assert messages_of(error) == "This shift is for members of 民心在线."
    open_shift = post(world.owner, starts_at=tomorrow_at(9, days=5))
    with pytest.raises(ValidationError) as error:
        claim_as(world.far, open_shift)
    assert messages_of(error) == "This shift is for volunteers of 延长新村居委会."
    with pytest.raises(PermissionDenied) as refused:
        shifts.claim(resident, open_shift, scope=NO_SCOPE)
    assert "Only registered volunteers claim shifts" in str(refused.value)
    claim_as(world.ming, team_shift)
    claim_as(world.loner, open_shift)


def test_a_shift_that_ended_cannot_be_claimed(world):
    shift = backdate(post(world.owner), starts=-timedelta(hours=3))
    with pytest.raises(ValidationError) as error:
        claim_as(world.ming, shift)
    assert messages_of(error).startswith("This shift ended at ")
    assert messages_of(error).endswith("; it can no longer be claimed.")


def test_overlapping_shifts_cannot_both_be_claimed(world):
    first = post(world.owner, title="量血压", starts_at=tomorrow_at(9))
    second = post(world.owner, title="理发摊", starts_at=tomorrow_at(10))
    claim_as(world.ming, first)
    with pytest.raises(ValidationError) as error:
        claim_as(world.ming, second)
    assert "It overlaps 小明's shift “量血压”" in messages_of(error)
    assert Shift.objects.get(pk=second.pk).taken == 0
    # Back to back is not an overlap.
    claim_as(world.ming, post(world.owner, title="送餐", starts_at=tomorrow_at(11)))


def test_a_volunteer_who_left_may_not_claim(world):
    shift = post(world.owner)
    world.ming.left_at = timezone.now()
    world.ming.save()
    with pytest.raises(ValidationError) as error:
        claim_as(world.ming, shift)
    assert messages_of(error) == "You are no longer registered as a volunteer."


def test_staff_put_a_volunteer_without_a_phone_on_a_shift(world, tree):
    elderly = shift_fixtures.volunteer(tree.committee, "不用手机的张阿姨", account=False)
    shift = post(world.owner)
    made = shifts.claim(world.owner, shift, scope=scope_of(world.owner), volunteer=elderly)
    assert made.volunteer == elderly and made.marked_by == world.owner
    with pytest.raises(PermissionDenied):
        shifts.claim(world.ming.user, shift, scope=NO_SCOPE, volunteer=world.hong)


# --- Withdrawing ------------------------------------------------------------------------------


def test_withdrawing_before_the_deadline_frees_the_place(world):
    shift = post(world.owner, places=1)
    claim = claim_as(world.ming, shift)
    shifts.withdraw(world.ming.user, claim, scope=NO_SCOPE)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.WITHDRAWN and claim.ended_at is not None
    assert Shift.objects.get(pk=shift.pk).taken == 0
    claim_as(world.hong, shift)  # the place is free again
    claim_as(world.ming, post(world.owner, starts_at=tomorrow_at(14, days=3)))


def test_after_the_deadline_only_the_leader_or_staff_take_someone_off(world):
    shift = backdate(post(world.owner, team=world.team), starts=timedelta(hours=3))
    claim = claim_as(world.ming, shift)
    with pytest.raises(ValidationError) as error:
        shifts.withdraw(world.ming.user, claim, scope=NO_SCOPE)
    assert "Withdrawing closed at" in messages_of(error)
    assert "Ask the team leader or the committee to take you off." in messages_of(error)
    with pytest.raises(PermissionDenied):
        shifts.withdraw(world.hong.user, claim, scope=NO_SCOPE)
    shifts.withdraw(world.leader.user, claim, scope=NO_SCOPE)
    assert ShiftClaim.objects.get(pk=claim.pk).status == ClaimStatus.WITHDRAWN
    assert Notification.objects.filter(user=world.ming.user, title="You are off a shift: 理发摊").exists()


# --- Handing over -----------------------------------------------------------------------------


def test_a_member_hands_their_place_to_another_member(world):
    shift = post(world.owner, team=world.team, places=1)
    old = claim_as(world.ming, shift)
    new = shifts.swap(world.ming.user, old, world.hong, scope=NO_SCOPE)
    old.refresh_from_db()
    assert old.status == ClaimStatus.SWAPPED and new.swapped_from == old and new.volunteer == world.hong
    assert Shift.objects.get(pk=shift.pk).taken == 1
    assert Notification.objects.filter(user=world.hong.user, title="A shift handed to you: 理发摊").exists()
    assert Notification.objects.filter(
        user=world.ming.user, title="Your shift is handed over: 理发摊"
    ).exists()


def test_handing_over_is_refused_with_reasons(world):
    team_shift = post(world.owner, team=world.team)
    claim = claim_as(world.ming, team_shift)
    with pytest.raises(ValidationError) as error:
        shifts.swap(world.ming.user, claim, world.loner, scope=NO_SCOPE)
    assert error.value.message_dict == {"to": ["This shift is for members of 民心在线."]}
    claim_as(world.hong, team_shift)
    with pytest.raises(ValidationError) as error:
        shifts.swap(world.ming.user, claim, world.hong, scope=NO_SCOPE)
    assert error.value.message_dict == {"to": ["小红 has already claimed this shift."]}
    with pytest.raises(PermissionDenied):
        shifts.swap(world.hong.user, claim, world.leader, scope=NO_SCOPE)
    open_shift = post(world.owner, starts_at=tomorrow_at(9, days=6))
    other = claim_as(world.loner, open_shift)
    with pytest.raises(ValidationError) as error:
        shifts.swap(world.loner.user, other, world.ming, scope=NO_SCOPE)
    assert messages_of(error) == "Only a team's shift is handed to another member; withdraw instead."
    assert ShiftClaim.objects.get(pk=claim.pk).status == ClaimStatus.CLAIMED
