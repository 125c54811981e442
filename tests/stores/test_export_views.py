"""Downloading a store's daily numbers obeys the same access rules as its page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import DailyMetricFactory


def _url(store, **query):
    params = "&".join(f"{key}={value}" for key, value in query.items())
    return reverse("stores:export", args=[store.slug]) + (f"?{params}" if params else "")


@pytest.mark.parametrize(
    ("persona", "status"), [("operator", 404), ("lead", 200), ("boss", 200), ("stranger", 404)]
)
def test_who_may_download_store_b(personas, client_for, persona, status):
    assert client_for(personas.user(persona)).get(_url(personas.store_b, format="csv")).status_code == status


def test_csv_download_holds_only_this_store_and_period(personas, client_for):
    DailyMetricFactory(store=personas.store_a, date=dt.date(2026, 11, 1), gmv=Decimal("111.00"))
    DailyMetricFactory(store=personas.store_a, date=dt.date(2026, 11, 5), gmv=Decimal("555.00"))
    DailyMetricFactory(store=personas.store_b, date=dt.date(2026, 11, 1), gmv=Decimal("999.00"))
    response = client_for(personas.operator).get(_url(personas.store_a, format="csv", to="2026-11-03"))
    assert response["Content-Disposition"] == 'attachment; filename="store-a-daily.csv"'
    body = response.content.decode("utf-8-sig")
    assert "111.00" in body and "555.00" not in body and "999.00" not in body


def test_xlsx_download_opens_in_excel_with_chinese_headers(personas, client_for, tmp_path):
    DailyMetricFactory(store=personas.store_a, date=dt.date(2026, 11, 1), uv=1234)
    response = client_for(personas.operator).get(_url(personas.store_a))
    path = tmp_path / "daily.xlsx"
    path.write_bytes(response.content)
    sheet = load_workbook(path).active
    assert [cell.value for cell in sheet[1]][:3] == ["统计日期", "店铺名称", "访客数"]
    assert sheet["C2"].value == 1234


def test_unknown_format_is_not_found(personas, client_for):
    assert client_for(personas.operator).get(_url(personas.store_a, format="pdf")).status_code == 404


def test_import_list_shows_only_imports_the_user_may_see(personas, client_for):
    from stores.imports.services import import_batch_create

    import_batch_create(content=b"x", file_name="a-file.csv", user=personas.lead, store=personas.store_a)
    import_batch_create(content=b"x", file_name="b-file.csv", user=personas.lead, store=personas.store_b)
    page = client_for(personas.operator).get(reverse("imports:list")).content.decode()
    assert "a-file.csv" in page and "b-file.csv" not in page
