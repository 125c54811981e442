"""parse_metrics_file on whole exports: which sheet, which header row, which rows, which values,
and every error and warning naming the file, the row as seen in Excel and the column."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stores import metrics
from stores.imports import AD_SPEND_CHANNELS, ImportIssue, ParsedFile, ParsedRow, parse_metrics_file
from stores.imports import headers as header_table
from stores.imports.parse import MAX_ISSUES
from tests.stores.imports.files import HEADER, TITLE_ROWS, csv_bytes, report_row, xlsx_bytes

D = Decimal
NOV_1, NOV_2, NOV_3 = datetime.date(2026, 11, 1), datetime.date(2026, 11, 2), datetime.date(2026, 11, 3)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def parse_csv(rows, file_name="日报.csv", **options) -> ParsedFile:
    return parse_metrics_file(content=csv_bytes(rows), file_name=file_name, **options)


def messages(issues: list[ImportIssue]) -> list[str]:
    return [issue.message for issue in issues]


# The workbook as 生意参谋 exports it -------------------------------------------------------


def _peer_sheet() -> list[list]:
    return [["同行同层平均"], [], HEADER, report_row(NOV_1, store="同行同层平均", 访客数="999999")]


def _store_sheet() -> list[list]:
    return [
        ["店铺整体日报"],
        ["统计时间：2026-11-01 ~ 2026-11-02"],
        [],
        [
            "统计日期",
            "店铺名称",
            "访客数",
            "支付金额",
            "支付买家数",
            "支付转化率",
            "描述相符(评分)",
            "下单转化率",
        ],
        [NOV_1, "A店", 2000, 9000.5, 50, 0.025, 4.8512, 0.03],
        [datetime.datetime(2026, 11, 2), "A店", 1800, 1234.56, 36, "2.00%", 4.85, "-"],
        ["合计", "", 3800, 10235.06, 86, "", "", ""],
    ]


def test_the_store_sheet_of_a_real_workbook():
    content = xlsx_bytes({"同行同层平均": _peer_sheet(), "店铺整体": _store_sheet()})
    parsed = parse_metrics_file(content=content, file_name="店铺整体日报.xlsx")
    assert parsed.ok, messages(parsed.errors)
    assert parsed.warnings == []
    assert (parsed.sheet, parsed.encoding, parsed.header_row) == ("店铺整体", None, 4)
    assert parsed.columns == {
        "统计日期": "date",
        "店铺名称": "store",
        "访客数": "uv",
        "支付金额": "gmv",
        "支付买家数": "paid_buyers",
        "支付转化率": "check:conversion",
        "描述相符(评分)": "dsr_item",
    }
    assert parsed.ignored_columns == ["下单转化率"]
    assert parsed.rows == [
        ParsedRow(
            row=5,
            date=NOV_1,
            store_name="A店",
            values={"uv": 2000, "gmv": D("9000.50"), "paid_buyers": 50, "dsr_item": D("4.8512")},
            ad_spend_split={},
        ),
        ParsedRow(
            row=6,
            date=NOV_2,
            store_name="A店",
            values={"uv": 1800, "gmv": D("1234.56"), "paid_buyers": 36, "dsr_item": D("4.85")},
            ad_spend_split={},
        ),
    ]
    assert str(parsed.rows[0].values["gmv"]) == "9000.50"  # no binary noise, 2 places


def test_a_peer_group_sheet_is_never_used_even_when_it_comes_first():
    """Known by its sheet name alone: no title row says 同行 here."""
    peers = [HEADER, report_row(NOV_1, store="A店", 访客数="999999")]
    content = xlsx_bytes({"同行同层平均": peers, "店铺整体": _store_sheet()})
    parsed = parse_metrics_file(content=content, file_name="x.xlsx")
    assert parsed.sheet == "店铺整体"
    assert [row.values["uv"] for row in parsed.rows] == [2000, 1800]
    assert parsed.warnings == []


@pytest.mark.parametrize("name", ["同行同层平均", "同层优秀", "行业平均", "Sheet1（平均）"])
def test_workbooks_with_only_peer_group_sheets_are_refused(name):
    parsed = parse_metrics_file(content=xlsx_bytes({name: _peer_sheet()}), file_name="peers.xlsx")
    assert messages(parsed.errors) == [
        "peers.xlsx: the file holds only peer-group figures "
        "(sheets or titles with 同行, 同层, 平均, 优秀 or 行业), not the store's own daily rows"
    ]


def test_a_peer_group_title_row_marks_a_table_as_peer_figures():
    rows = [["同行同层平均 店铺整体日报"], HEADER, report_row(NOV_1)]
    parsed = parse_metrics_file(content=xlsx_bytes({"Sheet1": rows}), file_name="x.xlsx")
    assert "only peer-group figures" in parsed.errors[0].message
    assert not parse_csv(rows).ok


def test_a_title_row_naming_the_stores_industry_is_not_a_peer_title():
    parsed = parse_csv([["所属行业：女装/女士精品"], HEADER, report_row(NOV_1)])
    assert parsed.ok and len(parsed.rows) == 1


def test_of_several_sheets_with_daily_rows_the_first_is_used_with_a_warning():
    content = xlsx_bytes({"一月": [HEADER, report_row(NOV_1)], "二月": [HEADER, report_row(NOV_2)]})
    parsed = parse_metrics_file(content=content, file_name="x.xlsx")
    assert parsed.sheet == "一月"
    assert [row.date for row in parsed.rows] == [NOV_1]
    assert messages(parsed.warnings) == [
        "x.xlsx: several sheets hold daily rows (“一月”, “二月”); only sheet “一月” was read"
    ]


def test_sheets_without_a_header_are_passed_over():
    content = xlsx_bytes({"说明": [["本表由生意参谋导出"]], "数据": [HEADER, report_row(NOV_1)]})
    parsed = parse_metrics_file(content=content, file_name="x.xlsx")
    assert parsed.ok and parsed.sheet == "数据" and parsed.warnings == []


# Header row ---------------------------------------------------------------------------------


def test_the_header_is_found_below_title_and_date_range_rows():
    parsed = parse_csv([*TITLE_ROWS, HEADER, report_row(NOV_1)])
    assert parsed.header_row == 4
    assert parsed.rows[0].row == 5


def test_a_header_below_the_search_window_is_not_found():
    parsed = parse_csv([["说明"]] * 30 + [HEADER, report_row(NOV_1)], file_name="late.csv")
    assert messages(parsed.errors) == [
        "late.csv: no header row in the first 30 rows: expected a date column (统计日期) "
        "and at least one metric column such as 访客数 or 支付金额"
    ]


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("统计日期", "date"),
        ("日期", "date"),
        ("店铺名称", "store"),
        ("店铺", "store"),
        ("支付金额", "gmv"),
        ("成交金额", "gmv"),
        ("支付金额(元)", "gmv"),
        ("支付金额（元）", "gmv"),
        (" 支付 金额 ", "gmv"),
        ("访客数", "uv"),
        ("UV", "uv"),
        ("uv", "uv"),
        ("PV", "pv"),
        ("浏览量", "pv"),
        ("支付买家数", "paid_buyers"),
        ("支付子订单数", "paid_orders"),
        ("支付件数", "paid_items"),
        ("成功退款金额", "refund_amount"),
        ("退款金额", "refund_amount"),
        ("推广花费", "ad_spend"),
        ("花费", "ad_spend"),
        ("推广成交金额", "ad_gmv"),
        ("支付新买家数", "new_buyers"),
        ("新买家数", "new_buyers"),
        ("支付老买家数", "returning_buyers"),
        ("老买家数", "returning_buyers"),
        ("描述相符(评分)", "dsr_item"),
        ("描述相符（评分）", "dsr_item"),
        ("描述相符评分", "dsr_item"),
        ("描述相符", "dsr_item"),
        ("服务态度(评分)", "dsr_service"),
        ("物流服务评分", "dsr_logistics"),
        ("咨询人数", "cs_inquiries"),
        ("询单成交人数", "cs_inquiry_buyers"),
        ("中差评数", "bad_reviews"),
        ("关键词推广花费", "ad_spend:keyword"),
        ("精准人群推广花费", "ad_spend:audience"),
        ("全站推广花费", "ad_spend:site"),
        ("智能场景花费", "ad_spend:scene"),
        ("淘宝客佣金", "ad_spend:affiliate"),
        ("ad_spend:keyword", "ad_spend:keyword"),
        ("支付转化率", "check:conversion"),
        ("支付转化率(%)", "check:conversion"),
        ("客单价", "check:aov"),
        ("UV价值", "check:uv_value"),
        ("退款率", "check:refund_rate"),
        ("ROI", "check:roi"),
        ("投入产出比", "check:roi"),
        ("下单转化率", None),
        ("平均停留时长", None),
    ],
)
def test_header_synonyms(header, target):
    assert header_table.match(header) == target


@pytest.mark.parametrize("metric", metrics.ALL, ids=lambda metric: metric.code)
def test_every_metric_is_recognised_by_its_code_and_its_生意参谋_wording(metric):
    target = f"check:{metric.code}" if metric.is_derived else metric.code
    assert header_table.match(metric.label_zh) == target
    assert header_table.match(metric.code) == target


def test_no_two_spellings_of_the_synonym_table_collide():
    spellings: dict[str, str] = {}
    for metric in metrics.ALL:
        target = f"check:{metric.code}" if metric.is_derived else metric.code
        for spelling in (metric.label_zh, metric.code, *header_table.SYNONYMS.get(metric.code, ())):
            assert spellings.setdefault(header_table.normalise(spelling), target) == target, spelling
    for target in ("date", "store"):
        for spelling in header_table.SYNONYMS[target]:
            assert spellings.setdefault(header_table.normalise(spelling), target) == target, spelling
    for channel, spelling in AD_SPEND_CHANNELS.items():
        assert spellings.setdefault(header_table.normalise(spelling), channel) == channel


def test_an_english_export_reimports():
    header = ["date", "store", *metrics.RECORDED_CODES]
    row = [
        "2026-11-01",
        "A店",
        *["4.8" if code.startswith("dsr") else "12" for code in metrics.RECORDED_CODES],
    ]
    parsed = parse_csv([header, row])
    assert parsed.ok, messages(parsed.errors)
    assert set(parsed.rows[0].values) == set(metrics.RECORDED_CODES)


def test_unknown_columns_are_listed_as_ignored():
    parsed = parse_csv(
        [["统计日期", "访客数", "下单转化率", "平均停留时长", ""], ["2026-11-01", "1", "2%", "30", ""]]
    )
    assert parsed.ignored_columns == ["下单转化率", "平均停留时长"]
    assert parsed.rows[0].values == {"uv": 1}


def test_two_columns_meaning_the_same_metric_are_an_error():
    parsed = parse_csv([["统计日期", "支付金额", "成交金额"], ["2026-11-01", "1", "2"]], file_name="dup.csv")
    assert messages(parsed.errors) == [
        "dup.csv: the columns “支付金额”, “成交金额” mean the same thing (gmv); keep only one of them"
    ]
    assert parsed.rows == []


def test_a_report_without_a_date_column_is_refused():
    parsed = parse_csv([["店铺名称", "访客数", "支付金额"], ["A店", "1", "2"]], file_name="x.csv")
    assert messages(parsed.errors) == [
        "x.csv: row 1 has metric columns but no date column (统计日期 or 日期)"
    ]


def test_another_report_type_with_a_date_but_no_metric_column_is_refused():
    parsed = parse_csv(
        [["日期", "商品名称", "下单转化率"], ["2026-11-01", "T恤", "2%"]], file_name="items.csv"
    )
    assert messages(parsed.errors) == [
        "items.csv: row 1 has a date column but no metric column such as 访客数 or 支付金额; "
        "is this the store's daily report (店铺整体)?"
    ]


def test_a_header_only_file_is_refused():
    parsed = parse_csv([*TITLE_ROWS, HEADER], file_name="empty.csv")
    assert messages(parsed.errors) == ["empty.csv: there are no data rows below the header (row 4)"]


def test_a_header_only_sheet_names_the_sheet():
    parsed = parse_metrics_file(content=xlsx_bytes({"店铺整体": [HEADER]}), file_name="x.xlsx")
    assert messages(parsed.errors) == [
        "x.xlsx, sheet “店铺整体”: there are no data rows below the header (row 1)"
    ]


# Rows ---------------------------------------------------------------------------------------


def test_values_hold_exactly_the_metrics_the_file_has():
    parsed = parse_csv([["统计日期", "访客数", "支付金额"], ["2026-11-01", "2000", "-"]])
    assert parsed.rows[0].values == {"uv": 2000, "gmv": None}  # "-" is missing; refunds absent
    assert parsed.rows[0].store_name is None
    assert parsed.rows[0].ad_spend_split == {}


@pytest.mark.parametrize("total", ["合计", "总计", "汇总", "平均", " 合计： ", "Total"])
def test_total_and_average_rows_are_skipped(total):
    rows = [HEADER, report_row(NOV_1), report_row(NOV_2), [total, *[""] * (len(HEADER) - 1)]]
    assert [row.date for row in parse_csv(rows).rows] == [NOV_1, NOV_2]


@pytest.mark.parametrize("first", ["店铺名称", "序号"])
def test_a_total_row_marked_in_the_first_column_is_skipped(first):
    rows = [
        [first, "统计日期", "访客数"],
        ["A店", "2026-11-01", "5"],
        ["合计", "2026-11-01 ~ 2026-11-07", "5"],
    ]
    parsed = parse_csv(rows)
    assert parsed.ok, messages(parsed.errors)
    assert len(parsed.rows) == 1


def test_a_total_row_marked_in_the_store_column_without_a_date_is_skipped():
    rows = [["统计日期", "店铺名称", "访客数"], ["2026-11-01", "A店", "5"], ["", "合计", "5"]]
    parsed = parse_csv(rows)
    assert parsed.ok, messages(parsed.errors)
    assert len(parsed.rows) == 1


def test_blank_rows_are_skipped():
    rows = [HEADER, [], report_row(NOV_1), [""] * len(HEADER), ["  "], report_row(NOV_2)]
    parsed = parse_csv(rows)
    assert parsed.ok
    assert [row.row for row in parsed.rows] == [3, 6]


def test_a_row_with_figures_but_no_date_is_an_error():
    parsed = parse_csv(
        [["统计日期", "访客数"], ["2026-11-01", "5"], ["", "7"], ["-", "8"]], file_name="x.csv"
    )
    assert messages(parsed.errors) == [
        "x.csv, row 3: the row has figures but no date",
        "x.csv, row 4: the row has figures but no date",
    ]
    assert [issue.row for issue in parsed.errors] == [3, 4]


def test_rows_of_peer_group_figures_in_the_store_column_are_skipped_with_a_warning():
    rows = [
        HEADER,
        report_row(NOV_1),
        report_row(NOV_1, store="同行同层平均"),
        report_row(NOV_1, store="同层优秀"),
    ]
    parsed = parse_csv(rows, file_name="x.csv")
    assert [row.store_name for row in parsed.rows] == ["A店"]
    assert messages(parsed.warnings) == ["x.csv: 2 rows of peer-group figures (同行 / 同层) were skipped"]


def test_a_missing_store_name_is_an_error():
    parsed = parse_csv([["统计日期", "店铺名称", "访客数"], ["2026-11-01", "", "5"]], file_name="x.csv")
    assert messages(parsed.errors) == ["x.csv, row 2, column “店铺名称”: the store name is missing"]


def test_the_same_day_twice_is_an_error_naming_both_rows():
    rows = [["统计日期", "访客数"], ["2026-11-01", "1"], ["2026-11-02", "2"], ["2026/11/1", "3"]]
    parsed = parse_csv(rows, file_name="x.csv")
    assert messages(parsed.errors) == ["x.csv, row 4: rows 2 and 4 are both for 2026-11-01"]
    assert parsed.errors[0].row == 4


def test_the_same_store_and_day_twice_is_an_error_but_two_stores_may_share_a_day():
    rows = [
        HEADER,
        report_row(NOV_1, store="A店"),
        report_row(NOV_1, store="B店"),
        report_row(NOV_1, store="A店"),
    ]
    parsed = parse_csv(rows, file_name="x.csv")
    assert messages(parsed.errors) == ["x.csv, row 4: rows 2 and 4 are both for store “A店” on 2026-11-01"]


def test_the_same_day_twice_is_found_across_chunks(monkeypatch):
    monkeypatch.setattr("stores.imports.parse.CHUNK_ROWS", 2)
    rows = [
        ["统计日期", "访客数"],
        ["2026-11-01", "1"],
        ["2026-11-02", "2"],
        ["2026-11-03", "3"],
        ["2026-11-01", "4"],
    ]
    assert messages(parse_csv(rows, file_name="x.csv").errors) == [
        "x.csv, row 5: rows 2 and 5 are both for 2026-11-01"
    ]


def test_more_rows_than_allowed_is_one_clear_error():
    rows = [HEADER, *[report_row(NOV_1 + datetime.timedelta(days)) for days in range(11)]]
    parsed = parse_csv(rows, file_name="big.csv", max_rows=10)
    assert messages(parsed.errors) == [
        "big.csv: the file has more than 10 data rows; split it into smaller files"
    ]
    assert parsed.rows == [] and parsed.warnings == []
    assert parse_csv(rows[:11], max_rows=10).ok


# Cell errors: every one, each naming file, row and column -------------------------------------


def test_errors_name_the_row_as_seen_in_excel_and_the_column():
    sheet = _store_sheet()
    sheet[5][2] = "abc"  # row 6 in Excel, column 访客数
    parsed = parse_metrics_file(content=xlsx_bytes({"店铺整体": sheet}), file_name="日报.xlsx")
    assert parsed.errors == [
        ImportIssue(
            message="日报.xlsx, row 6, column “访客数”: “abc” is not a number",
            row=6,
            column="访客数",
            file_name="日报.xlsx",
        )
    ]
    assert [row.row for row in parsed.rows] == [5]  # rows with an error are left out


def test_every_error_of_the_file_is_reported_in_row_order():
    rows = [
        HEADER,
        report_row(NOV_1, 访客数="12.5", 支付金额="12.345"),
        report_row(NOV_2, 描述相符评分="5.2"),
        report_row(NOV_3, 统计日期="2026-02-30", 支付买家数="-3", 成功退款金额="¥-1"),
    ]
    parsed = parse_csv(rows, file_name="x.csv")
    assert messages(parsed.errors) == [
        "x.csv, row 2, column “访客数”: “12.5” is not a whole number",
        "x.csv, row 2, column “支付金额”: “12.345” has more than 2 decimal places",
        "x.csv, row 3, column “描述相符评分”: “5.2” is not a score between 0 and 5",
        "x.csv, row 4, column “统计日期”: “2026-02-30” is not a date",
        "x.csv, row 4, column “支付买家数”: “-3” is negative",
        "x.csv, row 4, column “成功退款金额”: “¥-1” is negative",
    ]
    assert [(issue.row, issue.column) for issue in parsed.errors][:2] == [(2, "访客数"), (2, "支付金额")]
    assert not parsed.ok


def test_errors_are_capped_with_a_count_of_the_rest():
    rows = [["统计日期", "访客数", "浏览量"]]
    rows += [[(NOV_1 + datetime.timedelta(days)).isoformat(), "x", "y"] for days in range(150)]
    parsed = parse_csv(rows, file_name="x.csv")
    assert len(parsed.errors) == MAX_ISSUES + 1
    assert parsed.errors[-1].message == "x.csv: … and 100 more errors"
    assert parsed.errors[-1].row is None


def test_messages_are_in_the_active_language_and_keep_file_row_and_column():
    with translation.override("zh-hans"):
        parsed = parse_csv([["统计日期", "访客数"], ["2026-11-01", "abc"]], file_name="日报.csv")
    issue = parsed.errors[0]
    assert (issue.row, issue.column, issue.file_name) == (2, "访客数", "日报.csv")
    assert (
        "日报.csv" in issue.message
        and "2" in issue.message
        and "访客数" in issue.message
        and "abc" in issue.message
    )


# Ad spend -----------------------------------------------------------------------------------


def test_ad_spend_is_the_sum_of_the_channel_columns_and_the_split_is_kept():
    parsed = parse_csv([HEADER, report_row(NOV_1)])
    row = parsed.rows[0]
    assert row.values["ad_spend"] == D("1200.00")  # 700.00 + 300.50 + 199.50, 淘宝客佣金 "-"
    assert row.ad_spend_split == {
        "keyword": D("700.00"),
        "audience": D("300.50"),
        "site": D("199.50"),
        "affiliate": None,
    }


def test_ad_spend_is_missing_only_when_every_channel_is():
    rows = [HEADER, report_row(NOV_1, 关键词推广花费="-", 精准人群推广花费="--", 全站推广花费="")]
    row = parse_csv(rows).rows[0]
    assert row.values["ad_spend"] is None
    assert set(row.ad_spend_split) == {"keyword", "audience", "site", "affiliate"}


def test_a_total_ad_spend_column_wins_over_the_channels_and_a_different_sum_is_a_warning():
    header = ["统计日期", "推广花费", "关键词推广花费", "淘宝客佣金"]
    parsed = parse_csv(
        [header, ["2026-11-01", "100.00", "60.00", "40.00"], ["2026-11-02", "100.00", "60.00", "30.00"]],
        file_name="x.csv",
    )
    assert [row.values["ad_spend"] for row in parsed.rows] == [D("100.00"), D("100.00")]
    assert parsed.rows[1].ad_spend_split == {"keyword": D("60.00"), "affiliate": D("30.00")}
    assert messages(parsed.warnings) == [
        "x.csv, row 3, column “推广花费”: the total ¥100.00 differs from the sum of the channel columns, "
        "¥90.00; the total is kept"
    ]
    assert parsed.ok


def test_a_missing_total_falls_back_to_the_channel_sum():
    parsed = parse_csv([["统计日期", "推广花费", "关键词推广花费"], ["2026-11-01", "-", "60.00"]])
    assert parsed.rows[0].values["ad_spend"] == D("60.00")


def test_a_bad_channel_cell_is_an_error_in_its_column():
    parsed = parse_csv([HEADER, report_row(NOV_1, 全站推广花费="abc")], file_name="x.csv")
    assert messages(parsed.errors) == ["x.csv, row 2, column “全站推广花费”: “abc” is not a number"]


# Derived columns: cross-checked, never stored -----------------------------------------------------


def test_derived_figures_that_agree_after_rounding_give_no_warning():
    # conversion 65 / 1997 = 3.2549 %: the file shows 3.25 %; AOV 9999.99 / 65 = 153.8460 → 153.85.
    header = ["统计日期", "访客数", "支付买家数", "支付金额", "支付转化率", "客单价", "UV价值"]
    parsed = parse_csv([header, ["2026-11-01", "1997", "65", "9999.99", "3.25%", "153.85", "5.01"]])
    assert parsed.warnings == []
    assert "conversion" not in parsed.rows[0].values and "aov" not in parsed.rows[0].values


def test_a_derived_figure_that_disagrees_is_a_warning_naming_row_and_column():
    header = ["统计日期", "访客数", "支付买家数", "支付金额", "支付转化率", "客单价"]
    rows = [
        header,
        ["2026-11-01", "2000", "50", "9000", "2.50%", "180.00"],
        ["2026-11-02", "2000", "50", "9000", "3.10%", "170"],
    ]
    parsed = parse_csv(rows, file_name="x.csv")
    assert parsed.ok
    assert messages(parsed.warnings) == [
        "x.csv, row 3, column “支付转化率”: the file says 3.10%, but the row's own figures give 2.50%",
        "x.csv, row 3, column “客单价”: the file says 170, but the row's own figures give 180",
    ]
    assert [(issue.row, issue.column) for issue in parsed.warnings] == [(3, "支付转化率"), (3, "客单价")]


@pytest.mark.parametrize("figure", ["0.025", "2.5", 0.025])
def test_a_percentage_without_a_percent_sign_is_checked_as_a_fraction_or_as_percent(figure):
    rows = [["统计日期", "访客数", "支付买家数", "支付转化率"], [NOV_1, 2000, 50, figure]]
    parsed = parse_metrics_file(content=xlsx_bytes({"日报": rows}), file_name="x.xlsx")
    assert parsed.ok and parsed.warnings == []


def test_derived_figures_are_not_checked_without_their_parts_or_with_a_zero_denominator():
    rows = [
        ["统计日期", "访客数", "支付买家数", "客单价", "支付转化率"],
        ["2026-11-01", "0", "0", "99", "5%"],
    ]
    parsed = parse_csv(rows)
    assert parsed.ok and parsed.warnings == []


def test_an_unreadable_derived_figure_is_a_warning_not_an_error():
    rows = [["统计日期", "访客数", "支付买家数", "支付转化率"], ["2026-11-01", "2000", "50", "n/a%"]]
    parsed = parse_csv(rows, file_name="x.csv")
    assert parsed.ok
    assert messages(parsed.warnings) == [
        "x.csv, row 2, column “支付转化率”: “n/a%” is not a number, so it was not checked"
    ]


# Robustness -----------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_give_a_parsed_file_never_an_exception(content):
    parsed = parse_metrics_file(content=content, file_name="random.bin")
    assert isinstance(parsed, ParsedFile)
    assert parsed.ok or all(issue.message.startswith("random.bin") for issue in parsed.errors)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), max_size=6), max_size=8))
def test_any_csv_text_under_a_real_header_gives_a_parsed_file_never_an_exception(rows):
    parsed = parse_csv(
        [["统计日期", "店铺名称", "访客数", "支付金额", "支付转化率", "关键词推广花费"], *rows]
    )
    assert isinstance(parsed, ParsedFile)
    for row in parsed.rows:
        assert isinstance(row.date, datetime.date)
