"""Households and residents: what staff may record, and what the registry refuses."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from registry import crypto, services
from registry.models import (
    EndReason,
    Household,
    Relation,
    Residence,
    Resident,
    ResidentStatus,
    ResidentTag,
    Tag,
)
from registry.rules import PersonInput
from tests.factories import household, id_number, resident


def _person(name="王阿婆", number=None, **extra):
    return PersonInput(
        name=name, id_number=number if number is not None else id_number("1942-03-04", male=False), **extra
    )


def _errors(call, *args, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return (
        caught.value.message_dict
        if hasattr(caught.value, "error_dict")
        else {"__all__": caught.value.messages}
    )


# --- Households -------------------------------------------------------------------------------


def test_a_household_is_one_door_of_a_building(tree, worker):
    home = services.create_household(worker, tree.building, unit="2单元", room="301室", phone="021-64561234")
    assert (home.unit, home.room, home.phone, home.committee) == ("2", "301", "02164561234", tree.committee)
    assert "62号楼" in home.address and "301" in home.address
    errors = _errors(services.create_household, worker, tree.building, unit="2", room="301")
    assert "already has a household record" in errors["room"][0]


def test_rooms_sort_the_way_people_count(tree, worker):
    for room in ("1001", "201", "31"):
        services.create_household(worker, tree.building, room=room)
    rooms = list(Household.objects.filter(building=tree.building).values_list("room", flat=True))
    assert rooms == ["31", "201", "1001"]


def test_only_a_building_in_scope_takes_households(tree, worker, neighbour_building, leader_scope):
    with pytest.raises(PermissionDenied):
        services.create_household(worker, neighbour_building, room="101")
    assert (
        "not a building" in _errors(services.create_household, worker, tree.group, room="101")["building"][0]
    )
    with pytest.raises(PermissionDenied):  # a building leader sees people but keeps no registry
        services.create_household(leader_scope, tree.building, room="101")
    assert (
        "Give the room number"
        in _errors(services.create_household, worker, tree.building, room=" ")["room"][0]
    )


# --- Residents --------------------------------------------------------------------------------


def test_adding_a_resident_encrypts_the_number_and_opens_their_history(home, worker):
    number = id_number("1942-03-04", male=False)
    person = services.add_resident(
        worker, home, _person(number=number, health_notes="高血压", phone="13912345678")
    )
    person.refresh_from_db()
    assert person.birth_date == date(1942, 3, 4) and person.gender == "F"
    assert number not in person.id_cipher and crypto.decrypt(person.id_cipher) == number
    assert person.id_masked == number[:3] + "*" * 11 + number[-4:]
    assert person.id_hash == crypto.keyed_hash(number)
    assert crypto.decrypt(person.health_cipher) == "高血压"
    assert (person.pinyin, person.initials) == ("wangapo", "wap")
    (stay,) = Residence.objects.filter(resident=person)
    assert stay.household == home and stay.is_current


def test_the_audit_log_never_holds_the_number_or_health_notes(home, worker):
    number = id_number()
    person = services.add_resident(worker, home, _person(number=number, health_notes="糖尿病"))
    entry = AuditEntry.objects.get(object_id=str(person.pk), action="create", content_type__model="resident")
    text = str(entry.changes)
    assert number not in text and "糖尿病" not in text and person.id_cipher not in text
    assert entry.changes["id_cipher"] == "[hidden]"


def test_every_problem_with_a_person_is_said_at_once(home, worker):
    errors = _errors(
        services.add_resident,
        worker,
        home,
        PersonInput(name="", id_number="110105194912310021", phone="123", relation="cousin"),
    )
    assert set(errors) >= {"name", "id_number", "phone", "relation"}
    assert "check digit" in errors["id_number"][0]


def test_a_birth_date_or_gender_that_contradicts_the_number_is_refused(home, worker):
    number = id_number("1942-03-04", male=False)
    errors = _errors(
        services.add_resident, worker, home, _person(number=number, birth_date=date(1942, 3, 5), gender="M")
    )
    assert "1942-03-04" in errors["birth_date"][0]
    assert "contradicts" in errors["gender"][0]


def test_one_living_householder_per_household(home, worker):
    services.add_resident(worker, home, _person("户主甲"))
    errors = _errors(services.add_resident, worker, home, _person("户主乙", relation=Relation.HOUSEHOLDER))
    assert "户主甲 is already the householder" in errors["relation"][0]
    services.add_resident(worker, home, _person("配偶", relation=Relation.SPOUSE))


def test_one_record_per_person_in_a_committee(tree, home, worker, building2):
    number = id_number()
    services.add_resident(worker, home, _person("张三", number=number))
    other = household(building2, "102")
    errors = _errors(services.add_resident, worker, other, _person("张三", number=number))
    assert "already recorded for 张三" in errors["id_number"][0]


def test_someone_who_moved_away_and_comes_back_keeps_one_history(home, worker, building2):
    number = id_number()
    person = services.add_resident(
        worker, home, _person("李老伯", number=number, moved_in_on=date(2001, 1, 1))
    )
    services.move_out(worker, person, on=date(2015, 6, 1))
    elsewhere = household(building2, "501")
    back = services.add_resident(
        worker, elsewhere, _person("李老伯", number=number, moved_in_on=date(2020, 2, 2))
    )
    assert back.pk == person.pk and back.status == ResidentStatus.LIVING and back.household == elsewhere
    stays = list(Residence.objects.filter(resident=person).order_by("moved_in_on"))
    assert [(s.household, s.end_reason) for s in stays] == [(home, EndReason.MOVED_OUT), (elsewhere, "")]


def test_another_committee_keeps_its_own_record(home, worker, neighbour_worker, neighbour_building):
    number = id_number()
    services.add_resident(worker, home, _person("人户分离", number=number))
    there = services.create_household(neighbour_worker, neighbour_building, room="1801")
    services.add_resident(neighbour_worker, there, _person("人户分离", number=number))
    assert Resident.objects.filter(id_hash=crypto.keyed_hash(number)).count() == 2


def test_moving_within_the_committee_closes_one_stay_and_opens_another(home, worker, building2):
    person = services.add_resident(worker, home, _person())
    new_home = household(building2, "202")
    services.move_resident(worker, person, new_home, Relation.HOUSEHOLDER, on=date(2024, 5, 1))
    person.refresh_from_db()
    assert person.household == new_home and person.moved_in_on == date(2024, 5, 1)
    old, new = Residence.objects.filter(resident=person).order_by("pk")
    assert (old.end_reason, old.moved_out_on) == (EndReason.MOVED_WITHIN, date(2024, 5, 1))
    assert new.household == new_home and new.is_current


def test_moving_out_and_death_keep_the_record(home, worker):
    person = services.add_resident(worker, home, _person())
    services.move_out(worker, person, on=date(2025, 1, 1), deceased=True)
    person.refresh_from_db()
    assert person.status == ResidentStatus.DECEASED and person.moved_out_on == date(2025, 1, 1)
    assert "no longer lives here" in _errors(services.move_out, worker, person)["__all__"][0]
    # The household may take a new householder now.
    services.add_resident(worker, home, _person("新户主"))


def test_an_edit_keeps_the_number_unless_a_new_one_is_given(home, worker):
    number = id_number()
    person = services.add_resident(worker, home, _person(number=number, health_notes="旧"))
    services.update_resident(
        worker, person, PersonInput(name="王阿婆", phone="13900001111", relation=Relation.HOUSEHOLDER)
    )
    person.refresh_from_db()
    assert crypto.decrypt(person.id_cipher) == number and crypto.decrypt(person.health_cipher) == "旧"
    assert person.phone == "13900001111"
    services.update_resident(worker, person, PersonInput(name="王阿婆", id_number="", health_notes=""))
    person.refresh_from_db()
    assert person.id_cipher == person.id_hash == person.id_masked == person.health_cipher == ""


def test_residents_outside_the_scope_are_untouchable(home, worker, neighbour_worker):
    person = services.add_resident(worker, home, _person())
    with pytest.raises(PermissionDenied):
        services.update_resident(neighbour_worker, person, PersonInput(name="改名"))
    with pytest.raises(PermissionDenied):
        services.move_out(neighbour_worker, person)


# --- Tags and leaders ---------------------------------------------------------------------------


def test_tags_record_who_set_them_and_age_tags_come_from_the_birth_date(home, worker, owner):
    person = services.add_resident(worker, home, _person(number=id_number("1940-01-01")))
    assert services.set_tags(worker, person, {Tag.LIVING_ALONE, Tag.PARTY_MEMBER}, owner) == [
        "+living_alone",
        "+party_member",
    ]
    tag = ResidentTag.objects.get(resident=person, tag=Tag.LIVING_ALONE)
    assert tag.set_by == owner and tag.set_at is not None
    assert services.set_tags(worker, person, {Tag.LIVING_ALONE}, owner) == ["-party_member"]
    assert Tag.AGED_80 in person.derived_tags(date(2026, 11, 23))
    assert Resident.objects.with_tag(Tag.AGED_80, date(2026, 11, 23)).filter(pk=person.pk).exists()
    assert (
        "worked out from the birth date"
        in _errors(services.set_tags, worker, person, {Tag.AGED_80}, owner)["tag"][0]
    )


def test_bulk_tagging_touches_only_residents_in_scope(
    tree, home, worker, neighbour_worker, neighbour_building, owner
):
    ours = [
        services.add_resident(
            worker, home, _person(f"居民{i}", relation=Relation.CHILD if i else Relation.HOUSEHOLDER)
        )
        for i in range(3)
    ]
    theirs = resident(household(neighbour_building, "101"), "邻居")
    changed = services.bulk_tag(
        worker, [p.pk for p in ours] + [theirs.pk], Tag.LIVING_ALONE, add=True, actor=owner
    )
    assert changed == 3
    assert not ResidentTag.objects.filter(resident=theirs).exists()
    assert services.bulk_tag(worker, [p.pk for p in ours], Tag.LIVING_ALONE, add=True, actor=owner) == 0
    assert services.bulk_tag(worker, [ours[0].pk], Tag.LIVING_ALONE, add=False, actor=owner) == 1


def test_a_group_has_one_building_leader_and_several_seconds(tree, home, worker):
    first = services.add_resident(worker, home, _person("楼组长甲"))
    second = services.add_resident(worker, home, _person("楼组长乙", relation=Relation.SPOUSE))
    third = services.add_resident(worker, home, _person("热心人", relation=Relation.CHILD))
    services.assign_leader(worker, tree.group, first, "leader")
    services.assign_leader(worker, tree.group, third, "second")
    post = services.assign_leader(worker, tree.group, second, "leader")
    active = {(p.resident.name, p.position) for p in tree.group.leaders.filter(until__isnull=True)}
    assert active == {("楼组长乙", "leader"), ("热心人", "second")}
    errors = _errors(services.assign_leader, worker, tree.group, second, "second")
    assert "already holds a post" in errors["resident"][0]
    services.end_leader(worker, post)
    assert not tree.group.leaders.filter(until__isnull=True, position="leader").exists()


def test_a_leader_must_live_in_the_group(tree, home, worker, building2):
    person = services.add_resident(worker, household(building2, "101"), _person())
    assert (
        "does not live in 62号楼组"
        in _errors(services.assign_leader, worker, tree.group, person, "leader")["resident"][0]
    )


def test_a_resident_typed_in_full_width_is_stored_as_the_census_would_store_them(home, worker, tree):
    """The form and the API read phone and identity numbers, and doors, as the census does."""
    number = id_number("1942-03-04", male=False)
    full_width = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    person = services.add_resident(
        worker, home, _person(number=number.translate(full_width), phone="１３９ １２３４ ５６７８")
    )
    person.refresh_from_db()
    assert person.id_hash == crypto.keyed_hash(number) and person.phone == "13912345678"
    door = services.create_household(worker, tree.building, unit="２", room="５０１室")
    assert (door.unit, door.room) == ("2", "501")
