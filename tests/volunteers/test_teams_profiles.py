"""Becoming a volunteer: from a resident's account, with a phone code (people who do not live
here), or by staff; and the phone code's own rules (expiry, tries, resend)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User
from notifications import backends, phone_codes
from notifications.models import PhoneCode
from tests.factories import UserFactory, scope_of
from tests.volunteers.conftest import last_code
from volunteers import profiles
from volunteers.models import Service, Volunteer, VolunteerKind
from volunteers.profiles import Newcomer, Profile, StaffEntry

pytestmark = pytest.mark.django_db

NUMBER = "13811112222"


def _newcomer(code: str, **extra) -> Newcomer:
    values: dict = {
        "name": "陈在职",
        "phone": NUMBER,
        "kind": VolunteerKind.PARTY_MEMBER,
        "code": code,
        "password": "Shequ-2026-fuwu",
        "profile": Profile(
            list(Service.objects.filter(name__in=["量血压", "陪诊"])), "周六上午", "大宁路街道办"
        ),
    }
    values.update(extra)
    return Newcomer(**values)


def test_the_city_defaults_are_there():
    names = list(Service.objects.filter(area=None).values_list("name", flat=True))
    assert names == ["理发", "修家电", "量血压", "送餐", "陪诊", "法律咨询", "助浴", "读报"]
    assert profiles.ensure_default_services() == 0


def test_a_resident_registers_from_their_account(people, tree):
    skills = list(Service.objects.filter(name="理发"))
    made = profiles.register_resident(people.wang_user, Profile(skills, "工作日下午"))
    assert (made.kind, made.resident, made.committee, made.name) == (
        VolunteerKind.RESIDENT,
        people.wang,
        tree.committee,
        "王建国",
    )
    assert list(made.skills.all()) == skills
    with pytest.raises(ValidationError, match="registered as a volunteer already"):
        profiles.register_resident(people.wang_user, Profile())


def test_an_account_not_in_the_registry_is_sent_the_other_way(tree):
    stranger = UserFactory.create(name="路人", home_area=tree.committee)
    with pytest.raises(ValidationError, match="not yet verified"):
        profiles.register_resident(stranger, Profile())


def test_a_service_of_another_committee_is_refused(people, outsider, tree):
    theirs = Service.objects.create(area=tree.neighbour, name="修自行车")
    with pytest.raises(ValidationError, match="修自行车 is not a service offered here"):
        profiles.register_resident(people.wang_user, Profile([theirs]))
    assert not Volunteer.objects.exists()


def test_someone_from_outside_registers_with_a_phone_code(tree):
    profiles.send_phone_code(NUMBER, tree.committee)
    assert backends.outbox[-1].to == NUMBER and "延长新村居委会" in backends.outbox[-1].text
    made = profiles.register_with_phone(tree.committee, _newcomer(last_code()))
    assert made.phone == NUMBER and made.phone_verified_at is not None
    assert made.kind == VolunteerKind.PARTY_MEMBER and made.affiliation == "大宁路街道办"
    assert {s.name for s in made.skills.all()} == {"量血压", "陪诊"}
    user = User.objects.get(phone=NUMBER)
    assert made.user == user and user.check_password("Shequ-2026-fuwu") and user.home_area == tree.committee
    assert PhoneCode.objects.get().used_at is not None


def test_a_code_works_once(tree):
    profiles.send_phone_code(NUMBER, tree.committee)
    code = last_code()
    profiles.register_with_phone(tree.committee, _newcomer(code))
    with pytest.raises(ValidationError):
        profiles.register_with_phone(tree.committee, _newcomer(code, phone="13811113333"))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("02161234567", "must start with 13–19"),
        ("1381111", "has 7"),
        ("abc", "digits only"),
    ],
)
def test_a_number_that_is_not_a_mobile_is_said_so(tree, raw, message):
    with pytest.raises(ValidationError) as caught:
        profiles.send_phone_code(raw, tree.committee)
    assert message in " ".join(caught.value.message_dict["phone"])
    assert not backends.outbox and not PhoneCode.objects.exists()


def test_a_wrong_code_is_counted_and_five_end_it(tree):
    profiles.send_phone_code(NUMBER, tree.committee)
    right = last_code()
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(ValidationError, match=f"{left} tr"):
            profiles.register_with_phone(tree.committee, _newcomer(wrong))
    with pytest.raises(ValidationError, match="No tries left"):
        profiles.register_with_phone(tree.committee, _newcomer(wrong))
    with pytest.raises(ValidationError, match="Too many wrong tries"):
        profiles.register_with_phone(tree.committee, _newcomer(right))
    assert not Volunteer.objects.exists() and not User.objects.filter(phone=NUMBER).exists()
    assert PhoneCode.objects.get().tries == 5


def test_an_expired_code_is_refused(tree):
    profiles.send_phone_code(NUMBER, tree.committee)
    PhoneCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="expired"):
        profiles.register_with_phone(tree.committee, _newcomer(last_code()))
    assert not Volunteer.objects.exists()


def test_no_code_asked_for(tree):
    with pytest.raises(ValidationError, match="Ask for a code first"):
        profiles.register_with_phone(tree.committee, _newcomer("123456"))


def test_a_new_code_waits_a_minute_and_ten_a_day_at_most(tree):
    start = timezone.now()
    phone_codes.send_code(NUMBER, purpose="test", text="%(code)s", now=start)
    with pytest.raises(ValidationError, match="wait"):
        phone_codes.send_code(NUMBER, purpose="test", text="%(code)s", now=start + timedelta(seconds=30))
    for n in range(1, 10):
        phone_codes.send_code(NUMBER, purpose="test", text="%(code)s", now=start + timedelta(minutes=2 * n))
    with pytest.raises(ValidationError, match="Too many codes"):
        phone_codes.send_code(NUMBER, purpose="test", text="%(code)s", now=start + timedelta(minutes=30))
    assert len(backends.outbox) == 10


def test_only_the_newest_code_counts(tree):
    start = timezone.now() - timedelta(minutes=5)
    phone_codes.send_code(NUMBER, purpose="test", text="%(code)s", now=start)
    old = last_code()
    phone_codes.send_code(NUMBER, purpose="test", text="%(code)s", now=start + timedelta(minutes=2))
    new = last_code()
    if old != new:
        with pytest.raises(ValidationError, match="not right"):
            phone_codes.check_code(NUMBER, old, purpose="test")
    assert phone_codes.check_code(NUMBER, new, purpose="test").phone == NUMBER


def test_the_code_is_stored_hashed(tree):
    profiles.send_phone_code(NUMBER, tree.committee)
    assert last_code() not in PhoneCode.objects.get().code_hash


def test_form_mistakes_cost_no_try(tree):
    profiles.send_phone_code(NUMBER, tree.committee)
    with pytest.raises(ValidationError) as caught:
        profiles.register_with_phone(
            tree.committee, _newcomer("000000", name="", kind=VolunteerKind.RESIDENT, password="1")
        )
    assert {"name", "kind", "password"} <= set(caught.value.message_dict)
    assert PhoneCode.objects.get().tries == 0


def test_a_number_with_an_account_logs_in_first(tree, people):
    with pytest.raises(ValidationError, match="already has an account"):
        profiles.register_with_phone(tree.committee, _newcomer("123456", phone=people.far_user.phone))


def test_a_logged_in_account_proves_its_own_number(tree):
    someone = UserFactory.create(name="外籍志愿者", phone="13822223333", home_area=tree.committee)
    profiles.send_phone_code(someone.phone, tree.committee)
    made = profiles.register_with_phone(
        tree.committee,
        _newcomer(last_code(), phone=someone.phone, kind=VolunteerKind.FOREIGN, password=""),
        user=someone,
    )
    assert made.user == someone and made.phone_verified_at is not None
    assert User.objects.filter(phone=someone.phone).count() == 1


def test_registering_is_with_a_committee(tree):
    with pytest.raises(ValidationError, match="residents' committee"):
        profiles.send_phone_code(NUMBER, tree.street)


# --- Staff ---------------------------------------------------------------------------------------


def test_staff_register_an_elderly_volunteer_without_a_phone(owner, tree):
    made = profiles.register_by_staff(
        owner,
        StaffEntry(name="沈阿婆", kind=VolunteerKind.OTHER, profile=Profile(availability="上午")),
        scope=scope_of(owner),
    )
    assert (made.phone, made.user, made.registered_by, made.committee) == ("", None, owner, tree.committee)


def test_staff_register_a_resident_from_the_registry(owner, people):
    made = profiles.register_by_staff(owner, StaffEntry(resident=people.zhao), scope=scope_of(owner))
    assert (made.name, made.kind, made.resident) == ("赵老伯", VolunteerKind.RESIDENT, people.zhao)
    with pytest.raises(ValidationError, match="赵老伯 is registered as a volunteer already"):
        profiles.register_by_staff(owner, StaffEntry(resident=people.zhao), scope=scope_of(owner))


def test_staff_refusals(owner, people, outsider):
    with pytest.raises(ValidationError) as caught:
        profiles.register_by_staff(
            owner, StaffEntry(kind=VolunteerKind.RESIDENT, phone="12345"), scope=scope_of(owner)
        )
    assert {"name", "resident", "phone"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError, match="does not live in this committee"):
        profiles.register_by_staff(owner, StaffEntry(resident=people.far), scope=scope_of(owner))
    resident_only = UserFactory.create(name="居民")
    with pytest.raises(PermissionDenied):
        profiles.register_by_staff(
            resident_only, StaffEntry(name="x", kind="other"), scope=scope_of(resident_only)
        )


def test_a_volunteer_edits_their_own_profile_only(people):
    mine = profiles.register_resident(people.wang_user, Profile())
    profiles.update_profile(
        people.wang_user,
        mine,
        Profile(list(Service.objects.filter(name="读报")), "晚上"),
        scope=scope_of(people.wang_user),
    )
    assert mine.availability == "晚上"
    with pytest.raises(PermissionDenied):
        profiles.update_profile(people.li_user, mine, Profile(), scope=scope_of(people.li_user))
