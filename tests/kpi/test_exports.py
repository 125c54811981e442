"""A plan as files: the JSON shape and its sums, the .csv of days, the .xlsx read back, and the download
obeying the store's access rules."""

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kpi import exports
from kpi.services.changes import plan_lock
from kpi.services.plans import target_set
from tests.factories import DailyMetricFactory

D = Decimal
day = dt.date
ANNUAL = D("36000000.00")
MONEY = re.compile(r"^\d+\.\d{2}$")


@pytest.fixture
def plan(personas):
    """Store A's 2026 plan with 保底 80 %, last year's GMV on some days and this year's on two."""
    for date in (day(2025, 1, 2), day(2025, 1, 3), day(2025, 6, 18)):
        DailyMetricFactory(store=personas.store_a, date=date, gmv=D("10000.00"))
    DailyMetricFactory(store=personas.store_a, date=day(2026, 1, 1), gmv=D("12345.67"))
    DailyMetricFactory(store=personas.store_a, date=day(2026, 1, 2), gmv=D("100.00"))
    made = target_set(
        store=personas.store_a, year=2026, annual=ANNUAL, floor_percent=D("80"), today=day(2026, 1, 1)
    )
    plan_lock(plan=made, label="2026-12")
    made.refresh_from_db()
    return made


def test_plan_dict_has_the_documented_shape(plan):
    data = exports.plan_dict(plan=plan)
    assert list(data) == [
        "store",
        "year",
        "first_day",
        "last_day",
        "annual",
        "floor",
        "stretch",
        "floor_percent",
        "stretch_percent",
        "version",
        "days",
        "weeks",
        "months",
        "quarters",
        "halves",
    ]
    assert data["store"] == "store-a" and data["year"] == 2026
    assert (data["first_day"], data["last_day"]) == ("2026-01-01", "2026-12-31")
    assert data["annual"] == "36000000.00" and data["floor"] == "28800000.00" and data["stretch"] is None
    assert data["floor_percent"] == "80.00" and data["stretch_percent"] is None
    assert data["version"] == 2  # made, then December locked
    first = data["days"][0]
    assert list(first) == ["date", "target", "weight", "locked", "source", "last_year", "actual"]
    assert first["date"] == "2026-01-01" and first["actual"] == "12345.67"
    assert all(MONEY.match(each["target"]) for each in data["days"])
    assert all(re.match(r"^\d+\.\d{4}$", each["weight"]) for each in data["days"])
    assert [each["locked"] for each in data["days"]].count(True) == 31
    assert {each["source"] for each in data["days"]} <= {"history", "default", "override"}
    known = {each["date"]: each["last_year"] for each in data["days"] if each["last_year"] is not None}
    assert known and all(value == "10000.00" for value in known.values())
    assert data["days"][-1]["actual"] is None and data["days"][-1]["last_year"] is None
    assert [month["label"] for month in data["months"]] == [f"2026-{month:02d}" for month in range(1, 13)]
    assert [quarter["label"] for quarter in data["quarters"]] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert [half["label"] for half in data["halves"]] == ["2026-H1", "2026-H2"]
    assert data["weeks"][0]["label"] == "2026-W01" and data["weeks"][-1]["label"] == "2026-W53"
    assert list(data["months"][0]) == ["label", "target", "last_year", "actual"]
    assert data["months"][0]["actual"] == "12445.67" and data["months"][1]["actual"] is None


def test_every_level_of_the_json_sums_to_the_annual_target(plan):
    data = json.loads(exports.plan_export(plan=plan, file_format="json"))
    assert len(data["days"]) == 365
    for key in ("days", "weeks", "months", "quarters", "halves"):
        assert sum(D(row["target"]) for row in data[key]) == ANNUAL, key
        assert all(MONEY.match(row["target"]) for row in data[key])


def test_csv_is_the_days_in_utf8_with_a_bom_and_chinese_headers(plan):
    content = exports.plan_export(plan=plan, file_format="csv")
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == ["日期", "目标", "权重", "锁定", "来源", "去年同期", "实际"]
    assert len(rows) == 366
    assert rows[1][0] == "2026-01-01" and rows[1][3] == "否" and rows[1][6] == "12345.67"
    assert rows[-1][0] == "2026-12-31" and rows[-1][3] == "是" and rows[-1][5:] == ["", ""]
    assert sum(D(row[1]) for row in rows[1:]) == ANNUAL


def test_xlsx_has_months_weeks_and_days_with_formats(plan, tmp_path):
    file = tmp_path / "plan.xlsx"
    file.write_bytes(exports.plan_export(plan=plan, file_format="xlsx"))
    workbook = load_workbook(file)
    assert workbook.sheetnames == ["月", "周", "日"]
    months = workbook["月"]
    assert [cell.value for cell in months[1]] == [
        "店铺",
        "店铺代码",
        "期间",
        "目标",
        "去年同期",
        "实际",
        "达成率",
    ]
    assert months.max_row == 13 and workbook["日"].max_row == 366 and workbook["周"].max_row == 54
    january = [cell.value for cell in months[2]]
    assert january[:3] == ["A店", "store-a", "2026-01"]
    assert january[5] == pytest.approx(12445.67)
    assert january[6] == pytest.approx(12445.67 / january[3])
    assert months["D2"].number_format == "¥#,##0.00" and months["G2"].number_format == "0.00%"
    assert months["F3"].value is None  # no GMV recorded in February: an empty cell
    assert [cell.value for cell in workbook["日"][1]][2] == "日期"
    for sheet in workbook:
        assert round(sum(D(str(row[3].value)) for row in sheet.iter_rows(min_row=2)), 2) == ANNUAL


def test_a_store_name_a_spreadsheet_would_run_is_written_as_text(personas, tmp_path):
    personas.store_b.name = "=HYPERLINK(1)"
    personas.store_b.save()
    made = target_set(store=personas.store_b, year=2026, annual=D("1200.00"), today=day(2026, 1, 1))
    file = tmp_path / "plan.xlsx"
    file.write_bytes(exports.plan_xlsx(plan=made))
    assert load_workbook(file)["月"]["A2"].value == "'=HYPERLINK(1)"


def test_file_names_are_ascii(plan):
    assert exports.plan_file_name(plan=plan, file_format="xlsx") == "store-a-targets-2026.xlsx"
    plan.first_month = 4
    assert exports.plan_file_name(plan=plan, file_format="csv") == "store-a-targets-FY2026.csv"


def _url(store, year=2026, file_format="xlsx"):
    return reverse("kpi:plan_export", args=[store.slug, year, file_format])


@pytest.mark.parametrize(
    ("persona", "status"),
    [("boss", 200), ("lead", 200), ("operator", 200), ("designer", 200), ("stranger", 404), ("nobody", 404)],
)
def test_who_sees_the_store_may_download_its_plan(plan, personas, client_for, persona, status):
    response = client_for(personas.user(persona)).get(_url(personas.store_a, file_format="json"))
    assert response.status_code == status
    if status == 200:
        assert json.loads(response.content)["annual"] == "36000000.00"


@pytest.mark.parametrize(
    ("file_format", "content_type"),
    [
        ("json", "application/json"),
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_downloads_carry_their_content_type_and_an_ascii_file_name(
    plan, personas, client_for, file_format, content_type
):
    response = client_for(personas.boss).get(_url(personas.store_a, file_format=file_format))
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="store-a-targets-2026.{file_format}"'


def test_no_plan_another_format_or_a_store_not_seen_is_not_found(plan, personas, client_for):
    client = client_for(personas.operator)
    assert client.get(_url(personas.store_a, year=2027)).status_code == 404
    assert client.get(_url(personas.store_a, file_format="pdf")).status_code == 404
    assert client.get(_url(personas.store_b)).status_code == 404  # not the operator's store
    client.logout()
    assert client.get(_url(personas.store_a)).status_code == 302  # to the login page
