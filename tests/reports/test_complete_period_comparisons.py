"""A complete period is compared with the whole comparison period (docs/periods.md#comparisons):
November with all 31 days of October, a February with the whole month or February before it, a
quarter with the whole quarter before, a year after a leap year with all 366 days of it. Only a
period still in progress is compared like for like, days 1..n against days 1..n.

Every store-day below is ¥100 from 10 visitors and 1 buyer, except the days the comparison used
to leave out, which carry the difference: had the comparison been cut short, every 环比 / 同比
here would read 0 %.
"""

import datetime as dt
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from reports import exports, selectors, services
from stores.models import DailyMetric, Store
from stores.periods import DateRange, PeriodKind, comparison_for, days_between, period_parse

D = dt.date
HUNDRED = Decimal("100.00")
DECEMBER_1 = D(2026, 12, 1)  # a day after every period below


def _days(store, first: dt.date, last: dt.date, gmv: Decimal = HUNDRED, **special: Decimal) -> None:
    """Each day from first to last at `gmv` (¥100), but the days named in `special` (ISO dates
    with '-' as '_': d2026_10_31=...)."""
    amounts = {D.fromisoformat(name[1:].replace("_", "-")): value for name, value in special.items()}
    DailyMetric.objects.bulk_create(
        DailyMetric(store=store, date=day, uv=10, paid_buyers=1, gmv=amounts.get(day, gmv))
        for day in days_between(first, last)
    )


def _report(personas, kind: PeriodKind, label: str, last_complete_day: dt.date = DECEMBER_1):
    services.rollups_rebuild(stores=Store.objects.all())
    selection = selectors.store_selection_get(user=personas.lead, organisation=personas.acme)
    return selectors.period_report_get(
        selection=selection, period=period_parse(kind, label), last_complete_day=last_complete_day
    )


def _change(report, side: str) -> Decimal | None:
    return selectors.relative_change(report.total.current["gmv"], report.total.side(side)["gmv"])


# --- The windows compared -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "label", "previous", "last_year"),
    [
        # November (30 days) against all 31 days of October.
        ("month", "2026-11", (D(2026, 10, 1), D(2026, 10, 31)), (D(2025, 11, 1), D(2025, 11, 30))),
        # February (28) against all of January (31).
        ("month", "2026-02", (D(2026, 1, 1), D(2026, 1, 31)), (D(2025, 2, 1), D(2025, 2, 28))),
        # February after a leap year: 同比 is all 29 days of February 2024.
        ("month", "2025-02", (D(2025, 1, 1), D(2025, 1, 31)), (D(2024, 2, 1), D(2024, 2, 29))),
        # Q1 (90 days) against all 92 days of Q4.
        ("quarter", "2026-Q1", (D(2025, 10, 1), D(2025, 12, 31)), (D(2025, 1, 1), D(2025, 3, 31))),
        # The year after a leap year against all 366 days of it.
        ("year", "2025", (D(2024, 1, 1), D(2024, 12, 31)), (D(2024, 1, 1), D(2024, 12, 31))),
    ],
)
def test_a_complete_period_is_compared_with_the_whole_comparison_period(kind, label, previous, last_year):
    comparison = comparison_for(period_parse(kind, label), last_complete_day=D(2026, 12, 1))
    assert not comparison.partial
    assert comparison.previous == DateRange(*previous)
    assert comparison.last_year == DateRange(*last_year)


def test_a_month_in_progress_is_compared_like_for_like():
    # 15 days of November are in: 1–15 October and 1–15 November 2025.
    comparison = comparison_for(period_parse("month", "2026-11"), last_complete_day=D(2026, 11, 15))
    assert comparison.partial
    assert comparison.current == DateRange(D(2026, 11, 1), D(2026, 11, 15))
    assert comparison.previous == DateRange(D(2026, 10, 1), D(2026, 10, 15))
    assert comparison.last_year == DateRange(D(2025, 11, 1), D(2025, 11, 15))


# --- The numbers of the report ------------------------------------------------------------------


@pytest.fixture
def november(personas):
    """A店: ¥100 every day of October and November 2026, but 31 October: ¥3,100."""
    _days(personas.store_a, D(2026, 10, 1), D(2026, 11, 30), d2026_10_31=Decimal("3100.00"))
    return personas


def test_november_against_october(november):
    report = _report(november, PeriodKind.MONTH, "2026-11")
    # November ¥3,000 against October's 30 × ¥100 + ¥3,100 = ¥6,100: (3,000 − 6,100) / 6,100.
    assert report.total.current["gmv"] == Decimal("3000.00")
    assert report.total.previous["gmv"] == Decimal("6100.00")
    assert report.total.previous["store_days"] == 31
    assert _change(report, "previous") == Decimal(-3100) / Decimal(6100)
    # Conversion: 30 buyers of 300 visitors against 31 of 310: unchanged; AOV ¥100 against ¥196.77.
    assert report.total.previous["conversion"] == Decimal(31) / Decimal(310)
    assert report.total.previous["aov"] == Decimal("6100.00") / 31


def test_the_decomposition_of_november_explains_the_whole_october(november):
    decomposition = _report(november, PeriodKind.MONTH, "2026-11").decomposition
    assert decomposition.gmv_before == Decimal("6100.00")
    assert decomposition.change == Decimal("-3100.00")
    assert sum(part.amount for part in decomposition.contributions) == Decimal("-3100.00")
    # Every factor's percent of ¥6,100, adding up to −50.8 % (−3,100 / 6,100 = −50.82 %).
    assert decomposition.change_percent == Decimal("-50.8")


def test_the_november_page_export_and_json_compare_with_all_of_october(november, client_for):
    services.rollups_rebuild(stores=Store.objects.all())
    client = client_for(november.lead)
    page = client.get(reverse("reports:monthly"), {"period": "2026-11"}).content.decode()
    assert "↓ 50.8%" in page  # −3,100 / 6,100
    content = client.get(reverse("reports:monthly_export"), {"period": "2026-11", "format": "xlsx"}).content
    summary = openpyxl.load_workbook(io.BytesIO(content))["汇总"]
    headers = [cell.value for cell in summary[1]]
    total = next(row for row in summary.iter_rows(min_row=2, values_only=True) if row[0] == "合计")
    assert total[headers.index("支付金额环比")] == pytest.approx(-3100 / 6100)
    notes = [row[0] for row in summary.iter_rows(values_only=True) if row[0]]
    assert any("2026-10-01 – 2026-10-31" in str(note) for note in notes)
    report = _report(november, PeriodKind.MONTH, "2026-11")
    as_json = json.loads(json.dumps(exports.period_report_dict(report=report)))
    assert as_json["rows"][-1]["previous"]["gmv"] == "6100.00"
    assert as_json["comparison"] == {
        "partial": False,
        "current": {"start": "2026-11-01", "end": "2026-11-30"},
        "previous": {"start": "2026-10-01", "end": "2026-10-31"},
        "last_year": {"start": "2025-11-01", "end": "2025-11-30"},
    }


def test_february_against_january(personas):
    # January ¥100 a day but ¥1,000 on each of 29, 30 and 31 January: 28 × 100 + 3 × 1,000 = ¥5,800.
    _days(
        personas.store_a,
        D(2026, 1, 1),
        D(2026, 2, 28),
        d2026_01_29=Decimal("1000.00"),
        d2026_01_30=Decimal("1000.00"),
        d2026_01_31=Decimal("1000.00"),
    )
    report = _report(personas, PeriodKind.MONTH, "2026-02")
    assert (report.total.current["gmv"], report.total.previous["gmv"]) == (
        Decimal("2800.00"),
        Decimal("5800.00"),
    )
    assert _change(report, "previous") == Decimal(2800 - 5800) / Decimal(5800)  # −51.7 %


def test_a_february_against_the_leap_february_before_it(personas):
    # February 2024: 28 × ¥100 and ¥2,800 on the 29th = ¥5,600; February 2025: 28 × ¥100 = ¥2,800.
    _days(personas.store_a, D(2024, 2, 1), D(2024, 2, 29), d2024_02_29=Decimal("2800.00"))
    _days(personas.store_a, D(2025, 2, 1), D(2025, 2, 28))
    report = _report(personas, PeriodKind.MONTH, "2025-02")
    assert report.total.last_year["gmv"] == Decimal("5600.00")
    assert report.total.last_year["store_days"] == 29
    assert _change(report, "last_year") == Decimal("-0.5")


def test_a_quarter_against_the_whole_quarter_before(personas):
    # Q4 2025: 90 × ¥100 and ¥4,500 on each of 30 and 31 December = ¥18,000; Q1 2026: 90 × ¥100.
    _days(
        personas.store_a,
        D(2025, 10, 1),
        D(2026, 3, 31),
        d2025_12_30=Decimal("4500.00"),
        d2025_12_31=Decimal("4500.00"),
    )
    report = _report(personas, PeriodKind.QUARTER, "2026-Q1")
    assert (report.total.current["gmv"], report.total.previous["gmv"]) == (
        Decimal("9000.00"),
        Decimal("18000.00"),
    )
    assert _change(report, "previous") == Decimal("-0.5")


def test_a_year_after_a_leap_year(personas):
    # 2024: 365 × ¥100 and ¥36,600 on 31 December = ¥73,100; 2025: 365 × ¥100 = ¥36,500.
    _days(personas.store_a, D(2024, 1, 1), D(2025, 12, 31), d2024_12_31=Decimal("36600.00"))
    report = _report(personas, PeriodKind.YEAR, "2025")
    assert report.total.last_year["gmv"] == Decimal("73100.00")
    assert report.total.last_year["store_days"] == 366
    assert _change(report, "last_year") == Decimal(36500 - 73100) / Decimal(73100)  # −50.07 %


def test_a_month_in_progress_against_the_same_days_before(personas):
    # 1–15 November at ¥150 against 1–15 October at ¥100 (the rest of October, ¥900 a day, is
    # not compared yet): +50 %.
    _days(personas.store_a, D(2026, 10, 1), D(2026, 10, 15))
    _days(personas.store_a, D(2026, 10, 16), D(2026, 10, 31), gmv=Decimal("900.00"))
    _days(personas.store_a, D(2026, 11, 1), D(2026, 11, 15), gmv=Decimal("150.00"))
    report = _report(personas, PeriodKind.MONTH, "2026-11", last_complete_day=D(2026, 11, 15))
    assert report.total.previous["gmv"] == Decimal("1500.00")
    assert _change(report, "previous") == Decimal("0.5")


def test_the_daily_chart_shows_every_day_of_the_longer_comparison_month(november):
    from reports import charts

    report = _report(november, PeriodKind.MONTH, "2026-11")
    selection = selectors.store_selection_get(user=november.lead, organisation=november.acme)
    trends = selectors.report_trends(selection=selection, report=report)
    assert (len(trends["days"]), len(trends["previous_days"])) == (30, 31)
    drawn = charts.days_compared(trends["days"], trends["previous_days"], metric="gmv", title="GMV")
    assert "10-31" in drawn and "3100" in drawn  # October's 31st day, ¥3,100, is drawn
