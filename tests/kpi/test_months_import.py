"""Importing months of targets: a preview first (each month current → new, nothing saved), then all or
nothing; errors name the file, sheet, row and column; the months not given keep the year whole; all
twelve set the annual target; a plan changed since the preview refuses the whole import."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from kpi import exports, selectors
from kpi.imports import pending, services
from kpi.imports.months import MonthsRefused, months_rebalance
from kpi.imports.parse import parse_months_file
from kpi.models import PlanChange, PlanDay, SalesTarget
from kpi.rebalance import DayState
from kpi.services.changes import plan_lock, plan_override
from kpi.services.plans import target_set
from stores.periods import PeriodKind, days_between, period_parse
from tests.factories import OrgMembershipFactory

D = Decimal
day = dt.date
ANNUAL = D("3650000.00")  # ¥10,000 a day before weights: every month ¥280,000–310,000
TODAY = day(2027, 1, 1)
HEADERS = ("店铺", "店铺代码", "期间", "目标", "去年同期")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _xlsx(rows, headers=HEADERS, sheet="月") -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(list(headers))
    for row in rows:
        worksheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _plan(store, year=2027):
    return target_set(store=store, year=year, annual=ANNUAL, today=TODAY)


def _month_sum(plan, label) -> Decimal:
    month = period_parse(PeriodKind.MONTH, label)
    targets = selectors.plan_day_targets(plan=plan)
    return sum(target for date, target in targets.items() if date in month)


def _state(plan):
    """Everything an import could change: the days, the annual target, the version, the changes."""
    plan = SalesTarget.objects.get(pk=plan.pk)
    days = list(PlanDay.objects.filter(plan=plan).order_by("date").values_list("date", "target", "source"))
    return days, plan.annual, plan.version, PlanChange.objects.filter(plan=plan).count()


def _preview(content, user=None, year=None, today=TODAY, file_name="targets.xlsx"):
    return services.months_import_preview(
        content=content, file_name=file_name, user=user, year=year, today=today
    )


def _apply(preview, content, user=None, today=TODAY, file_name="targets.xlsx"):
    return services.months_import_apply(
        content=content,
        file_name=file_name,
        year=preview.year,
        versions=preview.versions,
        user=user,
        today=today,
    )


# The arithmetic --------------------------------------------------------------------------------


def _days(month_targets: dict[int, Decimal], locked_months=()) -> dict[dt.date, DayState]:
    """A 2027 plan whose each month's days share its target equally (weights 1)."""
    days = {}
    for month, total in month_targets.items():
        period = period_parse(PeriodKind.MONTH, f"2027-{month:02d}")
        dates = days_between(period.start, period.end)
        share = (total / len(dates)).quantize(D("0.01"))
        for index, date in enumerate(dates):
            target = share if index else total - share * (len(dates) - 1)
            days[date] = DayState(target, D("1"), month in locked_months)
    return days


def test_months_given_are_set_and_the_others_take_up_the_difference():
    days = _days({month: D("3100.00") for month in range(1, 13)})
    may = period_parse(PeriodKind.MONTH, "2027-05")
    targets = months_rebalance(days=days, months={may: D("4200.00")}, today=TODAY)
    assert sum(target for date, target in targets.items() if date in may) == D("4200.00")
    assert sum(targets.values()) == sum(state.target for state in days.values())


def test_a_month_given_unchanged_moves_no_day():
    days = _days({month: D("3100.00") for month in range(1, 13)})
    may = period_parse(PeriodKind.MONTH, "2027-05")
    assert months_rebalance(days=days, months={may: D("3100.00")}, today=TODAY) == {
        date: state.target for date, state in days.items()
    }


def test_passed_and_locked_months_keep_their_totals_and_every_refusal_is_named():
    days = _days({month: D("3100.00") for month in range(1, 13)}, locked_months=(6,))
    january, june = (period_parse(PeriodKind.MONTH, label) for label in ("2027-01", "2027-06"))
    with pytest.raises(MonthsRefused) as refused:
        months_rebalance(days=days, months={january: D("1.00"), june: D("9.00")}, today=day(2027, 2, 1))
    assert refused.value.problems == {
        january: "2027-01 has passed: it stays ¥3,100.00",
        june: "2027-06 is locked: it stays ¥3,100.00",
    }


def test_all_twelve_months_make_the_annual_target():
    days = _days({month: D("3100.00") for month in range(1, 13)})
    months = {period_parse(PeriodKind.MONTH, f"2027-{month:02d}"): D("1000.00") for month in range(1, 13)}
    assert sum(months_rebalance(days=days, months=months, today=TODAY).values()) == D("12000.00")


# Preview and apply -----------------------------------------------------------------------------


def test_the_preview_shows_each_month_current_and_new_and_saves_nothing(personas):
    plan = _plan(personas.store_a)
    before = _state(plan)
    may = _month_sum(plan, "2027-05")
    preview = _preview(_xlsx([("A店", "store-a", "2027-05", 400000)]), user=personas.lead)
    assert preview.ok and preview.year == 2027 and preview.changed
    [plan_import] = preview.plans
    assert plan_import.store == personas.store_a and plan_import.version == 1
    months = {month.label: month for month in plan_import.months}
    assert len(months) == 12
    assert (months["2027-05"].before, months["2027-05"].after, months["2027-05"].given) == (
        may,
        D("400000.00"),
        True,
    )
    assert all(months[label].after < months[label].before for label in months if label != "2027-05")
    assert plan_import.annual_before == plan_import.annual_after == ANNUAL
    assert _state(plan) == before


def test_apply_sets_the_months_keeps_the_year_and_records_one_change(personas):
    plan = _plan(personas.store_a)
    content = _xlsx([("A店", "store-a", "2027-05", 400000), ("A店", "store-a", "2027-11", "800,000.00")])
    preview = _preview(content, user=personas.lead)
    [change] = _apply(preview, content, user=personas.lead)
    plan.refresh_from_db()
    assert _month_sum(plan, "2027-05") == D("400000.00") and _month_sum(plan, "2027-11") == D("800000.00")
    assert sum(selectors.plan_day_targets(plan=plan).values()) == ANNUAL == plan.annual
    assert plan.version == 2 and change.version == 2
    assert change.kind == PlanChange.Kind.IMPORT and change.reason == "imported from targets.xlsx"
    assert change.changed_by == personas.lead and (change.before, change.after) == (ANNUAL, ANNUAL)
    moved = {month["label"]: month for month in change.months}
    assert moved["2027-05"]["after"] == "400000.00" and len(moved) == 12
    sources = set(PlanDay.objects.filter(plan=plan, date__month=5).values_list("source", flat=True))
    assert sources == {"override"}


def test_all_twelve_months_change_the_annual_target(personas):
    plan = target_set(store=personas.store_a, year=2027, annual=ANNUAL, floor_percent=D("80"), today=TODAY)
    rows = [("A店", "store-a", f"2027-{month:02d}", 100000 * month) for month in range(1, 13)]
    content = _xlsx(rows)
    preview = _preview(content, user=personas.lead)
    assert preview.plans[0].annual_after == D("7800000.00")
    _apply(preview, content, user=personas.lead)
    plan.refresh_from_db()
    assert plan.annual == D("7800000.00") and plan.floor == D("6240000.00")
    assert sum(selectors.plan_day_targets(plan=plan).values()) == D("7800000.00")
    assert _month_sum(plan, "2027-12") == D("1200000.00")


def test_errors_name_the_file_sheet_row_and_column_and_nothing_is_saved(personas):
    plan = _plan(personas.store_a)
    plan_lock(plan=plan, label="2027-06")
    before = _state(plan)
    content = _xlsx(
        [
            ("A店", "store-a", "2027-03", "abc"),  # row 2
            ("X店", "nowhere", "2027-03", 1000),  # row 3
            ("A店", "store-a", "2027-04", 1000),  # row 4
            ("A店", "store-a", "2027-04", 2000),  # row 5
            ("A店", "store-a", "2027-06", 1000),  # row 6
            ("A店", "store-a", "2027-13", -5),  # row 7
            ("A店", "store-a", "2028-01", 5),  # row 8
        ]
    )
    preview = _preview(content, user=personas.lead, year=2027)
    june = _month_sum(plan, "2027-06")
    at = "targets.xlsx, sheet “月”, row"
    assert preview.errors == [
        f"{at} 2, column “目标”: “abc” is not a number",
        f"{at} 3, column “店铺代码”: there is no store “nowhere” that you may import into",
        f"{at} 5, column “期间”: rows 4 and 5 are both for store “A店” on 2027-04",
        f"{at} 6, column “目标”: 2027-06 is locked: it stays ¥{june:,}",
        f"{at} 7, column “期间”: “2027-13” is not a month (2027-05)",
        f"{at} 7, column “目标”: “-5” is negative",
        f"{at} 8, column “期间”: 2028-01 is not in the financial year 2027 (2027-01-01 – 2027-12-31)",
    ]
    with pytest.raises(services.MonthsImportRefused) as refused:
        _apply(preview, content, user=personas.lead)
    assert refused.value.errors == preview.errors
    assert _state(plan) == before


def test_a_month_that_has_passed_keeps_its_total(personas):
    plan = _plan(personas.store_a)
    january = _month_sum(plan, "2027-01")
    content = _xlsx([("A店", "store-a", "2027-01", 1), ("A店", "store-a", "2027-02", january)])
    preview = _preview(content, user=personas.lead, today=day(2027, 3, 1))
    assert preview.errors == [
        f"targets.xlsx, sheet “月”, row 2, column “目标”: 2027-01 has passed: it stays ¥{january:,}",
        "targets.xlsx, sheet “月”, row 3, column “目标”: 2027-02 has passed: it stays "
        f"¥{_month_sum(plan, '2027-02'):,}",
    ]


def test_the_stores_a_file_names_must_be_the_users_to_change(personas):
    _plan(personas.store_a)
    OrgMembershipFactory(user=personas.lead, organisation=personas.store_c.organisation, role="boss")
    _plan(personas.store_c)
    content = _xlsx(
        [
            ("B店", "store-b", "2027-05", 1000),  # no plan for 2027
            ("C店", "store-c", "2027-05", 1000),  # seen as the boss of Other Co: read only
            ("C店", "store-c", "2027-06", 1000),  # the same store: said once
        ]
    )
    assert _preview(content, user=personas.lead).errors == [
        "targets.xlsx, sheet “月”, row 2, column “店铺代码”: “B店” has no plan for 2027: set its annual "
        "target first",
        "targets.xlsx, sheet “月”, row 3, column “店铺代码”: you may not change the targets of “C店”: "
        "only the operations lead may",
    ]
    # To the lead of Other Co, store A is not there at all.
    assert _preview(_xlsx([("A店", "store-a", "2027-05", 1000)]), user=personas.stranger).errors == [
        "targets.xlsx, sheet “月”, row 2, column “店铺代码”: there is no store “store-a” that you may import "
        "into"
    ]


def test_a_store_by_name_must_be_one_store(personas):
    _plan(personas.store_a)
    personas.store_b.name = "A店"
    personas.store_b.save()
    content = _xlsx(
        [("A店", "", "2027-05", 1000), ("Q店", None, "2027-05", 1000), ("A店", "store-a", "2027-05", 5)]
    )
    preview = _preview(content, user=personas.lead)
    assert preview.errors == [
        "targets.xlsx, sheet “月”, row 2, column “店铺”: “A店” is the name of several stores: "
        "give their 店铺代码 instead",
        "targets.xlsx, sheet “月”, row 3, column “店铺”: there is no store “Q店” that you may import into",
    ]


def test_stores_of_two_companies_in_one_file_are_refused(personas):
    _plan(personas.store_a)
    _plan(personas.store_c)
    content = _xlsx([("A店", "store-a", "2027-05", 1000), ("C店", "store-c", "2027-05", 1000)])
    assert _preview(content, user=personas.superuser).errors == [
        "targets.xlsx holds stores of several companies; import one company per file."
    ]


def test_several_stores_by_name_and_the_year_from_the_months(personas):
    plan_a, plan_b = _plan(personas.store_a), _plan(personas.store_b)
    content = _xlsx(
        [("A店", "2027-05", 400000), ("B店", "2027-05", 100000)], headers=("店铺", "期间", "目标")
    )
    preview = _preview(content, user=personas.lead)
    assert preview.ok and [plan.store for plan in preview.plans] == [personas.store_a, personas.store_b]
    assert len(_apply(preview, content, user=personas.lead)) == 2
    assert _month_sum(plan_a, "2027-05") == D("400000.00") and _month_sum(plan_b, "2027-05") == D("100000.00")
    two_years = _xlsx([("A店", "2027-05", 1), ("A店", "2028-05", 1)], headers=("店铺", "期间", "目标"))
    assert _preview(two_years, user=personas.lead).errors == [
        "targets.xlsx, sheet “月”: the months lie in several financial years (2027, 2028): choose the year"
    ]


def test_a_month_excel_turned_into_a_date_is_read_as_the_month(personas):
    plan = _plan(personas.store_a)
    content = _xlsx([("A店", "store-a", dt.datetime(2027, 5, 1), 400000)])
    _apply(_preview(content, user=personas.lead), content, user=personas.lead)
    assert _month_sum(plan, "2027-05") == D("400000.00")


def test_an_export_imports_back_as_no_change(personas):
    plan = _plan(personas.store_a)
    plan_override(plan=plan, label="2027-W10", amount=D("99999.99"), reason="a strong week", today=TODAY)
    plan.refresh_from_db()
    preview = _preview(exports.plan_xlsx(plan=plan), user=personas.lead)
    assert preview.ok and not preview.changed
    assert _apply(preview, exports.plan_xlsx(plan=plan), user=personas.lead) == []


def test_a_csv_or_a_file_without_the_columns_is_refused():
    assert parse_months_file(
        content="店铺代码,期间,目标\ns,2027-05,1\n".encode(), file_name="t.csv"
    ).issues.messages() == [
        "t.csv: this is a text file, not an .xlsx workbook: upload the plan's .xlsx with its 月 sheet"
    ]
    assert parse_months_file(
        content=_xlsx([("a", 1)], headers=("店铺", "金额")), file_name="t.xlsx"
    ).issues.messages() == [
        "t.xlsx: no header row in the first 30 rows: expected the columns 期间 and 目标, and 店铺代码 or 店铺"
    ]


def test_a_plan_changed_since_the_preview_refuses_the_whole_import(personas):
    plan_a, plan_b = _plan(personas.store_a), _plan(personas.store_b)
    content = _xlsx([("A店", "store-a", "2027-05", 400000), ("B店", "store-b", "2027-05", 400000)])
    preview = _preview(content, user=personas.lead)
    plan_override(plan=plan_b, label="2027-05", amount=D("123456.78"), reason="meanwhile", today=TODAY)
    before = _state(plan_a), _state(plan_b)
    with pytest.raises(services.MonthsImportRefused) as refused:
        _apply(preview, content, user=personas.lead)
    assert refused.value.conflict
    assert refused.value.errors == [
        "targets.xlsx: “B店”: the plan changed since you opened it: check the file again to see what it "
        "does now"
    ]
    assert (_state(plan_a), _state(plan_b)) == before


# The pages ---------------------------------------------------------------------------------------


def _upload(client, content, name="targets.xlsx", year=""):
    return client.post(
        reverse("kpi:months_import"), {"file": SimpleUploadedFile(name, content), "year": year}
    )


def test_the_lead_uploads_sees_the_preview_then_applies(personas, client_for):
    plan = _plan(personas.store_a)
    client = client_for(personas.lead)
    client.cookies["django_language"] = "en"
    response = _upload(client, _xlsx([("A店", "store-a", "2027-05", 400000)]))
    page = response.content.decode()
    assert response.status_code == 200 and "¥400,000.00" in page and "2027-05" in page
    assert PlanChange.objects.filter(plan=plan).count() == 1  # nothing saved yet
    token = response.context["token"]
    applied = client.post(reverse("kpi:months_import_apply"), {"token": token})
    assert applied.status_code == 302
    assert _month_sum(plan, "2027-05") == D("400000.00")
    assert "targets.xlsx imported: 1 plan changed." in client.get(applied["Location"]).content.decode()
    again = client.post(reverse("kpi:months_import_apply"), {"token": token})  # the same preview twice
    assert "the plan changed since you opened it" in again.content.decode()


def test_a_refused_file_lists_its_errors_and_offers_no_apply(personas, client_for):
    _plan(personas.store_a)
    client = client_for(personas.lead)
    response = _upload(client, _xlsx([("A店", "store-a", "2027-05", "abc")]))
    page = response.content.decode()
    assert response.context["token"] is None and "targets.xlsx" in page and "“目标”" in page
    assert reverse("kpi:months_import_apply") not in page


def test_only_the_uploader_applies_and_a_forged_token_is_refused(personas, client_for):
    _plan(personas.store_a)
    content = _xlsx([("A店", "store-a", "2027-05", 400000)])
    preview = _preview(content, user=personas.lead)
    token = pending.pending_import_sign(preview=preview, content=content, user=personas.superuser)
    client = client_for(personas.lead)
    assert client.post(reverse("kpi:months_import_apply"), {"token": token}).status_code == 403
    client.cookies["django_language"] = "en"
    forged = client.post(reverse("kpi:months_import_apply"), {"token": token[:-2] + "xx"})
    assert "expired or is not valid" in forged.content.decode()


@pytest.mark.parametrize("persona", ["boss", "operator", "nobody"])
def test_only_ops_leads_reach_the_import(personas, client_for, persona):
    client = client_for(personas.user(persona))
    assert client.get(reverse("kpi:months_import")).status_code == 404
    assert client.post(reverse("kpi:months_import_apply"), {"token": "x"}).status_code == 404


def test_the_page_is_in_chinese_by_default(personas, client_for):
    response = client_for(personas.lead).get(reverse("kpi:months_import"))
    assert response.status_code == 200 and response["Content-Language"] == "zh-hans"


def test_the_upload_size_is_limited(personas, client_for):
    response = _upload(client_for(personas.lead), b"PK\x03\x04" + b"0" * services.MAX_BYTES)
    assert "file" in response.context["form"].errors


def test_the_export_file_reads_back_through_openpyxl_as_the_import_expects(personas, tmp_path):
    """The 月 sheet of an export, edited in Excel (here openpyxl) and uploaded, sets that month."""
    plan = _plan(personas.store_a)
    file = tmp_path / "plan.xlsx"
    file.write_bytes(exports.plan_xlsx(plan=plan))
    workbook = load_workbook(file)
    workbook["月"]["D6"] = 400000  # 2027-05
    workbook.save(file)
    content = file.read_bytes()
    preview = _preview(content, user=personas.lead, file_name="plan.xlsx")
    assert preview.ok and [month.label for month in preview.plans[0].months if month.given]
    _apply(preview, content, user=personas.lead, file_name="plan.xlsx")
    assert _month_sum(plan, "2027-05") == D("400000.00")
