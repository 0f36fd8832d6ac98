"""The figures page and served per stall and day as CSV and .xlsx."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.servicedays.test_figures_counts import at, held

pytestmark = pytest.mark.django_db


def test_the_figures_page_shows_beneficiaries_and_the_total_since_the_first_day(tree, owner_client):
    held(tree, at(2025, 3), 4)
    body = owner_client.get(reverse("servicedays:figures") + "?year=2025").content.decode()
    assert "served since the first service day" in body and "理发" in body


def test_a_street_compares_its_committees_on_the_page(tree, client, street_admin):
    from tests.factories import login_verified

    held(tree, at(2025, 3), 4)
    login_verified(client, street_admin)
    body = client.get(reverse("servicedays:figures") + "?year=2025").content.decode()
    assert "慧芝湖花园居委会" in body and "延长新村居委会" in body


def test_served_per_stall_and_day_as_csv_and_xlsx(tree, owner_client):
    held(tree, at(2025, 3), 4)
    csv = owner_client.get(reverse("servicedays:served_csv") + "?year=2025").content.decode("utf-8-sig")
    assert csv.splitlines()[1].endswith("理发,5,4,1")
    xlsx = owner_client.get(reverse("servicedays:served_xlsx") + "?year=2025")
    data = b"".join(xlsx.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[1][2:] == ["Stall", "Numbers given", "Served", "Absent"]
    assert rows[2][2:] == ["理发", 5.0, 4.0, 1.0]


def test_residents_see_no_figures(client, resident):
    from tests.factories import login_verified

    login_verified(client, resident)
    assert client.get(reverse("servicedays:figures")).status_code == 403
