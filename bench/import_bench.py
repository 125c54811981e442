"""Import benchmark (issue: getting the numbers in).

    .venv/bin/python bench/import_bench.py [--stores 100] [--days 1000] [--db sqlite,postgres]

Writes a 生意参谋-style export of STORES × DAYS rows (with a 店铺名称 column) as .csv and .xlsx,
then for each database: imports each file into an empty database, and again over itself (every
row unchanged). Each import runs in its own process so its peak RSS is its own. Prints rows/s,
seconds and peak RSS per run. PostgreSQL is the local server (PG_URL, default
postgres://postgres@127.0.0.1:5432), in a throwaway database.
"""

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = [
    "统计日期",
    "店铺名称",
    "访客数",
    "浏览量",
    "支付金额",
    "支付买家数",
    "支付转化率",
    "客单价",
    "支付子订单数",
    "支付件数",
    "支付新买家数",
    "支付老买家数",
    "成功退款金额",
    "关键词推广花费",
    "精准人群推广花费",
    "全站推广花费",
    "淘宝客佣金",
    "推广成交金额",
    "描述相符评分",
    "服务态度评分",
    "物流服务评分",
]


def export_rows(stores: int, days: int):
    rng = random.Random(7)
    first = dt.date(2024, 1, 1)
    for store in range(stores):
        for offset in range(days):
            uv = rng.randint(800, 40000)
            buyers = max(1, int(uv * rng.uniform(0.01, 0.08)))
            aov = rng.uniform(80, 400)
            gmv = round(buyers * aov, 2)
            orders = int(buyers * 1.1)
            new = int(buyers * 0.7)
            spend = [round(rng.uniform(50, 900), 2) for _ in range(4)]
            yield [
                (first + dt.timedelta(days=offset)).isoformat(),
                f"店铺{store:03d}",
                uv,
                int(uv * 3.2),
                f"{gmv:.2f}",
                buyers,
                f"{buyers / uv * 100:.2f}%",
                f"{gmv / buyers:.2f}",
                orders,
                orders + 3,
                new,
                buyers - new,
                f"{gmv * 0.05:.2f}",
                *spend,
                f"{sum(spend) * 3:.2f}",
                f"{rng.uniform(4.6, 4.95):.4f}",
                f"{rng.uniform(4.6, 4.95):.4f}",
                f"{rng.uniform(4.6, 4.95):.4f}",
            ]


def write_files(folder: Path, stores: int, days: int) -> dict[str, Path]:
    csv_path, xlsx_path = folder / "export.csv", folder / "export.xlsx"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(export_rows(stores, days))
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("店铺整体")
    sheet.append(["店铺整体日报"])
    sheet.append(HEADER)
    for row in export_rows(stores, days):
        sheet.append([dt.date.fromisoformat(row[0]), *row[1:]])
    workbook.save(xlsx_path)
    return {"csv": csv_path, "xlsx": xlsx_path}


def child(path: str) -> None:
    """One import in this process; prints its figures as JSON."""
    import django

    django.setup()
    from stores.imports.services import import_batch_create, import_batch_run

    content = Path(path).read_bytes()
    started = time.perf_counter()
    batch = import_batch_run(
        batch=import_batch_create(content=content, file_name=Path(path).name), dry_run=False
    )
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "status": batch.status,
                "rows": batch.rows_total,
                "seconds": seconds,
                "inserted": batch.rows_inserted,
                "unchanged": batch.rows_unchanged,
                "errors": batch.errors[:3],
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def prepare_database(env: dict, stores: int) -> None:
    manage(env, "migrate", "-v0")
    script = (
        "from stores.models import *\n"
        "for model in (DailyMetric, MetricRevision, ImportBatch):\n"
        "    model.objects.all().delete()\n"
        "o, _ = Organisation.objects.get_or_create(slug='bench', defaults={'name': 'bench'})\n"
        f"for n in range({stores}):\n"
        "    Store.objects.get_or_create(\n"
        "        slug=f'store-{n:03d}', defaults={'organisation': o, 'name': f'店铺{n:03d}'})\n"
    )
    manage(env, "shell", "-c", script)


def run_import(env: dict, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def databases(names: list[str], folder: Path):
    if "sqlite" in names:
        yield "SQLite", f"sqlite:///{folder / 'bench.sqlite3'}", None
    if "postgres" in names:
        server = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
        name = f"opsdesk_bench_{os.getpid()}"
        subprocess.run(["psql", f"{server}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
        yield "PostgreSQL", f"{server}/{name}", (server, name)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stores", type=int, default=100)
    parser.add_argument("--days", type=int, default=1000)
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--child")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsdesk.settings")
    sys.path.insert(0, str(ROOT))
    if options.child:
        return child(options.child)
    folder = Path(tempfile.mkdtemp(prefix="opsdesk-bench-"))
    started = time.perf_counter()
    files = write_files(folder, options.stores, options.days)
    rows = options.stores * options.days
    print(
        f"{rows:,} rows ({options.stores} stores × {options.days} days); files written in "
        f"{time.perf_counter() - started:.1f} s: csv {files['csv'].stat().st_size / 1e6:.1f} MB, "
        f"xlsx {files['xlsx'].stat().st_size / 1e6:.1f} MB"
    )
    print(f"{'database':<11} {'file':<5} {'run':<10} {'seconds':>8} {'rows/s':>9} {'peak RSS':>9}")
    for label, url, cleanup in databases(options.db.split(","), folder):
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench", "DEBUG": "false"}
        env.pop("REDIS_URL", None)
        try:
            for file_format, path in files.items():
                prepare_database(env, options.stores)
                for run in ("first", "re-import"):
                    result = run_import(env, path)
                    assert result["status"] == "applied", result
                    print(
                        f"{label:<11} {file_format:<5} {run:<10} {result['seconds']:8.2f} "
                        f"{result['rows'] / result['seconds']:9,.0f} {result['peak_rss_mb']:7.0f} MB",
                        flush=True,
                    )
        finally:
            if cleanup:
                server, name = cleanup
                subprocess.run(
                    ["psql", f"{server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=False
                )


if __name__ == "__main__":
    main()
