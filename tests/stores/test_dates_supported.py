"""Dates and periods at the ends of the calendar: a clear 404 or a message, never a 500.

Every address that reads a date or a period from the user is asked for the first and last
days Python knows (0001-01-01, 9999-12-31) and their weeks and months, and for the days just
outside the range OpsDesk supports (stores.periods.FIRST_DAY … periods.last_supported_day()).
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from stores import periods
from stores.periods import PeriodKind

EXTREME_DAYS = ["0001-01-01", "0001-01-02", "1999-12-31", "9999-12-31", "9999-12-30"]
EXTREME_PERIODS = {
    "daily": EXTREME_DAYS,
    "weekly": [*EXTREME_DAYS, "0001-W01", "0001-W02", "9999-W52", "9999-W51", "1999-W52"],
    "monthly": [*EXTREME_DAYS, "0001-01", "0001-02", "9999-12", "9999-11", "1999-12"],
}
REPORT_ADDRESSES = [
    (kind, period, export)
    for kind, labels in EXTREME_PERIODS.items()
    for period in labels
    for export in (None, "xlsx", "csv", "json")
]


def _after_last_supported() -> str:
    return (periods.last_supported_day() + dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(("kind", "period", "export"), REPORT_ADDRESSES)
def test_report_pages_and_exports_answer_extreme_periods_with_a_message(
    personas, client_for, kind, period, export
):
    client = client_for(personas.lead)
    if export is None:
        response = client.get(reverse(f"reports:{kind}"), {"period": period})
        assert response.status_code == 200
        # The page says why it shows another period than the one asked for.
        assert response.context["choice_error"]
    else:
        response = client.get(reverse(f"reports:{kind}_export"), {"period": period, "format": export})
        assert response.status_code in (200, 404)


@pytest.mark.parametrize("kind", ["daily", "weekly", "monthly"])
def test_a_period_beyond_the_supported_range_is_refused_with_a_message(personas, client_for, kind):
    client = client_for(personas.lead)
    for period in ("1999-12-31", _after_last_supported()):
        response = client.get(reverse(f"reports:{kind}"), {"period": period})
        assert response.status_code == 200
        shown = response.context["report"].period
        assert shown == periods.last_complete_period(PeriodKind(response.context["report"].kind))
        assert response.context["choice_error"]


@pytest.mark.parametrize("day", EXTREME_DAYS + ["2000-02-30", "not-a-date"])
def test_checklist_day_pages_answer_404(personas, client_for, day):
    client = client_for(personas.operator)
    assert client.get(reverse("tasks:checklist_day", args=[day])).status_code == 404
    assert client.post(reverse("tasks:report_submit", args=[day]), {}).status_code == 404
    assert client_for(personas.lead).get(reverse("tasks:team"), {"day": day}).status_code == 404


def test_the_checklist_of_the_first_supported_day_is_a_page(personas, client_for):
    response = client_for(personas.operator).get(
        reverse("tasks:checklist_day", args=[periods.FIRST_DAY.isoformat()])
    )
    assert response.status_code == 200


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_entry_pages_answer_404(personas, client_for, day):
    client = client_for(personas.operator)
    url = reverse("stores:entry_day", args=[personas.store_a.slug, day])
    assert client.get(url).status_code == 404
    assert client.post(url, {"uv": "10"}).status_code == 404


def test_the_entry_page_of_the_first_supported_day_is_a_page(personas, client_for):
    url = reverse("stores:entry_day", args=[personas.store_a.slug, periods.FIRST_DAY.isoformat()])
    assert client_for(personas.operator).get(url).status_code == 200


@pytest.mark.parametrize(("first", "last"), [("0001-01-01", "2026-11-01"), ("2026-11-01", "9999-12-31")])
def test_store_export_with_extreme_dates_answers_404(personas, client_for, first, last):
    url = reverse("stores:export", args=[personas.store_a.slug])
    response = client_for(personas.operator).get(url, {"from": first, "to": last, "format": "csv"})
    assert response.status_code == 404


REPORT_OPTIONS = (
    [("daily", "--date", day) for day in EXTREME_DAYS]
    + [("weekly", "--week", week) for week in ("0001-W01", "0001-W02", "9999-W52", "1999-W52", *EXTREME_DAYS)]
    + [("monthly", "--month", month) for month in ("0001-01", "0001-02", "9999-12", "1999-12", *EXTREME_DAYS)]
)


@pytest.mark.parametrize(("kind", "option", "value"), REPORT_OPTIONS)
def test_report_command_refuses_extreme_periods_with_a_message(personas, kind, option, value):
    with pytest.raises(CommandError) as refused:
        call_command(
            "report",
            kind,
            option,
            value,
            "--organisation",
            "acme",
            "--format",
            "json",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert value in str(refused.value)


@pytest.mark.parametrize("kind", list(PeriodKind))
@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_period_parse_refuses_days_outside_the_supported_range(kind, text):
    with pytest.raises(ValueError):
        periods.period_parse(kind, text)


@pytest.mark.parametrize("kind", list(PeriodKind))
def test_every_supported_period_has_a_previous_next_and_last_year_period(kind):
    """At both ends of the range, the arithmetic of comparisons and trends stays in the calendar."""
    for day in (periods.FIRST_DAY, periods.last_supported_day()):
        period = periods.period_containing(kind, day)
        periods.previous_period(period)
        periods.next_period(period)
        periods.last_year_period(period)
        periods.periods_before(period, 12)


def test_the_supported_range():
    assert periods.FIRST_DAY == dt.date(2000, 1, 1)
    assert periods.last_supported_day() >= periods.today() + dt.timedelta(days=365)
    assert periods.is_supported(periods.FIRST_DAY) and periods.is_supported(periods.last_supported_day())
    assert not periods.is_supported(periods.FIRST_DAY - dt.timedelta(days=1))
    assert not periods.is_supported(periods.last_supported_day() + dt.timedelta(days=1))
    with pytest.raises(ValueError):
        periods.parse_day("0001-01-01")
    assert periods.parse_day(" 2026-11-01 ") == dt.date(2026, 11, 1)
