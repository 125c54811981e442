"""The daily / weekly / monthly report pages: numbers, comparisons, access, commentary."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from reports import services
from reports.models import RollupRun, WeeklyCommentary
from stores.models import Store
from stores.periods import PeriodKind, last_complete_period, period_containing
from tests.factories import DailyMetricFactory

D = dt.date
WEEK = "2026-W46"  # 9–15 November 2026, the last complete week on Sunday 22 November


@pytest.fixture
def two_weeks(personas, settings):
    """Store A: W46 ¥1,000 a day from 100 UV and 5 buyers, W45 ¥800 a day; store B: W46 only
    ¥500 a day; a year earlier (2025-W46, 10–16 Nov 2025) store A sold ¥400 a day."""
    settings.LANGUAGE_CODE = "en"
    for offset in range(7):
        DailyMetricFactory(
            store=personas.store_a,
            date=D(2026, 11, 9) + dt.timedelta(offset),
            gmv=Decimal("1000.00"),
            uv=100,
            paid_buyers=5,
        )
        DailyMetricFactory(
            store=personas.store_a,
            date=D(2026, 11, 2) + dt.timedelta(offset),
            gmv=Decimal("800.00"),
            uv=100,
            paid_buyers=4,
        )
        DailyMetricFactory(
            store=personas.store_b,
            date=D(2026, 11, 9) + dt.timedelta(offset),
            gmv=Decimal("500.00"),
            uv=50,
            paid_buyers=5,
        )
        DailyMetricFactory(
            store=personas.store_a,
            date=D(2025, 11, 10) + dt.timedelta(offset),
            gmv=Decimal("400.00"),
            uv=100,
            paid_buyers=2,
        )
    DailyMetricFactory(store=personas.store_c, date=D(2026, 11, 10), gmv=Decimal("99999.00"))
    services.rollups_rebuild(stores=Store.objects.all())
    return personas


def _page(client, name="reports:weekly", **params) -> str:
    response = client.get(reverse(name), {"period": WEEK, **params}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_the_weekly_report_shows_the_totals_with_their_comparisons(two_weeks, client_for):
    with translation.override("en"):
        page = _page(client_for(two_weeks.boss))
    # Total ¥10,500 (A ¥7,000 + B ¥3,500); previous week ¥5,600 (+87.5 %); last year ¥2,800 (+275 %).
    assert "¥10,500.00" in page
    assert "↑ 87.5%" in page and "↑ 275.0%" in page
    # Conversion Σ buyers / Σ UV = 70 / 1,050 = 6.67 %, not the mean of 5 % and 10 %.
    assert "6.67%" in page
    assert "99,999" not in page, "another organisation's store"


def test_a_side_without_data_compares_as_a_dash(two_weeks):
    from reports import selectors

    selection = selectors.store_selection_get(user=two_weeks.lead, organisation=two_weeks.acme)
    report = selectors.period_report_get(
        selection=selection, period=period_containing("week", D(2026, 11, 9))
    )
    store_b = next(row for row in report.rows if row.store == two_weeks.store_b)
    assert store_b.previous["gmv"] is None
    assert selectors.relative_change(store_b.current["gmv"], store_b.previous["gmv"]) is None
    assert selectors.relative_change(Decimal("5"), Decimal("0")) is None


def test_staff_see_only_their_store_and_its_total(two_weeks, client_for):
    page = _page(client_for(two_weeks.operator))
    assert "A店" in page and "B店" not in page
    assert "¥7,000.00" in page and "¥10,500.00" not in page


def test_a_store_filter_narrows_the_report(two_weeks, client_for):
    page = _page(client_for(two_weeks.lead), store="store-b")
    assert "¥3,500.00" in page and "¥10,500.00" not in page


def test_why_gmv_moved_is_explained_in_one_sentence(two_weeks, client_for):
    with translation.override("en"):
        page = _page(client_for(two_weeks.operator))
    # Store A: UV flat, conversion 4 % → 5 %, AOV ¥200 flat: all of +25 % is conversion.
    assert "GMV +25.0 %: traffic ±0.0 %, conversion +25.0 %, AOV ±0.0 %" in page


def test_a_partial_week_is_compared_like_for_like(two_weeks, client_for):
    # W46 seen on its Wednesday: three days against three days of W45.
    from reports import selectors

    selection = selectors.store_selection_get(user=two_weeks.operator, organisation=two_weeks.acme)
    report = selectors.period_report_get(
        selection=selection,
        period=period_containing("week", D(2026, 11, 11)),
        last_complete_day=D(2026, 11, 11),
    )
    assert report.comparison.partial
    assert report.total.current["gmv"] == Decimal("3000.00")
    assert report.total.previous["gmv"] == Decimal("2400.00")


@pytest.mark.parametrize("name", ["reports:daily", "reports:weekly", "reports:monthly"])
def test_every_report_page_opens_with_its_default_period(two_weeks, client_for, name):
    response = client_for(two_weeks.lead).get(reverse(name))
    assert response.status_code == 200


def test_a_bad_period_falls_back_with_a_message(two_weeks, client_for):
    page = client_for(two_weeks.lead).get(reverse("reports:weekly"), {"period": "2026-W99"}).content.decode()
    # The default: the last complete week as of today (whatever day the suite runs on).
    assert last_complete_period(PeriodKind.WEEK).label in page and "2026-W99" in page


def test_someone_without_stores_gets_404(personas, client_for):
    assert client_for(personas.nobody).get(reverse("reports:weekly")).status_code == 404


def test_the_excel_download_obeys_the_same_access_as_the_page(two_weeks, client_for):
    response = client_for(two_weeks.operator).get(
        reverse("reports:weekly_export"), {"period": WEEK, "format": "xlsx"}
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    everything = " ".join(str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row)
    assert "A店" in everything and "B店" not in everything


def test_the_lead_writes_the_weekly_commentary_and_the_boss_reads_it(two_weeks, client_for):
    url = reverse("reports:weekly_commentary") + f"?org=acme&period={WEEK}"
    fields = {"wins": "双11 GMV record", "problems": "Refunds up", "next_week_plan": "Fix the refund page"}
    assert client_for(two_weeks.lead).post(url, fields).status_code == 302
    commentary = WeeklyCommentary.objects.get()
    assert (commentary.week_start, commentary.updated_by) == (D(2026, 11, 9), two_weeks.lead)
    page = _page(client_for(two_weeks.boss))
    assert "双11 GMV record" in page and "Fix the refund page" in page
    assert 'name="wins"' not in page, "the boss reads, the lead writes"


@pytest.mark.parametrize("persona", ["boss", "operator", "stranger"])
def test_only_the_lead_may_write_the_commentary(two_weeks, client_for, persona):
    url = reverse("reports:weekly_commentary") + f"?org=acme&period={WEEK}"
    client_for(two_weeks.user(persona)).post(url, {"wins": "x", "problems": "", "next_week_plan": ""})
    assert not WeeklyCommentary.objects.filter(organisation=two_weeks.acme).exists()


def test_a_commentary_posted_for_another_organisation_is_a_404_not_one_of_ones_own(two_weeks, client_for):
    """The organisation is the one in the address: Other Co's lead posting Acme's week gets 404
    (Acme is not theirs to see), not a commentary saved for Other Co instead (issue 16)."""
    url = reverse("reports:weekly_commentary") + f"?org=acme&period={WEEK}"
    response = client_for(two_weeks.stranger).post(url, {"wins": "x", "problems": "", "next_week_plan": ""})
    assert response.status_code == 404
    assert not WeeklyCommentary.objects.exists()


def test_the_job_status_page_is_the_leads(two_weeks, client_for):
    RollupRun.objects.create(
        organisation=two_weeks.acme,
        store=two_weeks.store_a,
        trigger=RollupRun.Trigger.NIGHTLY,
        first_day=D(2026, 11, 21),
        last_day=D(2026, 11, 21),
        status=RollupRun.Status.FAILED,
        error="Traceback: connection refused",
    )
    page = client_for(two_weeks.lead).get(reverse("reports:rollup_status")).content.decode()
    assert "A店" in page and "connection refused" in page
    assert client_for(two_weeks.boss).get(reverse("reports:rollup_status")).status_code == 404
    assert client_for(two_weeks.operator).get(reverse("reports:rollup_status")).status_code == 404


def test_the_lead_re_runs_a_failed_rollup(
    two_weeks, client_for, jobs_in_process, django_capture_on_commit_callbacks
):
    failed = RollupRun.objects.create(
        organisation=two_weeks.acme,
        store=two_weeks.store_a,
        trigger=RollupRun.Trigger.NIGHTLY,
        first_day=D(2026, 11, 10),
        last_day=D(2026, 11, 10),
        status=RollupRun.Status.FAILED,
    )
    assert (
        client_for(two_weeks.stranger).post(reverse("reports:rollup_rerun", args=[failed.pk])).status_code
        == 404
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(two_weeks.lead).post(reverse("reports:rollup_rerun", args=[failed.pk]))
    assert response.status_code == 302
    rerun = RollupRun.objects.get(trigger=RollupRun.Trigger.RERUN)
    assert (rerun.store, rerun.status, rerun.requested_by) == (
        two_weeks.store_a,
        RollupRun.Status.DONE,
        two_weeks.lead,
    )
