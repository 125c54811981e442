"""`manage.py kpi scores`: the period's scores computed and written as JSON (as documented) or Excel."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from kpi.services.kpi_templates import kpi_templates_seed
from reports import services as report_services
from stores.models import Store
from tests.factories import DailyMetricFactory


@pytest.fixture
def scored(personas):
    kpi_templates_seed(organisation=personas.acme)
    DailyMetricFactory(
        store=personas.store_a, date=dt.date(2026, 11, 18), uv=2000, ad_spend="500", ad_gmv="2000"
    )
    report_services.rollups_rebuild(stores=Store.objects.all())
    return personas


def _json(*args) -> dict:
    out = StringIO()
    call_command("kpi", "scores", *args, "--organisation", "acme", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_the_json_has_every_person_and_item(scored):
    found = _json("--week", "2026-W47")
    assert found["period"] == {
        "kind": "week",
        "label": "2026-W47",
        "first_day": "2026-11-16",
        "last_day": "2026-11-22",
    }
    people = {(person["username"], person["roles"][0]): person for person in found["people"]}
    assert {("lead", "lead"), ("operator", "operator"), ("promotion", "promotion")} <= set(people)
    promotion = people[("promotion", "promotion")]
    assert promotion["stores"] == ["store-a"] and promotion["provisional"] is False
    items = {item["code"]: item for item in promotion["items"]}
    assert set(items["roi"]) == {
        "code",
        "source",
        "direction",
        "actual",
        "target",
        "attainment",
        "capped",
        "weight",
        "points",
    }
    # ROI 2,000 / 500 = 4 against 3: 133 %, capped at 120 %. Traffic has no target: its weight goes
    # to the others; the budget item (ad spend, lower is better) has none either.
    assert (items["roi"]["actual"], items["roi"]["attainment"], items["roi"]["capped"]) == (
        "4.0000",
        "1.3333",
        "1.2000",
    )
    assert items["traffic"]["attainment"] is None
    assert promotion["total"] == "120.00"  # ROI alone scores, at its cap


def test_a_month_and_a_bad_period(scored):
    assert _json("--month", "2026-11")["period"]["label"] == "2026-11"
    with pytest.raises(CommandError, match="2026-13"):
        call_command("kpi", "scores", "--month", "2026-13", "--organisation", "acme")


def test_the_xlsx_is_the_team_table(scored, tmp_path):
    target = tmp_path / "scores.xlsx"
    call_command(
        "kpi", "scores", "--week", "2026-W47", "--organisation", "acme", "--format", "xlsx", "-o", str(target)
    )
    cells = [
        cell.value for sheet in load_workbook(target).worksheets for row in sheet.iter_rows() for cell in row
    ]
    assert "promotion" in " ".join(str(cell) for cell in cells if cell)
    # The promotion specialist's total, a number in the sheet (not text).
    assert any(isinstance(cell, int | float) and cell == 120 for cell in cells)
    with pytest.raises(CommandError, match="-o"):
        call_command("kpi", "scores", "--week", "2026-W47", "--organisation", "acme", "--format", "xlsx")
