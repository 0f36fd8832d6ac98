"""The price of a meal: subsidies by age, tags and where the diner lives, stacked across
funders, the best of one funder's rules, capped by the month, never above the price."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from meals import needs, pricing
from meals.models import OrderSubsidy, SubsidyRule
from tests.meals.conftest import place

TODAY = timezone.localdate


def test_no_rule_no_subsidy(diners, kitchen):
    quote = pricing.quote(diners["wang"], kitchen.set_meal(TODAY()))
    assert (quote.price, quote.subsidy, quote.pays, quote.lines) == (
        Decimal("20.00"),
        0,
        Decimal("20.00"),
        (),
    )


def test_age_and_tag_rules_of_two_funders_add_up_widest_area_first(diners, kitchen, rules, people):
    # 赵老伯 is 86: the district's 8 yuan. 李秀英 lives alone: the street's 5 yuan.
    zhao = pricing.quote(diners["zhao"], kitchen.set_meal(TODAY()))
    assert [(line.funder, line.amount) for line in zhao.lines] == [("区民政局", Decimal("8.00"))]
    assert zhao.pays == Decimal("12.00")
    li = pricing.quote(diners["li"], kitchen.set_meal(TODAY()))
    assert [(line.funder, line.amount) for line in li.lines] == [("街道", Decimal("5.00"))]
    # Breakfast is not the street's meal.
    assert pricing.quote(diners["li"], kitchen.set_meal(TODAY(), "早", "breakfast")).lines == ()


def test_one_funders_best_rule_only_and_never_above_the_price(diners, kitchen, rules, tree):
    SubsidyRule.objects.create(
        area=tree.district,
        name="高龄",
        funder="区民政局",
        min_age=85,
        amount=Decimal("30.00"),
        valid_from=TODAY(),
    )
    quote = pricing.quote(diners["zhao"], kitchen.set_meal(TODAY()))
    assert [(line.rule.name, line.amount) for line in quote.lines] == [("高龄", Decimal("20.00"))]
    assert quote.pays == Decimal("0.00")


def test_the_monthly_cap_counts_the_months_earlier_lines(diners, kitchen, rules):
    rules["aged"].monthly_cap = Decimal("12.00")
    rules["aged"].save()
    first = place(diners["zhao"], kitchen.set_meal(TODAY()))
    assert first.subsidy == Decimal("8.00")
    second = pricing.quote(diners["zhao"], kitchen.set_meal(TODAY() + timedelta(days=1), "B"))
    if (TODAY() + timedelta(days=1)).month == TODAY().month:
        assert second.subsidy == Decimal("4.00")
    # A cancelled order's line is void and no longer counts.
    OrderSubsidy.objects.filter(order=first).update(void=True)
    assert pricing.used_this_month(diners["zhao"], rules["aged"], TODAY()) == 0


def test_rules_follow_where_the_diner_lives(diners, kitchen, rules, tree, people):
    SubsidyRule.objects.create(
        area=tree.other_street, name="别处", funder="别的街道", amount=Decimal("3.00"), valid_from=TODAY()
    )
    assert [line.funder for line in pricing.quote(diners["wang"], kitchen.set_meal(TODAY())).lines] == []


def test_a_rule_not_yet_in_force_does_not_apply(diners, kitchen, tree):
    SubsidyRule.objects.create(
        area=tree.street,
        name="明日",
        funder="街道",
        amount=Decimal("3.00"),
        valid_from=TODAY() + timedelta(days=1),
    )
    assert pricing.quote(diners["wang"], kitchen.set_meal(TODAY())).lines == ()
    assert pricing.quote(diners["wang"], kitchen.set_meal(TODAY() + timedelta(days=1))).subsidy == Decimal(
        "3.00"
    )


def test_clashes_name_the_dish_and_why(diners, kitchen, english):
    assert needs.clash_text(diners["wang"], kitchen.set_meal(TODAY())) == ""
    li_a = needs.clashes(diners["li"], kitchen.set_meal(TODAY()))
    assert li_a == ["红烧肉: not Soft, not Low sugar"]
    li_b = needs.clashes(diners["li"], kitchen.set_meal(TODAY(), "B"))
    assert li_b == ["清蒸鱼: contains Fish"]
