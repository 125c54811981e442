"""Pacing where the team meets it: the dashboard's cards (furthest behind first among equals), the
weekly report and its files, the `report` command, the 目标对比 checklist item and the alert. A
target edit shows on the next visit; the pages ask as many queries for 2 stores as for 6."""

import datetime as dt
import json
from decimal import Decimal
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpi.alerts import CODE as PACING_ALERT
from kpi.allocation import financial_year_days
from kpi.models import PlanDay, SalesTarget
from reports import emails
from reports import services as report_services
from reports.models import Alert
from stores import periods
from stores.models import Store
from tasks.services import checklist_generate, checklist_templates_seed
from tests.factories import DailyMetricFactory, StoreFactory

D = Decimal


def _plan(store, *, per_day: str = "1000.00") -> SalesTarget:
    """This calendar year, the same target every day (a hand-made plan: every figure below is
    that number times days)."""
    year = periods.yesterday().year
    days = financial_year_days(year=year)
    plan = SalesTarget.objects.create(
        store=store, year=year, first_day=days[0], last_day=days[-1], annual=D(per_day) * len(days)
    )
    PlanDay.objects.bulk_create(
        PlanDay(plan=plan, store=store, date=day, target=D(per_day), weight=1, source="default")
        for day in days
    )
    return plan


def _sold(store, gmv: str, *, days: int) -> None:
    yesterday = periods.yesterday()
    for back in range(days):
        DailyMetricFactory(store=store, date=yesterday - dt.timedelta(days=back), gmv=D(gmv))


@pytest.fixture
def planned(personas):
    """A sells ¥800 a day against ¥1,000 (80 %), B ¥1,100 (110 %), since ten days before the month
    began (so the last complete week has its numbers)."""
    days = periods.yesterday().day + 10
    _plan(personas.store_a)
    _plan(personas.store_b)
    _sold(personas.store_a, "800.00", days=days)
    _sold(personas.store_b, "1100.00", days=days)
    report_services.rollups_rebuild(stores=Store.objects.all())
    return personas


def _en(client, url, **params):
    """The page in English (the language switch's cookie): the catalogue would have it in Chinese."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(url, params).content.decode()


def test_the_dashboard_cards_show_the_month_and_yesterdays_target_furthest_behind_first(planned, client_for):
    page = _en(client_for(planned.lead), reverse("dashboard"))
    assert "¥800.00 / ¥1,000.00" in page  # A yesterday against its target (目标对比)
    assert "¥1,100.00 / ¥1,000.00" in page
    assert "Month:" in page and "80.00%" in page and "110.00%" in page
    # Both stores: ¥1,900 of ¥2,000 yesterday, 95 % of the month so far.
    assert "¥1,900.00 / ¥2,000.00" in page and "95.00%" in page
    # A is behind and comes first, though B's GMV dropped more (none): behind first among equals.
    assert page.index("A店") < page.index("B店")


def _days_left() -> int:
    yesterday = periods.yesterday()
    month_end = (yesterday.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return (month_end - yesterday).days


def test_the_month_needs_the_rest_at_the_required_daily_rate(planned, client_for):
    left = _days_left()
    if not left:
        pytest.skip("the month ends today")
    yesterday = periods.yesterday()
    month_days = yesterday.day + left
    required = (D(1000) * month_days - D(800) * yesterday.day) / left  # (target − actual) / days left
    page = _en(client_for(planned.lead), reverse("store_dashboard", args=["store-a"]))
    assert f"needs ¥{required.quantize(D('0.01')):,} a day" in page


def test_without_any_target_the_total_says_so(personas, client_for):
    page = _en(client_for(personas.lead), reverse("dashboard"))
    assert "No sales target for these days yet." in page


def test_a_target_edit_shows_on_the_next_visit(planned, client_for):
    client = client_for(planned.lead)
    assert "¥800.00 / ¥1,000.00" in _en(client, reverse("dashboard"))
    plan = SalesTarget.objects.get(store=planned.store_a)
    PlanDay.objects.filter(plan=plan, date=periods.yesterday()).update(target=D("1600.00"))
    assert "¥800.00 / ¥1,600.00" in _en(client, reverse("dashboard"))


def _report_json(week) -> str:
    out = StringIO()
    call_command(
        "report", "weekly", "--week", week.label, "--organisation", "acme", "--format", "json", stdout=out
    )
    return out.getvalue()


def test_the_report_command_carries_each_rows_pacing(planned):
    week = periods.last_complete_period(periods.PeriodKind.WEEK)
    report = json.loads(_report_json(week))
    rows = {row["store"]: row for row in report["rows"]}
    row_a = rows["store-a"]["pacing"]
    assert row_a["period"] == week.label and row_a["target"] == "7000.00"
    assert row_a["time_progress_planned"] == "1.0000" and row_a["days_left"] == 0
    sold = DailyMetricFactory._meta.model.objects.filter(
        store=planned.store_a, date__range=(week.start, week.end)
    ).count()
    assert row_a["actual"] == f"{800 * sold:.2f}"


def test_a_store_without_a_target_has_null_pacing(personas):
    week = periods.last_complete_period(periods.PeriodKind.WEEK)
    report = json.loads(_report_json(week))
    assert all(row["pacing"] is None for row in report["rows"])


def test_the_weekly_report_has_pacing_on_top_and_target_columns(planned, client_for):
    page = _en(client_for(planned.boss), reverse("reports:weekly"))
    assert "Against target" in page
    assert page.index("Against target") < page.index("report-table")
    for period in ("Week", "Month", "Year"):
        assert f"<th>{period}" in page
    assert "Attainment (达成率)" in page and "¥7,000.00" in page


def test_the_target_comparison_item_shows_yesterdays_target_and_actual(planned, client_for):
    checklist_templates_seed(organisation=planned.acme)
    checklist_generate(day=periods.today(), user=planned.operator)
    page = _en(client_for(planned.operator), reverse("tasks:checklist"))
    yesterday = periods.yesterday()
    if "目标对比" not in page:
        pytest.skip("no list today (a rest day)")
    assert f"{yesterday:%m-%d}: target ¥1,000.00, actual ¥800.00" in page


def test_the_pacing_alert_fires_for_the_store_behind_its_planned_pace(planned):
    # A's month so far was planned at ¥20,000 a day: its ¥800 a day is far more than 5 points of
    # the month behind its planned progress. B, at ¥1,100 against ¥1,000, is ahead.
    yesterday = periods.yesterday()
    PlanDay.objects.filter(store=planned.store_a, date__range=(yesterday.replace(day=1), yesterday)).update(
        target=D("20000.00")
    )
    report_services.alerts_evaluate(stores=[planned.store_a, planned.store_b], day=periods.yesterday())
    fired = set(Alert.objects.filter(rule=PACING_ALERT).values_list("store__slug", flat=True))
    assert fired == {"store-a"}


@pytest.mark.parametrize("page", ["dashboard", "reports:weekly"])
def test_the_pages_ask_as_many_queries_for_two_stores_as_for_six(planned, client_for, page):
    client = client_for(planned.lead)
    client.get(reverse(page))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(page)).status_code == 200
        return len(queries)

    few = count()
    for number in range(4):
        store = StoreFactory(organisation=planned.acme, slug=f"more-{number}")
        _plan(store)
        _sold(store, "900.00", days=3)
    report_services.rollups_rebuild(stores=Store.objects.all())
    assert count() == few


def test_the_weekly_csv_and_xlsx_carry_target_and_attainment(planned, client_for):
    client = client_for(planned.boss)
    csv_text = client.get(reverse("reports:weekly_export"), {"format": "csv"}).content.decode("utf-8-sig")
    header, *rows = [line.split(",") for line in csv_text.strip().splitlines()]
    assert header[-2:] == ["目标", "达成率"]
    by_store = {row[0]: row for row in rows}
    assert any(row[-2] == "7000.00" for row in by_store.values())
    workbook = openpyxl.load_workbook(
        BytesIO(client.get(reverse("reports:weekly_export"), {"format": "xlsx"}).content)
    )
    cells = [cell.value for row in workbook.worksheets[0].iter_rows() for cell in row]
    assert "目标" in cells and "达成率" in cells and 7000 in cells


def test_the_weekly_email_shows_each_stores_target_and_attainment(planned):
    week = periods.last_complete_period(periods.PeriodKind.WEEK)
    planned.boss.email = "boss@example.com"
    planned.boss.save()
    emails.weekly_report_email_send(organisation=planned.acme, week=week)
    html = mail.outbox[0].alternatives[0][0]
    assert "目标" in html and "达成率" in html
    assert "¥7,000.00" in html  # each store's week: 7 days at ¥1,000
    assert "¥14,000.00" in html  # both together
    assert "80.00%" in html and "110.00%" in html
