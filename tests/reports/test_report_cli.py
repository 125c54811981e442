"""`manage.py report`: periods, store and organisation choice, formats, and refusals."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reports import services
from reports.management.commands.report import Command
from stores import periods
from stores.models import DailyMetric, Organisation, Store
from stores.periods import PeriodKind
from tests.factories import DailyMetricFactory

WEEK_DAYS = [dt.date(2026, 11, 2) + dt.timedelta(days=offset) for offset in range(7)]  # 2026-W45


def report(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def acme_week(personas):
    """Store A: 7 factory days in 2026-W45 (¥31,500); store B: one day of ¥1,000.50."""
    for day in WEEK_DAYS:
        DailyMetricFactory(store=personas.store_a, date=day)
    DailyMetricFactory(
        store=personas.store_b, date=WEEK_DAYS[0], uv=100, paid_buyers=2, gmv=Decimal("1000.50")
    )
    services.rollups_rebuild(stores=Store.objects.all())
    return personas


def test_weekly_json_to_stdout(acme_week):
    out, _err = report("weekly", "--week", "2026-W45", "--organisation", "acme", "--format", "json")
    data = json.loads(out)
    assert data["kind"] == "week"
    assert data["period"] == {"start": "2026-11-02", "end": "2026-11-08", "label": "2026-W45"}
    assert [row["store"] for row in data["rows"]] == ["store-a", "store-b", None]
    store_a, store_b, total = data["rows"]
    assert store_a["current"]["gmv"] == "31500.00" and store_a["current"]["uv"] == 7000
    assert store_b["current"]["gmv"] == "1000.50" and store_b["current"]["conversion"] == 0.02
    assert total["current"]["gmv"] == "32500.50"
    assert total["current"]["paid_buyers"] == 212
    assert total["current"]["conversion"] == round(212 / 7100, 6)
    assert total["previous"]["gmv"] is None, "no data the week before"


def test_store_option_picks_its_organisation_and_narrows_the_rows(acme_week):
    out, _err = report("weekly", "--week", "2026-W45", "--store", "store-b", "--format", "json")
    rows = json.loads(out)["rows"]
    assert [row["store"] for row in rows] == ["store-b", None]
    assert rows[1]["current"]["gmv"] == "1000.50", "the total of the chosen stores only"


def test_several_stores_repeated_or_listed(acme_week):
    listed, _err = report("weekly", "--week", "2026-W45", "--store", "store-a", "store-b", "--format", "json")
    repeated, _err = report(
        "weekly", "--week", "2026-W45", "--store", "store-a", "--store", "store-b", "--format", "json"
    )
    assert listed == repeated
    assert [row["store"] for row in json.loads(listed)["rows"]] == ["store-a", "store-b", None]


def test_csv_to_stdout(acme_week):
    out, _err = report("weekly", "--week", "2026-W45", "--store", "store-a", "--format", "csv")
    assert out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert [row[:2] for row in rows[1:]] == [["A店", "store-a"], ["合计", ""]]
    assert dict(zip(rows[0], rows[1], strict=True))["支付金额·本期"] == "31500.00"


def test_xlsx_to_a_file(acme_week, tmp_path):
    target = tmp_path / "week.xlsx"
    _out, err = report(
        "weekly", "--week", "2026-W45", "--organisation", "acme", "--format", "xlsx", "-o", str(target)
    )
    assert str(target) in err
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:4] == ["汇总", "A店", "B店", "合计"]
    assert book["汇总"]["B4"].value == pytest.approx(32500.5), "the total's GMV"


def test_lang_en_gives_codes(acme_week):
    out, _err = report(
        "weekly", "--week", "2026-W45", "--store", "store-a", "--format", "csv", "--lang", "en"
    )
    assert out.lstrip("\ufeff").startswith("store_name,store,uv.current,")


def test_daily_and_monthly(acme_week):
    out, _err = report("daily", "--date", "2026-11-03", "--store", "store-a", "--format", "json")
    data = json.loads(out)
    assert data["kind"] == "day" and data["period"]["label"] == "2026-11-03"
    assert data["rows"][0]["current"]["gmv"] == "4500.00"
    assert data["rows"][0]["previous"]["gmv"] == "4500.00", "the day before"
    out, _err = report("monthly", "--month", "2026-11", "--store", "store-a", "--format", "json")
    data = json.loads(out)
    assert data["period"] == {"start": "2026-11-01", "end": "2026-11-30", "label": "2026-11"}
    assert data["rows"][0]["current"]["gmv"] == "31500.00"


@pytest.mark.parametrize(
    ("kind", "kind_value"),
    [("daily", PeriodKind.DAY), ("weekly", PeriodKind.WEEK), ("monthly", PeriodKind.MONTH)],
)
def test_default_period_is_the_last_complete_one(personas, kind, kind_value):
    out, err = report(kind, "--organisation", "acme", "--format", "json")
    assert json.loads(out)["period"]["label"] == periods.last_complete_period(kind_value).label
    assert "rollup" in err, "a warning that nothing is stored"


def test_reads_the_stored_rollups_not_the_daily_rows(acme_week):
    # A change that bypasses the rollup jobs (a queryset update sends no signal) is not seen
    # until the rollups are rebuilt: the command reads what the nightly run stored.
    DailyMetric.objects.filter(store=acme_week.store_a).update(gmv=Decimal("1.00"))
    out, _err = report("weekly", "--week", "2026-W45", "--store", "store-a", "--format", "json")
    assert json.loads(out)["rows"][0]["current"]["gmv"] == "31500.00"
    services.rollups_rebuild(stores=Store.objects.all())
    out, _err = report("weekly", "--week", "2026-W45", "--store", "store-a", "--format", "json")
    assert json.loads(out)["rows"][0]["current"]["gmv"] == "7.00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["weekly", "--week", "2026-W60"], "2026-W60"),
        (["weekly", "--week", "last week"], "--week"),
        (["monthly", "--month", "2026-13"], "2026-13"),
        (["daily", "--date", "2026-02-30"], "2026-02-30"),
        (["daily", "--week", "2026-W45"], "--week"),
        (["weekly", "--month", "2026-11"], "--month"),
        (["weekly", "--store", "no-such-store"], "no-such-store"),
        (["weekly", "--store", "store-a", "--organisation", "other"], "store-a"),
        (["weekly", "--organisation", "nope"], "nope"),
        (["weekly", "--store", "store-a", "store-c"], "不同公司"),
        (["weekly"], "--organisation"),
        (["weekly", "--week", "2099-W01", "--organisation", "acme"], "2099-W01"),
    ],
)
def test_refusals(personas, args, message):
    with pytest.raises(CommandError, match=message.replace("-", r"\-")):
        report(*args, "--format", "json")


def test_xlsx_needs_an_output_file(personas):
    with pytest.raises(CommandError, match="-o"):
        report("weekly", "--organisation", "acme", "--format", "xlsx")


def test_only_organisation_is_the_default(personas):
    personas.store_c.delete()
    Organisation.objects.filter(slug="other").delete()
    out, _err = report("weekly", "--week", "2026-W45", "--format", "json")
    assert [row["store"] for row in json.loads(out)["rows"]] == ["store-a", "store-b", None]


def test_exit_code_and_message_on_the_command_line(personas, capsys):
    with pytest.raises(SystemExit) as stopped:
        Command().run_from_argv(["manage.py", "report", "weekly", "--week", "2026-W99", "--format", "json"])
    assert stopped.value.code == 1
    assert "2026-W99" in capsys.readouterr().err


def test_unknown_format_is_an_argument_error(personas, capsys):
    with pytest.raises(SystemExit) as stopped:
        Command().run_from_argv(["manage.py", "report", "weekly", "--format", "pdf"])
    assert stopped.value.code == 2
    assert "pdf" in capsys.readouterr().err
