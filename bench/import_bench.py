"""Import benchmark (issue: getting the numbers in).

    .venv/bin/python bench/import_bench.py [--stores 100] [--days 1000] [--db sqlite,postgres] [--repeat 1]

Writes a 生意参谋-style export of STORES × DAYS rows (with a 店铺名称 column) as .csv and .xlsx,
then for each database: imports each file into an empty database, then over itself twice, every
row unchanged: the same file again (recognised: nothing it covers has changed, so it is not read
again), and the same rows in other bytes (its title row says it was downloaded again: read and
compared in full), REPEAT times. Each import runs in its own process so its peak RSS is its own.
The rollups that the changed days set off run in the same process (no REDIS_URL), after the
commit: they are timed apart and not counted in the import's seconds.
Prints rows/s, seconds and peak RSS per run, and with --repeat the best and the median of each
(a shared machine's figures are noisy). PostgreSQL is the local server (PG_URL, default
postgres://postgres@127.0.0.1:5432), in a throwaway database.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from parse_speed import as_csv, as_xlsx, peak_rss_mb, report_rows

ROOT = Path(__file__).resolve().parents[1]


RUNS = ("first", "same file", "same rows")
DOWNLOADED_AGAIN = "店铺整体日报（再次下载）"


def write_files(folder: Path, stores: int, days: int) -> dict[str, dict[str, Path]]:
    """The same 生意参谋-style report as bench/parse_speed.py, as .csv and .xlsx: per format,
    the file of each run (the same rows again under another title for "same rows")."""
    rows = report_rows(stores * days, days_per_store=days)
    files = {}
    for file_format, write in (("csv", as_csv), ("xlsx", as_xlsx)):
        export, again = folder / f"export.{file_format}", folder / f"export-again.{file_format}"
        export.write_bytes(write(rows))
        again.write_bytes(write(rows, title=DOWNLOADED_AGAIN))
        files[file_format] = {"first": export, "same file": export, "same rows": again}
    return files


def child(path: str) -> None:
    """One import in this process; prints its figures as JSON."""
    import django

    django.setup()
    from stores.imports.services import import_batch_create, import_batch_run

    listeners = _time_listeners()
    content = Path(path).read_bytes()
    started = time.perf_counter()
    batch = import_batch_run(
        batch=import_batch_create(content=content, file_name=Path(path).name), dry_run=False
    )
    seconds = time.perf_counter() - started - listeners["seconds"]
    print(
        json.dumps(
            {
                "status": batch.status,
                "rows": batch.rows_total,
                "seconds": seconds,
                "inserted": batch.rows_inserted,
                "unchanged": batch.rows_unchanged,
                "read_again": batch.same_as_id is None,
                "errors": batch.errors[:3],
                "listeners_seconds": listeners["seconds"],
                # VmHWM: ru_maxrss would carry the parent's peak (the files written) over exec.
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    )


def _time_listeners() -> dict:
    """Time what listens to daily_metrics_changed (the rollups), to leave it out of the import's
    time: without REDIS_URL those jobs run in this process once the import has committed, where
    in production a worker runs them after the import is done."""
    from stores.signals import daily_metrics_changed

    spent = {"seconds": 0.0}
    send = daily_metrics_changed.send

    def timed_send(*args, **kwargs):
        started = time.perf_counter()
        try:
            return send(*args, **kwargs)
        finally:
            spent["seconds"] += time.perf_counter() - started

    daily_metrics_changed.send = timed_send
    return spent


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def prepare_database(env: dict, stores: int) -> None:
    """An empty database with the stores. The deleted rows are vacuumed away and the server's
    pending writes (the last run's rollups) flushed first, so that the import does not find the
    last run's dead index entries, nor share the machine with a checkpoint."""
    manage(env, "migrate", "-v0")
    script = (
        "from django.db import connection\n"
        "from stores.models import *\n"
        "for model in (DailyMetric, MetricRevision, ImportBatch):\n"
        "    model.objects.all().delete()\n"
        "o, _ = Organisation.objects.get_or_create(slug='bench', defaults={'name': 'bench'})\n"
        f"for n in range({stores}):\n"
        "    Store.objects.get_or_create(\n"
        "        slug=f'store-{n:03d}', defaults={'organisation': o, 'name': f'店铺{n:03d}'})\n"
        "with connection.cursor() as cursor:\n"
        "    if connection.vendor == 'postgresql':\n"
        "        cursor.execute('VACUUM ANALYZE')\n"
        "        cursor.execute('CHECKPOINT')\n"
        "    else:\n"
        "        cursor.execute('VACUUM')\n"
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
    parser.add_argument("--repeat", type=int, default=1, help="runs of each import: best and median shown")
    parser.add_argument("--child")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsdesk.settings")
    sys.path.insert(0, str(ROOT))
    if options.child:
        return child(options.child)
    with tempfile.TemporaryDirectory(prefix="opsdesk-bench-") as folder:  # the files and SQLite
        run_all(options, Path(folder))


def run_all(options, folder: Path) -> None:
    started = time.perf_counter()
    files = write_files(folder, options.stores, options.days)
    rows = options.stores * options.days
    print(
        f"{rows:,} rows ({options.stores} stores × {options.days} days); files written in "
        f"{time.perf_counter() - started:.1f} s: csv {files['csv']['first'].stat().st_size / 1e6:.1f} MB, "
        f"xlsx {files['xlsx']['first'].stat().st_size / 1e6:.1f} MB"
    )
    print(
        f"{'database':<11} {'file':<5} {'run':<10} {'seconds':>8} {'rows/s':>9} {'peak RSS':>9} "
        f"{'rollups s':>10}"
    )
    results: dict[tuple[str, str, str], list[dict]] = {}
    for label, url, cleanup in databases(options.db.split(","), folder):
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench", "DEBUG": "false"}
        env.pop("REDIS_URL", None)
        try:
            for _repeat in range(options.repeat):
                for file_format, paths in files.items():
                    prepare_database(env, options.stores)
                    for run in RUNS:
                        result = run_import(env, paths[run])
                        assert result["status"] == "applied", result
                        assert result["read_again"] == (run != "same file"), result
                        assert run == "first" or result["unchanged"] == rows, result
                        results.setdefault((label, file_format, run), []).append(result)
                        print(
                            f"{label:<11} {file_format:<5} {run:<10} {result['seconds']:8.2f} "
                            f"{result['rows'] / result['seconds']:9,.0f} {result['peak_rss_mb']:7.0f} MB "
                            f"{result['listeners_seconds']:10.2f}",
                            flush=True,
                        )
        finally:
            if cleanup:
                server, name = cleanup
                subprocess.run(
                    ["psql", f"{server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=False
                )
    if options.repeat > 1:
        summarise(results)


def summarise(results: dict[tuple[str, str, str], list[dict]]) -> None:
    """Best and median of each kind of run; a re-import's speed-up is of the medians."""
    print(
        f"\n{'database':<11} {'file':<5} {'run':<10} {'best s':>7} {'median s':>9} {'best rows/s':>12} "
        f"{'median rows/s':>14} {'peak RSS':>9} {'first/re':>9}"
    )
    for (label, file_format, run), runs in results.items():
        seconds = sorted(result["seconds"] for result in runs)
        rows = runs[0]["rows"]
        median = statistics.median(seconds)
        first = statistics.median(result["seconds"] for result in results[(label, file_format, "first")])
        ratio = f"{first / median:8.2f}×" if run != "first" else ""
        peak = max(result["peak_rss_mb"] for result in runs)
        print(
            f"{label:<11} {file_format:<5} {run:<10} {seconds[0]:7.2f} {median:9.2f} "
            f"{rows / seconds[0]:12,.0f} {rows / median:14,.0f} {peak:6.0f} MB {ratio:>9}"
        )


if __name__ == "__main__":
    main()
