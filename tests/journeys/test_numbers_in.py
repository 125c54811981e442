"""Journey 3, numbers in (issue 16), in Chinese, as the demo's 运营 (operator).

The operator uploads a 生意参谋 店铺整体日报 (.xlsx, its title rows and usual columns) of one store's
last 7 days, with figures that differ from the stored ones. The preview lists each date as changed
and saves nothing; applied, the real worker runs the import while the page shows a progress bar and
polls, and the page then says imported; the days hold the file's values, and once the rollups have
run the weekly report's GMV of the store is the imported days plus the week's other stored days.
A second file with a text in a number column is refused, naming its row and column, and not one
stored day changes.

Files larger than IMPORT_INLINE_MAX_BYTES go to the worker with a progress bar; the journey's file is
small, so the limit is lowered to put it on that path.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from opsdesk.models import BackgroundJob
from reports.models import RollupRun
from stores import metrics, periods
from stores.models import DailyMetric, ImportBatch, Store
from tests.journeys.conftest import wait_for
from tests.stores.imports.files import HEADER, xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.redis]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CENT = Decimal("0.01")
FINISHED = "[data-status=previewed], [data-status=refused], [data-status=failed]"


def _new_figures(stored: DailyMetric, shift: int) -> dict:
    """The day as 生意参谋's final figures have it: a little more than the stored numbers."""
    uv, buyers = stored.uv + 37 * shift, stored.paid_buyers + 3
    gmv = stored.gmv + Decimal("512.30") + shift
    spend = stored.ad_spend + Decimal("20.00")
    keyword = (spend * Decimal("0.5")).quantize(CENT)
    audience = (spend * Decimal("0.3")).quantize(CENT)
    return {
        "统计日期": stored.date.isoformat(),
        "访客数": uv,
        "浏览量": stored.pv + 100,
        "支付金额": gmv,
        "支付买家数": buyers,
        "支付转化率": f"{(Decimal(buyers * 100) / uv).quantize(CENT, ROUND_HALF_UP)}%",
        "客单价": (gmv / buyers).quantize(CENT, ROUND_HALF_UP),
        "支付新买家数": stored.new_buyers + 2,
        "支付老买家数": stored.returning_buyers + 1,
        "成功退款金额": stored.refund_amount,
        "关键词推广花费": keyword,
        "精准人群推广花费": audience,
        "全站推广花费": spend - keyword - audience,
        "淘宝客佣金": "-",
        "描述相符评分": stored.dsr_item,
        "物流服务评分": stored.dsr_logistics,
        "服务态度评分": stored.dsr_service,
    }


def _workbook(store: Store, days: list[dict]) -> bytes:
    first, last = days[0]["统计日期"], days[-1]["统计日期"]
    rows = [["店铺整体日报"], [f"统计时间：{first} ~ {last}"], []]
    rows += [HEADER] + [[{**day, "店铺名称": store.name}[header] for header in HEADER] for day in days]
    return xlsx_bytes({"店铺整体日报": rows})


def _stored(store: Store) -> list[tuple]:
    """Every stored day of the store, every column."""
    return list(DailyMetric.objects.filter(store=store).order_by("date").values_list())


def _upload(journey, store: Store, name: str, content: bytes, shot: str) -> ImportBatch:
    """Upload on /imports/ (导入 in the navigation) and wait for the worker's check: the import's
    page, previewed or refused."""
    journey.page.click("nav.nav a[href='/imports/']")
    journey.page.wait_for_url(journey.url("/imports/"))
    journey.check()
    journey.page.select_option("select[name=store]", str(store.pk))
    journey.page.set_input_files("input[name=file]", {"name": name, "mimeType": XLSX, "buffer": content})
    journey.shot(f"upload-{shot}")
    journey.page.click("main form button[type=submit]")
    journey.page.wait_for_url("**/imports/*/")
    batch_id = int(journey.page.url.rstrip("/").rsplit("/", 1)[1])
    try:  # a delivery Redis refused waits for the worker's sweep (every 30 s): time for two
        journey.page.wait_for_selector(FINISHED, timeout=90_000)
    except PlaywrightTimeout as slow:
        raise AssertionError(f"import #{batch_id} not checked: {_jobs_state(batch_id)}") from slow
    return ImportBatch.objects.get(pk=batch_id)


def _jobs_state(batch_id: int) -> str:
    """What the batch and the background jobs say, when a journey waits too long for them."""
    batch = ImportBatch.objects.get(pk=batch_id)
    jobs = BackgroundJob.objects.order_by("-pk").values_list("pk", "name", "status", "deliveries", "error")
    return f"batch {batch.status} {batch.progress}%, latest jobs {list(jobs[:5])}"


def test_numbers_in_from_a_file(journey, settings):
    settings.IMPORT_INLINE_MAX_BYTES = 1024
    operator = get_user_model().objects.get(username="operator")
    operator_stores = Store.objects.filter(assignments__user=operator).distinct().order_by("name")
    store = operator_stores.first()
    yesterday = periods.yesterday()
    dates = [yesterday - dt.timedelta(days=back) for back in range(6, -1, -1)]
    before = {day.date: day for day in DailyMetric.objects.filter(store=store, date__in=dates)}
    assert len(before) == 7, "the demo has every day up to yesterday"
    figures = [_new_figures(before[date], shift) for shift, date in enumerate(dates, 1)]
    week = periods.last_complete_period(periods.PeriodKind.WEEK)
    week_before = {
        day.date: day.gmv
        for day in DailyMetric.objects.filter(store=store, date__range=(week.start, week.end))
    }

    # Upload: checked by the worker, then a preview of every date, nothing saved yet.
    untouched = _stored(store)
    journey.log_in("operator")
    name = f"{store.name}_店铺整体日报_{dates[0]:%Y%m%d}-{dates[-1]:%Y%m%d}.xlsx"
    batch = _upload(journey, store, name, _workbook(store, figures), "good")
    assert (batch.status, batch.rows_total) == (ImportBatch.Status.PREVIEWED, 7), batch.errors
    assert journey.text("[data-status]") == "已检查，尚未导入"
    for date in dates:
        row = f"[data-by-date] tr[data-date='{date.isoformat()}']"
        assert journey.text(f"{row} [data-count=update]") == "1"
        assert journey.text(f"{row} [data-count=insert]") == "0"
        changed = journey.text(f".revisions > li[data-date='{date.isoformat()}']")
        uv = next(day["访客数"] for day in figures if day["统计日期"] == date.isoformat())
        assert f"访客数: {metrics.display('uv', before[date].uv)} → {metrics.display('uv', uv)}" in changed
    journey.shot("preview")
    assert _stored(store) == untouched, "a preview saves nothing"

    # Apply: the worker imports while the page shows a progress bar and polls. The store is held by
    # another writer meanwhile (as by a typed entry being saved), so the import waits in plain view.
    with transaction.atomic():
        Store.objects.select_for_update().get(pk=store.pk)
        journey.page.click("form[action$='/apply/'] button[type=submit]")
        journey.page.wait_for_selector("progress#import-progress")
        with journey.page.expect_response(
            lambda answer: answer.url.endswith(f"/imports/{batch.pk}/progress/")
        ):
            pass
        journey.shot("importing")
    try:
        journey.page.wait_for_selector("[data-status=applied]", timeout=90_000)
    except PlaywrightTimeout as slow:
        raise AssertionError(f"import #{batch.pk} not applied: {_jobs_state(batch.pk)}") from slow
    assert journey.text("[data-status]") == "已导入"
    journey.shot("applied")
    for day in figures:
        stored = DailyMetric.objects.get(store=store, date=day["统计日期"])
        assert (stored.uv, stored.pv, stored.gmv, stored.paid_buyers) == (
            day["访客数"],
            day["浏览量"],
            day["支付金额"],
            day["支付买家数"],
        )
        assert stored.ad_spend == day["关键词推广花费"] + day["精准人群推广花费"] + day["全站推广花费"]
        assert stored.import_batch_id == batch.pk

    # The weekly report, once the rollups have run: the store's GMV of last week.
    wait_for(lambda: not RollupRun.objects.filter(status__in=RollupRun.UNFINISHED).exists())
    imported = {dt.date.fromisoformat(day["统计日期"]): day["支付金额"] for day in figures}
    expected = sum(imported.get(date, gmv) for date, gmv in week_before.items())
    journey.visit("/reports/weekly/")
    assert week.label in journey.text("h1")
    shown = journey.text(f"tr[data-store='{store.slug}'] td[data-metric=gmv]")
    assert shown == metrics.display("gmv", expected)
    # The total is the operator's stores' (docs/access.md#reports-and-exports), this one's included.
    others = DailyMetric.objects.filter(
        store__in=operator_stores.exclude(pk=store.pk), date__range=(week.start, week.end)
    ).aggregate(total=Sum("gmv"))["total"]
    assert journey.text("tr[data-store=total] td[data-metric=gmv]") == metrics.display(
        "gmv", expected + others
    )
    journey.shot("weekly-report")

    # A file with a text in a number column: refused by row and column, nothing changed.
    everything = _stored(store)
    broken = [dict(day) for day in figures]
    broken[2]["访客数"] = "约3000"  # the third day, on row 7 (three title rows, the header on row 4)
    batch = _upload(journey, store, "店铺整体日报_有误.xlsx", _workbook(store, broken), "broken")
    assert (batch.status, batch.rows_total) == (ImportBatch.Status.REFUSED, 7)
    assert journey.text("[data-status]") == "已拒绝"
    assert "店铺整体日报_有误.xlsx，第 7 行“访客数”列：“约3000”不是数字" in journey.text(".error-box")
    assert not journey.page.locator("form[action$='/apply/']").count()
    journey.shot("refused")
    assert _stored(store) == everything
