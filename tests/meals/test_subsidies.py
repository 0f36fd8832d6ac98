"""Subsidy rules: set by a street's or district's staff, never overlapping one funder's other
rules, ended rather than changed once used, what they paid and whom they would cover."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from accounts.roles import Role
from meals import subsidies
from meals.models import OrderSubsidy, SubsidyRule
from tests.factories import UserFactory, grant, scope_of
from tests.meals.conftest import place

TODAY = timezone.localdate


@pytest.fixture
def district_admin(tree):
    user = UserFactory.create(name="区管理员", home_area=tree.district)
    grant(user, Role.DISTRICT_ADMIN, tree.district)
    return user


def fields(area, **extra):
    base = {
        "area": area,
        "name": "测试补贴",
        "funder": "街道",
        "min_age": None,
        "max_age": None,
        "tags": [],
        "meals": [],
        "amount": Decimal("3.00"),
        "monthly_cap": None,
        "valid_from": TODAY(),
        "valid_until": None,
    }
    base.update(extra)
    return base


def test_a_street_sets_a_rule_for_itself_or_one_of_its_committees(street_admin, tree):
    scope = scope_of(street_admin)
    made = subsidies.create(
        street_admin,
        scope=scope,
        **fields(
            tree.committee, tags=["disabled", "living_alone"], meals=["lunch"], monthly_cap=Decimal("60")
        ),
    )
    assert (made.area, made.tags, made.meals, made.monthly_cap, made.created_by) == (
        tree.committee,
        "living_alone,disabled",
        "lunch",
        Decimal("60.00"),
        street_admin,
    )
    assert tree.committee in subsidies.areas_for(scope) and tree.street in subsidies.areas_for(scope)


def test_a_committee_reads_the_rules_but_does_not_set_them(owner, tree, rules):
    scope = scope_of(owner)
    assert not subsidies.sets_rules(scope)
    assert set(subsidies.seen_by(scope)) == {rules["aged"], rules["alone"]}
    with pytest.raises(PermissionDenied):
        subsidies.create(owner, scope=scope, **fields(tree.committee))


def test_outside_the_area_is_refused(street_admin, tree):
    with pytest.raises(PermissionDenied):
        subsidies.create(street_admin, scope=scope_of(street_admin), **fields(tree.other_street))
    with pytest.raises(PermissionDenied):
        subsidies.create(street_admin, scope=scope_of(street_admin), **fields(tree.district))


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"min_age": 80, "max_age": 60}, "max_age", "The age band ends (60) before it starts (80)."),
        (
            {"monthly_cap": Decimal("0")},
            "monthly_cap",
            "A monthly cap above 0 and at most 99999.99 yuan, or none.",
        ),
        (
            {"monthly_cap": Decimal("-5")},
            "monthly_cap",
            "A monthly cap above 0 and at most 99999.99 yuan, or none.",
        ),
        ({"amount": Decimal("0")}, "amount", "A subsidy per meal between 0.01 and 999.99 yuan."),
        ({"amount": Decimal("1000")}, "amount", "A subsidy per meal between 0.01 and 999.99 yuan."),
        ({"tags": ["rich"]}, "tags", "rich is not one to choose from."),
        ({"meals": ["supper"]}, "meals", "supper is not one to choose from."),
        ({"funder": " "}, "funder", "Say who funds the rule."),
        ({"min_age": 200}, "min_age", "An age between 0 and 150."),
        ({"valid_until": TODAY() - timedelta(days=1)}, "valid_until", "The rule ends before it starts."),
        ({"valid_from": TODAY() - timedelta(days=1)}, "valid_from", None),
    ],
)
def test_bad_input_names_the_field(street_admin, tree, extra, field, message):
    with pytest.raises(ValidationError) as refused:
        subsidies.create(street_admin, scope=scope_of(street_admin), **fields(tree.street, **extra))
    assert list(refused.value.message_dict) == [field]
    if message:
        assert refused.value.message_dict[field] == [message]
    assert not SubsidyRule.objects.exists()


def overlap_message(refused) -> str:
    return refused.value.message_dict["__all__"][0]


def test_an_overlapping_rule_of_the_same_funder_is_refused_naming_the_other(street_admin, tree, rules):
    scope = scope_of(street_admin)
    # The street's living-alone lunch rule: same funder, a committee inside its area, no tags.
    with pytest.raises(ValidationError) as refused:
        subsidies.create(street_admin, scope=scope, **fields(tree.committee, name="新规则"))
    start = rules["alone"].valid_from
    since = date_format(start, "DATE_FORMAT")
    assert overlap_message(refused).startswith(
        f"It overlaps 街道's rule “独居老人午餐补贴” for 大宁路街道, from {since} on:"
    )
    # The same tag set, other ages: still the same diners for the rule without ages.
    with pytest.raises(ValidationError):
        subsidies.create(street_admin, scope=scope, **fields(tree.street, tags=["living_alone"], min_age=60))
    assert SubsidyRule.objects.count() == 2


@pytest.mark.parametrize(
    "extra",
    [
        {"funder": "慈善基金会"},  # another funder adds up
        {"meals": ["breakfast"]},  # other meals
        {"tags": ["disabled"]},  # other tags, both tagged
        {"tags": ["disabled", "living_alone"]},  # another tag set, both tagged
    ],
)
def test_rules_that_do_not_meet_are_accepted(street_admin, tree, rules, extra):
    subsidies.create(street_admin, scope=scope_of(street_admin), **fields(tree.committee, **extra))
    assert SubsidyRule.objects.count() == 3


def test_dates_and_age_bands_that_do_not_meet_are_accepted(district_admin, tree, rules):
    scope = scope_of(district_admin)
    rules["aged"].valid_until = TODAY()
    rules["aged"].save()
    subsidies.create(
        district_admin,
        scope=scope,
        **fields(tree.district, funder="区民政局", min_age=80, valid_from=TODAY() + timedelta(days=1)),
    )
    subsidies.create(
        district_admin, scope=scope, **fields(tree.district, funder="区民政局", min_age=60, max_age=79)
    )
    with pytest.raises(ValidationError) as refused:
        subsidies.create(
            district_admin, scope=scope, **fields(tree.street, funder="区民政局", min_age=70, max_age=85)
        )
    assert "80岁以上助餐补贴" in overlap_message(refused)
    other = UserFactory.create(name="别区管理员")
    grant(other, Role.DISTRICT_ADMIN, tree.other_district)
    # Another district's area: no overlap, whatever the funder.
    subsidies.create(other, scope=scope_of(other), **fields(tree.other_street, funder="区民政局", min_age=80))


def test_an_unused_rule_is_changed_or_deleted_a_used_one_is_not(district_admin, tree, rules, diners, kitchen):
    scope = scope_of(district_admin)
    alone = rules["alone"]
    subsidies.update(
        district_admin,
        alone,
        scope=scope,
        **fields(tree.street, name="独居", funder="街道", tags=["living_alone"], amount=Decimal("6")),
    )
    alone.refresh_from_db()
    assert (alone.name, alone.amount) == ("独居", Decimal("6.00"))
    aged = rules["aged"]
    place(diners["zhao"], kitchen.set_meal(TODAY()))
    assert subsidies.is_used(aged)
    with pytest.raises(ValidationError) as refused:
        subsidies.update(
            district_admin, aged, scope=scope, **fields(tree.district, funder="区民政局", amount=Decimal("9"))
        )
    assert "no longer changed" in overlap_message(refused)
    with pytest.raises(ValidationError):
        subsidies.delete(district_admin, aged, scope=scope)
    aged.refresh_from_db()
    assert aged.amount == Decimal("8.00")
    subsidies.delete(district_admin, alone, scope=scope)
    assert not SubsidyRule.objects.filter(pk=alone.pk).exists()


def test_a_used_rule_ends_not_before_its_last_day_used(district_admin, rules, diners, kitchen):
    scope = scope_of(district_admin)
    aged = rules["aged"]
    tomorrow = TODAY() + timedelta(days=1)
    place(diners["zhao"], kitchen.set_meal(tomorrow))
    with pytest.raises(ValidationError) as refused:
        subsidies.end(district_admin, aged, scope=scope, until=TODAY())
    assert refused.value.message_dict["valid_until"][0].startswith("Orders for ")
    with pytest.raises(ValidationError):
        subsidies.end(district_admin, aged, scope=scope, until=aged.valid_from - timedelta(days=1))
    ended = subsidies.end(district_admin, aged, scope=scope, until=tomorrow)
    assert ended.valid_until == tomorrow
    with pytest.raises(ValidationError):
        subsidies.end(district_admin, aged, scope=scope, until=tomorrow + timedelta(days=5))
    # A cancelled order's line no longer holds the end back.
    OrderSubsidy.objects.filter(rule=aged).update(void=True)
    assert subsidies.end(district_admin, aged, scope=scope, until=TODAY()).valid_until == TODAY()
    # The successor starts the day after.
    assert subsidies.successor_initial(ended)["valid_from"] >= TODAY()


def test_what_a_rule_paid_this_month_and_whom_it_covers(rules, diners, kitchen, django_assert_num_queries):
    place(diners["zhao"], kitchen.set_meal(TODAY()))
    place(diners["li"], kitchen.set_meal(TODAY()))
    with django_assert_num_queries(1):
        paid = subsidies.paid_this_month(rules["aged"])
    assert (paid.orders, paid.diners, paid.amount, paid.last_day) == (1, 1, Decimal("8.00"), TODAY())
    with django_assert_num_queries(2):
        covered = subsidies.covered_diners(rules["aged"])
    assert covered == [diners["zhao"]]
    assert subsidies.covered_diners(rules["alone"]) == [diners["li"]]
