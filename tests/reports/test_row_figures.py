"""Row figures of another app (reports.row_figures) on the period report: the page's per-store table,
.csv, .xlsx, JSON, `manage.py report` and the weekly email's attachment, from one registration made
here (a fake of what kpi will register: each store's target and its attainment).

The week 2026-W45 of tests/reports/test_exports.py: A店 ¥9,000, B店 ¥1,234.50, total ¥10,234.50.
The fake gives A店 a target of ¥12,000 (attained 75 %), B店 nothing, the total ¥20,000 (51.17 %).
"""

import csv
import dataclasses
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from reports import emails, exports, row_figures, selectors, services
from reports.row_figures import RowColumn, RowFigures
from stores.models import Store
from tests.factories import DailyMetricFactory, StoreFactory
from tests.reports.test_exports import WEEK, report_of, rows_by_first_cell, two_store_week

MONEY, PERCENT = "¥#,##0.00", "0.00%"
TARGETS = {"store-a": Decimal("12000.00")}
TOTAL_TARGET = Decimal("20000.00")


class FakePacing:
    """What the fake provider did: how often it was asked."""

    calls = 0

    @classmethod
    def compute(cls, report) -> dict:
        cls.calls += 1
        # One query whatever the number of stores, as a provider must.
        slugs = dict(Store.objects.filter(pk__in=report.selection.store_ids).values_list("pk", "slug"))
        figures = {}
        for row in report.rows:
            target = TARGETS.get(slugs[row.store.pk])
            if target is not None:
                figures[row.store.pk] = {"target": target, "attainment": row.current["gmv"] / target}
        figures[None] = {"target": TOTAL_TARGET, "attainment": report.total.current["gmv"] / TOTAL_TARGET}
        return figures


FAKE = RowFigures(
    code="fake_pacing",
    compute=FakePacing.compute,
    columns=(
        RowColumn("target", "Target", "目标", lambda figures: figures["target"], "money"),
        RowColumn("attainment", "Attainment", "达成率", lambda figures: figures["attainment"], "percent"),
    ),
    as_json=lambda figures: {
        "target": str(figures["target"]),
        "attainment": round(float(figures["attainment"]), 6),
    },
)


@pytest.fixture
def no_figures():
    """No provider registered: those of other apps (kpi's) are set aside by tests/reports/conftest.py."""
    assert row_figures.row_figures_all() == []


@pytest.fixture
def fake_pacing(no_figures):
    FakePacing.calls = 0
    row_figures.row_figures_register(FAKE)
    row_figures.row_figures_register(FAKE)  # twice is harmless
    yield FAKE
    row_figures.row_figures_unregister(FAKE.code)
    assert row_figures.row_figures_all() == []


@pytest.fixture
def week(personas):
    two_store_week(personas)
    return personas


def test_the_report_carries_each_rows_figures_computed_once(week, fake_pacing):
    report = report_of(week.acme)
    assert FakePacing.calls == 1
    store_a, store_b = report.rows
    assert report.figures_of("fake_pacing", week.store_a)["target"] == Decimal("12000.00")
    assert report.figures_of("fake_pacing", week.store_b) is None
    assert report.figures_of("fake_pacing", None)["target"] == TOTAL_TARGET
    assert [cell.shown for cell in store_a.figure_cells] == ["¥12,000.00", "75.00%"]
    assert [cell.shown for cell in store_b.figure_cells] == ["—", "—"]
    # ¥10,234.50 of ¥20,000: 51.1725 %.
    assert [cell.shown for cell in report.total.figure_cells] == ["¥20,000.00", "51.17%"]
    assert [column.code for column in report.figure_columns] == ["target", "attainment"]


def _table(html: str) -> str:
    start = html.index('class="metrics report-table"')
    return html[start : html.index("</table>", start)]


def _cells(target: str, attainment: str) -> str:
    """The row's two registered cells, each named by its column's code."""
    return f'<td data-figure="target">{target}</td><td data-figure="attainment">{attainment}</td>'


def test_the_page_shows_the_columns_after_its_own_for_each_store_and_the_total(week, fake_pacing, client_for):
    with translation.override("en"):
        response = client_for(week.lead).get(reverse("reports:weekly"), {"period": WEEK.label})
    table = _table(response.content.decode())
    assert '<th title="目标">Target</th><th title="达成率">Attainment</th></tr></thead>' in table
    row_a, row_b = (table.index(f">{name}</a>") for name in ("A店", "B店"))
    assert table.index(f"{_cells('¥12,000.00', '75.00%')}</tr>", row_a) < row_b
    assert table.index(f"{_cells('—', '—')}</tr>", row_b) < table.index("<tfoot>")
    assert f"{_cells('¥20,000.00', '51.17%')}</tr></tfoot>" in table


def test_csv_has_the_columns_with_chinese_headers_or_codes(week, fake_pacing):
    report = report_of(week.acme)
    rows = list(csv.reader(io.StringIO(exports.period_report_csv(report=report).decode("utf-8-sig"))))
    assert rows[0][-2:] == ["目标", "达成率"]
    assert len(rows[0]) == 2 + 3 * len(exports.REPORT_CODES) + 2
    by_name = {row[0]: row[-2:] for row in rows[1:]}
    assert by_name == {
        "A店": ["12000.00", "0.75"],
        "B店": ["", ""],
        "合计": ["20000.00", "0.511725"],
    }
    english = list(
        csv.reader(io.StringIO(exports.period_report_csv(report=report, lang="en").decode("utf-8-sig")))
    )
    assert english[0][-2:] == ["target", "attainment"]


def test_xlsx_summary_has_the_columns_with_their_formats(week, fake_pacing):
    summary = openpyxl.load_workbook(io.BytesIO(exports.period_report_xlsx(report=report_of(week.acme))))[
        "汇总"
    ]
    headers = [cell.value for cell in summary[1]]
    assert headers[-2:] == ["目标", "达成率"]
    target, attainment = len(headers) - 2, len(headers) - 1
    rows = rows_by_first_cell(summary)
    a, b, total = rows["A店"], rows["B店"], rows["合计"]
    assert (a[target].value, a[target].number_format) == (12000, MONEY)
    assert (a[attainment].value, a[attainment].number_format) == (pytest.approx(0.75), PERCENT)
    assert len(b) <= target or (b[target].value is None and b[attainment].value is None), "empty cells"
    assert (total[target].value, total[attainment].value) == (20000, pytest.approx(0.511725))
    assert total[attainment].number_format == PERCENT
    english = openpyxl.load_workbook(
        io.BytesIO(exports.period_report_xlsx(report=report_of(week.acme), lang="en"))
    )["summary"]
    assert [cell.value for cell in english[1]][-2:] == ["target", "attainment"]


def test_json_rows_carry_the_providers_figures_or_null(week, fake_pacing):
    data = json.loads(exports.period_report_export(report=report_of(week.acme), file_format="json"))
    store_a, store_b, total = data["rows"]
    assert store_a["fake_pacing"] == {"target": "12000.00", "attainment": 0.75}
    assert store_b["fake_pacing"] is None
    assert total["store"] is None and total["fake_pacing"] == {"target": "20000.00", "attainment": 0.511725}


def test_the_report_command_writes_them(week, fake_pacing):
    out = io.StringIO()
    call_command(
        "report", "weekly", "--week", WEEK.label, "--organisation", "acme", "--format", "json", stdout=out
    )
    rows = json.loads(out.getvalue())["rows"]
    assert [row["store"] for row in rows] == ["store-a", "store-b", None]
    assert [row["fake_pacing"] for row in rows] == [
        {"target": "12000.00", "attainment": 0.75},
        None,
        {"target": "20000.00", "attainment": 0.511725},
    ]


def test_the_weekly_emails_workbook_has_them(week, fake_pacing):
    message = emails.weekly_report_message(
        organisation=week.acme, week=WEEK, recipients=["boss@acme.example"]
    )
    ((_name, content, _mimetype),) = message.attachments
    summary = openpyxl.load_workbook(io.BytesIO(content))["汇总"]
    headers = [cell.value for cell in summary[1]]
    assert headers[-2:] == ["目标", "达成率"]
    assert rows_by_first_cell(summary)["A店"][len(headers) - 2].value == 12000


def test_without_registrations_nothing_changes(week, no_figures, client_for):
    report = report_of(week.acme)
    assert report.figures == {} and report.figure_columns == []
    assert all(row.figure_cells == [] for row in [*report.rows, report.total])
    data = exports.period_report_dict(report=report)
    assert all(set(row) == {"store", "current", "previous", "last_year"} for row in data["rows"]), (
        "no extra key in the JSON rows"
    )
    header = next(csv.reader(io.StringIO(exports.period_report_csv(report=report).decode("utf-8-sig"))))
    assert len(header) == 2 + 3 * len(exports.REPORT_CODES)
    summary = openpyxl.load_workbook(io.BytesIO(exports.period_report_xlsx(report=report)))["汇总"]
    assert summary.max_column == 1 + 3 * len(selectors.HEADLINE_CODES)
    with translation.override("en"):
        page = client_for(week.lead).get(reverse("reports:weekly"), {"period": WEEK.label}).content.decode()
    assert "Target" not in _table(page)


def test_a_column_is_shown_as_money_or_percent_only():
    with pytest.raises(ValueError):
        RowColumn("roi", "ROI", "投入产出比", lambda figures: figures, "ratio")


def test_a_provider_cannot_take_a_json_rows_own_key(no_figures):
    with pytest.raises(ValueError):
        row_figures.row_figures_register(dataclasses.replace(FAKE, code="current"))
    assert row_figures.row_figures_all() == []


def _weekly_queries(organisation) -> int:
    with CaptureQueriesContext(connection) as queries:
        report = report_of(organisation)
        for file_format in exports.FORMATS:
            exports.period_report_export(report=report, file_format=file_format)
    return len(queries)


def _organisation_with(stores: int, targets: dict):
    first = StoreFactory()
    for store in [first, *(StoreFactory(organisation=first.organisation) for _ in range(stores - 1))]:
        DailyMetricFactory(store=store, date=WEEK.start)
        targets[store.slug] = Decimal("1000.00")
    return first.organisation


def test_the_weekly_reports_queries_do_not_grow_with_the_stores(db, fake_pacing, monkeypatch):
    targets = {}
    monkeypatch.setattr(f"{__name__}.TARGETS", targets)
    two, six = _organisation_with(2, targets), _organisation_with(6, targets)
    services.rollups_rebuild(stores=Store.objects.all())
    FakePacing.calls = 0
    assert _weekly_queries(six) == _weekly_queries(two)
    assert FakePacing.calls == 2, "once per report"
    report = report_of(six)
    assert all(row.figure_cells[0].value == Decimal("1000.00") for row in report.rows), "the fake is wired"


def test_registering_the_same_code_replaces(no_figures):
    other = dataclasses.replace(FAKE, columns=())
    row_figures.row_figures_register(FAKE)
    row_figures.row_figures_register(other)
    assert row_figures.row_figures_all() == [other]
    row_figures.row_figures_unregister("fake_pacing")
    row_figures.row_figures_unregister("fake_pacing")  # unknown: ignored
    assert row_figures.row_figures_all() == []
