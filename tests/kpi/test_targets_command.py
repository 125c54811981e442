"""`manage.py targets set|show|override`: full access, one-line summaries, the plan as files, refusals
on stderr with exit status 1."""

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import load_workbook

from kpi import selectors
from kpi.models import PlanChange, SalesTarget
from kpi.services.plans import target_set
from stores import periods

D = Decimal
ROOT = Path(__file__).resolve().parents[2]
YEAR = periods.today().year + 1  # a year still to come: every day of it can move


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _run(*args) -> str:
    out = StringIO()
    call_command("targets", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _plan(personas, annual="3650000.00"):
    return target_set(store=personas.store_a, year=YEAR, annual=D(annual))


def test_set_makes_a_plan_and_says_so_in_one_line(personas):
    out = _run("set", "--store", "store-a", "--year", str(YEAR), "--annual", "36,000,000.00", "--floor", "80")
    plan = SalesTarget.objects.get(store=personas.store_a, year=YEAR)
    assert plan.annual == D("36000000.00") and plan.floor_percent == D("80.00") and plan.stretch is None
    assert out == (
        f"store-a {YEAR} ({YEAR}-01-01 – {YEAR}-12-31): annual target ¥36,000,000.00, floor ¥28,800,000.00, "
        "stretch —; version 1.\n"
    )
    assert sum(selectors.plan_day_targets(plan=plan).values()) == D("36000000.00")


def test_set_again_changes_the_annual_target_and_keeps_the_levels_not_given(personas):
    _run("set", "--store", "store-a", "--year", str(YEAR), "--annual", "36000000", "--stretch", "120")
    out = _run("set", "--store", "store-a", "--year", str(YEAR), "--annual", "40000000", "--reason", "more")
    plan = SalesTarget.objects.get(store=personas.store_a, year=YEAR)
    assert plan.annual == D("40000000.00") and plan.stretch_percent == D("120.00")
    assert "¥40,000,000.00" in out and "version 2" in out
    assert plan.changes.first().reason == "more"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--annual", "abc"], "--annual: “abc” is not a number"),
        (["--annual", "-5"], "--annual: “-5” is negative"),
        (["--annual", "1.005"], "--annual: “1.005” has more than 2 decimal places"),
        (["--annual", "100", "--floor", "x"], "--floor: “x” is not a number"),
        (["--annual", "100", "--store", "nope"], "No store with the slug “nope”."),
        (["--annual", "100", "--year", "1999"], "--year: plans are for the years 2000 to"),
    ],
)
def test_bad_input_is_a_command_error_naming_the_option(personas, args, message):
    with pytest.raises(CommandError) as refused:
        _run("set", "--store", "store-a", "--year", str(YEAR), *args)
    assert message in str(refused.value)
    assert not SalesTarget.objects.exists()


def test_show_writes_json_and_csv_to_stdout(personas):
    _plan(personas)
    data = json.loads(_run("show", "--store", "store-a", "--year", str(YEAR), "--format", "json"))
    assert data["store"] == "store-a" and data["annual"] == "3650000.00" and data["version"] == 1
    assert sum(D(month["target"]) for month in data["months"]) == D("3650000.00")
    text = _run("show", "--store", "store-a", "--year", str(YEAR), "--format", "csv")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:2] == ["日期", "目标"] and len(rows) == 1 + len(data["days"])


def test_show_writes_xlsx_to_a_file_only(personas, tmp_path):
    _plan(personas)
    with pytest.raises(CommandError, match="-o FILE.xlsx"):
        _run("show", "--store", "store-a", "--year", str(YEAR), "--format", "xlsx")
    file = tmp_path / "plan.xlsx"
    err = StringIO()
    call_command(
        "targets", "show", "--store", "store-a", "--year", str(YEAR), "--format", "xlsx", "-o", str(file),
        stdout=StringIO(), stderr=err,
    )  # fmt: skip
    assert load_workbook(file).sheetnames == ["月", "周", "日"] and "Wrote" in err.getvalue()
    with pytest.raises(CommandError, match="has no plan for"):
        _run("show", "--store", "store-b", "--year", str(YEAR), "--format", "json")


def test_override_prints_the_period_before_and_after_and_the_months_that_moved(personas):
    plan = _plan(personas)
    may = f"{YEAR}-05"
    out = _run(
        "override", "--store", "store-a", "--period", may, "--amount", "600,000", "--reason", "618", "--lock"
    )
    change = PlanChange.objects.get(plan=plan, kind=PlanChange.Kind.OVERRIDE)
    assert out.splitlines()[0] == (
        f"store-a {may}: {_money(change.before)} → ¥600,000.00 (version {change.version})."
    )
    assert "Months that moved:" in out and f"  {may}: {_money(change.before)} → ¥600,000.00" in out
    assert f"{may} is locked." in out and plan.locks.filter(label=may).exists()
    week = _run(
        "override", "--store", "store-a", "--period", f"{YEAR}-W10", "--amount", "70000", "--reason", "w"
    )
    assert f"store-a {YEAR}-W10:" in week


def _money(amount) -> str:
    return f"¥{amount:,}"


@pytest.mark.parametrize(
    ("period", "amount", "message"),
    [
        ("{year}-05", "4000000", "negative target"),
        ("{year}-13", "1", "is not a month (2027-05), a week (2027-W19) or a day (2027-05-20)"),
        ("{year}-05", "abc", "--amount: “abc” is not a number"),
        ("2001-05", "1", "“store-a” has no plan covering 2001-05."),
    ],
)
def test_a_refused_override_is_a_command_error_and_changes_nothing(personas, period, amount, message):
    plan = _plan(personas)
    with pytest.raises(CommandError) as refused:
        _run(
            "override",
            "--store",
            "store-a",
            "--period",
            period.format(year=YEAR),
            "--amount",
            amount,
            "--reason",
            "x",
        )
    assert message in str(refused.value)
    assert SalesTarget.objects.get(pk=plan.pk).version == 1


def test_the_real_command_exits_1_with_the_refusal_on_stderr(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    manage = [sys.executable, "manage.py"]

    def run(*args):
        return subprocess.run([*manage, *args], cwd=ROOT, env=env, capture_output=True, text=True)

    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    made = run(
        "shell",
        "-c",
        "from stores.models import *; o=Organisation.objects.create(name='o', slug='o'); "
        "Store.objects.create(organisation=o, name='s', slug='s')",
    )
    assert made.returncode == 0, made.stderr
    assert run("targets", "set", "--store", "s", "--year", str(YEAR), "--annual", "365000").returncode == 0
    refused = run(
        "targets", "override", "--store", "s", "--period", f"{YEAR}-05", "--amount", "999999", "--reason", "x"
    )
    assert refused.returncode == 1 and "CommandError" in refused.stderr and refused.stdout == ""
    ok = run(
        "targets", "override", "--store", "s", "--period", f"{YEAR}-05", "--amount", "40000", "--reason", "x"
    )
    assert ok.returncode == 0 and "¥40,000.00" in ok.stdout
