"""`manage.py import_metrics` and `export_metrics`: summaries, exit codes, and a lossless round trip."""

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from stores import metrics
from stores.models import DailyMetric, ImportBatch, MetricRevision
from tests.factories import DailyMetricFactory, StoreFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _run(*args, language: str = "en") -> str:
    out = StringIO()
    with translation.override(language):
        call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_prints_a_summary(tmp_path):
    store = StoreFactory(slug="shanlan")
    path = tmp_path / "daily.csv"
    path.write_text(
        "统计日期,访客数,支付金额\n2026-11-01,1000,4500\n2026-11-02,1100,4700\n", encoding="utf-8"
    )
    out = _run("import_metrics", str(path), "--store", "shanlan")
    assert "2 rows — 2 days added, 0 changed" in out
    assert DailyMetric.objects.filter(store=store).count() == 2


def test_dry_run_saves_nothing(tmp_path):
    StoreFactory(slug="shanlan")
    path = tmp_path / "daily.csv"
    path.write_text("统计日期,访客数\n2026-11-01,1000\n", encoding="utf-8")
    assert "would add 1 days" in _run("import_metrics", str(path), "--store", "shanlan", "--dry-run")


def test_the_command_speaks_chinese_by_default(tmp_path):
    StoreFactory(slug="shanlan")
    path = tmp_path / "bad.csv"
    path.write_text("统计日期,访客数\n2026-11-01,abc\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        _run("import_metrics", str(path), "--store", "shanlan", language="zh-hans")
    assert "没有保存任何数据" in str(refused.value) and "第 2 行" in str(refused.value)
    assert not DailyMetric.objects.exists()


def test_a_refused_file_raises_with_every_error(tmp_path):
    StoreFactory(slug="shanlan")
    path = tmp_path / "bad.csv"
    path.write_text("统计日期,访客数\n2026-11-01,abc\n2026-11-02,-5\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        with translation.override("en"):
            call_command("import_metrics", str(path), "--store", "shanlan", stdout=StringIO())
    assert "nothing was saved" in str(refused.value)
    assert str(refused.value).count("访客数") == 2
    assert ImportBatch.objects.get().status == ImportBatch.Status.REFUSED


def test_unknown_store_and_missing_file_are_command_errors(tmp_path):
    with pytest.raises(CommandError, match="slug"), translation.override("en"):
        call_command("import_metrics", str(tmp_path / "x.csv"), "--store", "nope")
    with pytest.raises(CommandError):
        _run("import_metrics", str(tmp_path / "missing.csv"))


def test_exit_codes_of_the_real_command(tmp_path, settings):
    """The process exits 0 on success and non-zero, with the errors on stderr, when refused."""
    bad = tmp_path / "bad.csv"
    bad.write_text("统计日期,访客数\n2026-11-01,abc\n", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    store = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from stores.models import *; o=Organisation.objects.create("
            "name='o', slug='o'); Store.objects.create(organisation=o, name='s', slug='s')",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    assert store.returncode == 0, store.stderr
    refused = subprocess.run(
        [*manage, "import_metrics", str(bad), "--store", "s"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0 and "abc" in refused.stderr
    good = tmp_path / "good.csv"
    good.write_text("统计日期,访客数\n2026-11-01,12\n", encoding="utf-8")
    ok = subprocess.run(
        [*manage, "import_metrics", str(good), "--store", "s"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_import_of_an_export_is_the_identity(tmp_path, suffix, lang):
    """Every recorded value, the ad-spend split and missing values survive export → import."""
    store = StoreFactory(name="山岚家居旗舰店", slug="shanlan")
    # A name a spreadsheet would run as a formula: exported quoted ('=…), imported back as it is.
    other = StoreFactory(organisation=store.organisation, name="=优贝母婴专营店", slug="youbei")
    DailyMetricFactory(
        store=store,
        date=dt.date(2026, 11, 1),
        gmv=Decimal("1234567.89"),
        refund_amount=None,
        ad_spend=Decimal("150.50"),
        ad_spend_split={"keyword": "100.50", "site": "50.00"},
        dsr_item=Decimal("4.8512"),
    )
    DailyMetricFactory(
        store=other,
        date=dt.date(2026, 11, 1),
        uv=0,
        paid_buyers=0,
        gmv=Decimal("0.00"),
        new_buyers=0,
        returning_buyers=0,
        cs_inquiry_buyers=0,
    )
    before = {(d.store_id, d.date): (d.recorded(), d.ad_spend_split) for d in DailyMetric.objects.all()}
    path = tmp_path / f"export.{suffix}"
    _run("export_metrics", "-o", str(path), "--lang", lang)

    out = _run("import_metrics", str(path))
    assert "0 days added, 0 changed" in out, out

    DailyMetric.objects.all().delete()
    _run("import_metrics", str(path))
    after = {(d.store_id, d.date): (d.recorded(), d.ad_spend_split) for d in DailyMetric.objects.all()}
    assert after == before
    assert not MetricRevision.objects.exists()


def test_export_headers_are_the_生意参谋_wording(tmp_path):
    StoreFactory(slug="shanlan")
    path = tmp_path / "export.csv"
    _run("export_metrics", "-o", str(path))
    header = path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["统计日期", "店铺名称", "访客数"]
    assert [m.label_zh for m in metrics.RECORDED] == header[2 : 2 + len(metrics.RECORDED)]


def test_export_filters_by_store_and_dates(tmp_path):
    store = StoreFactory(slug="shanlan")
    for day in (1, 2, 3):
        DailyMetricFactory(store=store, date=dt.date(2026, 11, day))
    DailyMetricFactory(date=dt.date(2026, 11, 2))
    path = tmp_path / "export.csv"
    _run(
        "export_metrics", "-o", str(path), "--store", "shanlan", "--from", "2026-11-02", "--to", "2026-11-03"
    )
    lines = path.read_text(encoding="utf-8-sig").splitlines()[1:]
    assert [line.split(",")[0] for line in lines] == ["2026-11-02", "2026-11-03"]


def test_export_refuses_an_unknown_format(tmp_path):
    with pytest.raises(CommandError):
        _run("export_metrics", "-o", str(tmp_path / "x.pdf"))
