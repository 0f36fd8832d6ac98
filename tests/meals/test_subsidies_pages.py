"""The subsidy rules' pages: the list and a rule in fixed queries, a new rule refused when it
overlaps, a committee reading without setting, ending and deleting."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meals.models import SubsidyRule
from tests.factories import login_verified
from tests.meals.conftest import place

TODAY = timezone.localdate


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _rule(area, n: int) -> SubsidyRule:
    return SubsidyRule.objects.create(
        area=area, name=f"规则{n}", funder=f"基金{n}", amount=Decimal("2.00"), valid_from=TODAY()
    )


def test_the_list_reads_a_fixed_number_of_queries(client, street_admin, rules, tree):
    login_verified(client, street_admin)
    url = reverse("meals:rules")
    page = client.get(url).content.decode()
    assert "80岁以上助餐补贴" in page and "独居老人午餐补贴" in page and "New rule" in page
    assert "aged 80+" in page and "8.00 yuan a meal" in page
    few = _count(client, url)
    for n in range(5):
        _rule(tree.committee if n % 2 else tree.street, n)
    assert _count(client, url) == few


def test_a_committee_reads_the_rules_without_setting_them(client, owner, rules):
    login_verified(client, owner)
    page = client.get(reverse("meals:rules")).content.decode()
    assert "80岁以上助餐补贴" in page and "New rule" not in page
    assert client.get(reverse("meals:rule_new")).status_code == 403
    rule = client.get(reverse("meals:rule", args=[rules["aged"].pk])).content.decode()
    assert "End the rule" not in rule and "Change" not in rule
    answer = client.post(reverse("meals:rule_end", args=[rules["aged"].pk]), {"until": TODAY().isoformat()})
    assert answer.status_code == 403


def test_a_rule_shows_what_it_paid_and_whom_it_covers_in_fixed_queries(
    client, street_admin, rules, diners, kitchen
):
    login_verified(client, street_admin)
    url = reverse("meals:rule", args=[rules["aged"].pk])
    few = _count(client, url)
    place(diners["zhao"], kitchen.set_meal(TODAY()))
    place(diners["wang"], kitchen.set_meal(TODAY()))
    page = client.get(url).content.decode()
    assert "1 meal, 8.00 yuan · 1 diner" in page and "1 registered diner" in page
    assert "End the rule" not in page  # the district's: the street reads it
    assert _count(client, url) == few
    place(diners["li"], kitchen.set_meal(TODAY()))
    alone = client.get(reverse("meals:rule", args=[rules["alone"].pk])).content.decode()
    assert "no longer changed" in alone and "End the rule" in alone


def test_a_new_rule_is_set_and_an_overlapping_one_refused(client, street_admin, rules, tree):
    login_verified(client, street_admin)
    url = reverse("meals:rule_new")
    data = {
        "area": tree.committee.pk,
        "name": "残疾人助餐",
        "funder": "街道",
        "tags": ["disabled"],
        "meals": ["lunch"],
        "amount": "4.00",
        "valid_from": TODAY().isoformat(),
    }
    answer = client.post(url, data)
    made = SubsidyRule.objects.get(name="残疾人助餐")
    assert answer.url == reverse("meals:rule", args=[made.pk])
    refused = client.post(url, {**data, "name": "重复", "tags": []})
    assert refused.status_code == 200 and "It overlaps 街道&#x27;s rule" in refused.content.decode()
    assert not SubsidyRule.objects.filter(name="重复").exists()
    cap = client.post(url, {**data, "name": "零封顶", "monthly_cap": "0", "funder": "别的"})
    assert "Ensure this value is greater than or equal to 0.01." in cap.content.decode()
    # Filled from a rule, from a date.
    after = client.get(url, {"after": made.pk}).content.decode()
    assert 'value="残疾人助餐"' in after


def test_an_unused_rule_is_changed_and_deleted_a_used_one_ended(client, street_admin, rules, diners, kitchen):
    login_verified(client, street_admin)
    alone = rules["alone"]
    answer = client.post(reverse("meals:rule_delete", args=[alone.pk]))
    assert answer.url == reverse("meals:rules")
    place(diners["li"], kitchen.set_meal(TODAY() + timedelta(days=1)))
    # The list's own 80+ rule is the district's: the street's staff read it but do not end it.
    assert (
        client.post(reverse("meals:rule_end", args=[rules["aged"].pk]), {"until": TODAY()}).status_code == 403
    )
    rules["aged"].refresh_from_db()
    assert rules["aged"].valid_until is None
