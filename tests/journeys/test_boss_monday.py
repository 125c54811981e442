"""Journey 4, the boss's Monday (issue 16), in Chinese, as the demo's 老板 (boss).

The boss's home page is the weekly report of the last complete week. On top, above the per-store
table, the week, its month and the year stand against their targets, as kpi's pacing says (target,
actual, completion), and the team's scores of the week name each person as colleagues say it
(李思雨); each store's row carries its GMV (the stored week) and its target and 达成率 (attainment)
for the week, as the plan says. The boss downloads the report's .xlsx: opened with
openpyxl, its summary holds each store's GMV, target and attainment and the total as the page shows
them. Last, the boss opens the KPI team table: everyone with a score this week is listed, by role,
with their name and score as stored. How far along the periods are, each store's 达成率 on a
desktop and each score on a phone are on the screen, not beyond its edge.
"""

from decimal import Decimal

import openpyxl
import pytest

from kpi import pacing
from kpi.allocation import PlanLevel
from kpi.models import KpiScore
from reports.models import StoreRollup
from stores import metrics, periods
from stores.models import Organisation
from stores.periods import PeriodKind
from stores.templatetags.people import person as person_name

pytestmark = [pytest.mark.browser, pytest.mark.redis]

SUMMARY = "汇总"  # the workbook's first sheet (reports.exports.words)


def money(amount) -> str:
    return metrics.display("gmv", amount)


def percent(fraction) -> str:
    return metrics.display("conversion", fraction)


def _right_edge(locator) -> float:
    box = locator.bounding_box()
    return box["x"] + box["width"]


def test_the_bosss_monday(journey):
    page = journey.page
    organisation = Organisation.objects.get(slug="demo")
    stores = list(organisation.stores.order_by("name"))
    week = periods.last_complete_period(PeriodKind.WEEK)
    yesterday = periods.yesterday()

    # The weekly report is the boss's home page: the last complete week.
    journey.log_in("boss")
    assert page.url == journey.url("/reports/weekly/")
    assert week.label in journey.text("h1") and organisation.name in journey.text("h1")
    journey.shot("weekly-report")

    # On top, above the per-store table: the week, its month and the year against their targets.
    on_top = page.locator("section.pacing")
    table = page.locator("table.report-table")
    assert on_top.bounding_box()["y"] < table.bounding_box()["y"]
    levels = (PlanLevel.WEEK, PlanLevel.MONTH, PlanLevel.YEAR)
    paced = pacing.pacing_get(stores=stores, day=min(yesterday, week.end), levels=levels)
    for level in levels:
        total = paced[level][pacing.TOTAL]
        row = on_top.locator(f"tr[data-period='{total.label}']")
        assert row.locator("[data-figure=target]").inner_text() == money(total.target)
        assert row.locator("[data-figure=actual]").inner_text() == money(total.actual)
        assert row.locator("[data-figure=completion]").inner_text() == percent(total.completion)
    assert paced[PlanLevel.WEEK][pacing.TOTAL].label == week.label
    # How far along they are is on the screen, on a phone too, without scrolling sideways.
    assert _right_edge(on_top.locator("[data-figure=completion]").first) <= _right_edge(
        on_top.locator(".table-wrap")
    )

    # The team's scores of the week, each person named as colleagues say it.
    week_scores = KpiScore.objects.filter(organisation=organisation, kind="week", period_start=week.start)
    names = page.locator("section.team-scores tbody th").all_inner_texts()
    assert sorted(names) == sorted(person_name(score.user) for score in week_scores.select_related("user"))

    # Each store's week: its stored GMV, its target and attainment as the plan says.
    weeks = pacing.period_pacing_get(stores=stores, period=week, day=week.end)
    shown = {}
    for store in stores:
        gmv = StoreRollup.objects.get(store=store, kind=PeriodKind.WEEK, period_start=week.start).gmv
        row = table.locator(f"tr[data-store={store.slug}]")
        shown[store.name] = {
            "gmv": row.locator("[data-metric=gmv]").inner_text(),
            "target": row.locator("[data-figure=target]").inner_text(),
            "attainment": row.locator("[data-figure=attainment]").inner_text(),
        }
        assert shown[store.name] == {
            "gmv": money(gmv),
            "target": money(weeks[store.pk].target),
            "attainment": percent(weeks[store.pk].completion),
        }
    total_row = table.locator("tr[data-store=total]")
    shown["合计"] = {
        "gmv": total_row.locator("[data-metric=gmv]").inner_text(),
        "target": total_row.locator("[data-figure=target]").inner_text(),
        "attainment": total_row.locator("[data-figure=attainment]").inner_text(),
    }
    assert shown["合计"] == {
        "gmv": money(sum(weeks[store.pk].actual for store in stores)),
        "target": money(weeks[pacing.TOTAL].target),
        "attainment": percent(weeks[pacing.TOTAL].completion),
    }
    assert table.locator("thead").bounding_box()["height"] < 80, "headers wrap two lines at most"
    if not journey.phone:  # a desktop shows the whole table: 达成率, its last column, too
        wrap = table.locator("xpath=..")
        assert _right_edge(total_row.locator("[data-figure=attainment]")) <= _right_edge(wrap)
    table.scroll_into_view_if_needed()
    journey.shot("per-store-table")

    # The .xlsx, saved beside the screenshots and read back: its summary is the page's table.
    with page.expect_download() as info:
        page.click("form.report-picker .downloads a[href*='format=xlsx']")
    download = info.value
    assert download.suggested_filename == f"demo-weekly-{week.label}.xlsx"
    saved = journey.folder / f"{journey.viewport}-{download.suggested_filename}"
    download.save_as(saved)
    workbook = openpyxl.load_workbook(saved, read_only=True)
    assert workbook.sheetnames[0] == SUMMARY
    rows = list(workbook[SUMMARY].iter_rows(values_only=True))
    header = rows[0]
    columns = {
        name: header.index(label)
        for name, label in (("gmv", "支付金额"), ("target", "目标"), ("attainment", "达成率"))
    }
    in_file = {
        row[0]: {
            "gmv": money(Decimal(str(row[columns["gmv"]]))),
            "target": money(Decimal(str(row[columns["target"]]))),
            "attainment": percent(Decimal(str(row[columns["attainment"]]))),
        }
        for row in rows[1:]
        if row and row[0] in shown
    }
    assert in_file == shown
    journey.shot("after-download")

    # The KPI team table: everyone scored this week, by role, with their score.
    page.click("header.topbar a[href='/kpi/']")
    page.wait_for_url(journey.url("/kpi/"))
    journey.check()
    this_week = periods.period_containing(PeriodKind.WEEK, periods.today())
    assert this_week.label in journey.text("h1")
    scores = KpiScore.objects.filter(organisation=organisation, kind="week", period_start=this_week.start)
    assert scores.count() >= 6, "the demo scores its whole team every week"
    for score in scores.select_related("user"):
        row = page.locator(f"#role-{score.role} tr[data-user='{score.user.username}']")
        assert person_name(score.user) in row.locator("th").inner_text()
        shown_score = row.locator("[data-figure=score]")
        assert shown_score.inner_text() == ("—" if score.total is None else f"{score.total}")
        assert _right_edge(shown_score) <= page.viewport_size["width"], "the score is on the screen"
    journey.shot("kpi-team")
