"""Rollup and report benchmark (issue: rollups, nightly jobs and reports).

    .venv/bin/python bench/rollup_bench.py [--stores 500] [--years 3] [--repeat 15]
        [--xlsx-only] [--xlsx-repeat 1]

On a throwaway PostgreSQL database (PG_URL, default postgres://postgres@127.0.0.1:5432) with
STORES stores × YEARS years of daily metrics (generated in SQL, up to yesterday), prints:
- the full rebuild (`rollups_rebuild`, every store, every level, organisation totals), and its
  ratio to hand-written INSERT … SELECT … GROUP BY statements writing the same rows (one per
  level into a scratch table, no transactions per store) — goal ≤ 2×;
- the nightly run for one new day across every store, queued on Redis (BENCH_REDIS_URL,
  default db 12) and worked off by one real `rqworker --burst`, first the non-forking worker
  of docker-compose's nightly-worker, then a forking one for comparison — goal < 10 s;
- the weekly report page's server time (median of REPEAT requests through Django's test
  client) for every store, with 3 years and then with 1 year of history — goals < 300 ms and
  equal within noise;
- the 500-store weekly report as .xlsx through its download address — goal < 3 s (each of
  XLSX_REPEAT downloads, and their median).

--xlsx-only builds the same data (the nightly runs' new day is written before the full rebuild
instead of after it, the rollups ending the same), times the report page once as the full run
does, then only the .xlsx: no hand-written statements, no nightly runs, no 1-year page.
"""

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUMMED = (
    "uv pv paid_buyers paid_orders paid_items gmv refund_amount ad_spend ad_gmv new_buyers returning_buyers "
    "cs_inquiries cs_inquiry_buyers bad_reviews"
).split()
SCORES = ("dsr_item", "dsr_service", "dsr_logistics")
LEVELS = ("day", "week", "month", "quarter", "year")
WORKERS = {"non-forking": ["--worker-class", "rq.worker.SimpleWorker"], "forking": []}


def generate(cursor, *, stores: int, first, last) -> int:
    """Plausible daily numbers for every store and day, straight in SQL (Python would take minutes)."""
    cursor.execute(
        "INSERT INTO stores_organisation (name, slug, created_at)"
        " VALUES ('基准', 'bench', now()) RETURNING id"
    )
    organisation_id = cursor.fetchone()[0]
    cursor.execute(
        """
        INSERT INTO stores_store
            (organisation_id, name, slug, platform, shop_type, category, active, created_at)
        SELECT %s, '店铺' || lpad(n::text, 3, '0'), 'store-' || lpad(n::text, 3, '0'),
            'tmall', 'flagship', '', true, now()
        FROM generate_series(1, %s) AS n
        """,
        [organisation_id, stores],
    )
    cursor.execute(
        """
        INSERT INTO stores_dailymetric (store_id, date, uv, pv, paid_buyers, paid_orders, paid_items,
            gmv, refund_amount, ad_spend, ad_gmv, new_buyers, returning_buyers,
            dsr_item, dsr_service, dsr_logistics, cs_inquiries, cs_inquiry_buyers, bad_reviews,
            ad_spend_split, source, source_note, created_at, updated_at)
        SELECT s.id, d::date, v.uv, v.uv * 3, v.buyers, v.buyers + 2, v.buyers + 5,
            v.gmv, round(v.gmv * 0.05, 2), round(v.gmv * 0.1, 2), round(v.gmv * 0.35, 2),
            v.buyers * 7 / 10, v.buyers - v.buyers * 7 / 10,
            round((4.7 + random() * 0.25)::numeric, 4), round((4.7 + random() * 0.25)::numeric, 4),
            round((4.7 + random() * 0.25)::numeric, 4), v.buyers + 10, v.buyers / 2, (random() * 3)::int,
            '{}', 'demo', 'bench', now(), now()
        FROM stores_store s
        CROSS JOIN generate_series(%s::date, %s::date, interval '1 day') AS d
        CROSS JOIN LATERAL (
            SELECT (500 + random() * 5000)::int AS uv, (10 + random() * 200)::int AS buyers,
                   round((2000 + random() * 40000)::numeric, 2) AS gmv
        ) AS v
        """,
        [first, last],
    )
    return cursor.rowcount


def new_day(cursor, day) -> int:
    """The nightly run's new day for every store (replacing any numbers of that day)."""
    cursor.execute("DELETE FROM stores_dailymetric WHERE date = %s", [day])
    cursor.execute(
        "INSERT INTO stores_dailymetric (store_id, date, uv, paid_buyers, gmv, ad_spend_split,"
        " source, source_note, created_at, updated_at)"
        " SELECT id, %s, 1000, 30, 4500, '{}', 'demo', 'bench', now(), now() FROM stores_store",
        [day],
    )
    return cursor.rowcount


def hand_written_seconds(cursor) -> float:
    """The same rows by hand: one INSERT … SELECT … GROUP BY per level, into a scratch table."""
    columns = ", ".join(
        ["store_id", "kind", "period_start", "store_days", *SUMMED, *SCORES, *(f"{c}_min" for c in SCORES)]
    )
    cursor.execute(f"CREATE TEMP TABLE hand_rollup AS SELECT {columns} FROM reports_storerollup WITH NO DATA")
    sums = ", ".join(f"sum({code})" for code in SUMMED)
    lasts = ", ".join(
        f"(array_agg({c} ORDER BY date DESC) FILTER (WHERE {c} IS NOT NULL))[1]" for c in SCORES
    )
    mins = ", ".join(f"min({c})" for c in SCORES)
    started = time.perf_counter()
    for level in LEVELS:
        start = "date" if level == "day" else f"date_trunc('{level}', date)::date"
        cursor.execute(
            f"INSERT INTO hand_rollup SELECT store_id, '{level}', {start}, count(*), {sums}, {lasts}, {mins} "
            f"FROM stores_dailymetric GROUP BY store_id, {start}"
        )
    return time.perf_counter() - started


def median_ms(client, url: str, params: dict, repeat: int, before=None) -> float:
    """Median server time of GET url; `before` (untimed) runs ahead of each request."""
    timings = []
    for _ in range(repeat + 2):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url, params, secure=True)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(timings[2:])  # the first two warm caches


@contextlib.contextmanager
def production_like_database(prefix: str, *, redis_url: str | None):
    """A throwaway PostgreSQL database, migrated, with static files collected (pages name them
    through collectstatic's manifest, as in production); the environment points at it. Dropped
    on the way out. Yields that environment, for the commands the benchmark starts."""
    server = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
    name = f"{prefix}_{os.getpid()}"
    subprocess.run(["psql", f"{server}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    env = {
        "DATABASE_URL": f"{server}/{name}",
        "SECRET_KEY": "bench",
        "DEBUG": "false",
        "STATIC_ROOT": tempfile.mkdtemp(prefix="opsdesk-bench-static-"),
    }
    os.environ.update(env)
    if redis_url:
        os.environ["REDIS_URL"] = redis_url
    else:
        os.environ.pop("REDIS_URL", None)
    try:
        for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, check=True)
        yield dict(os.environ)
    finally:
        from django.db import connections

        connections.close_all()
        subprocess.run(["psql", f"{server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stores", type=int, default=500)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--xlsx-only", action="store_true", help="time only the page and the .xlsx")
    parser.add_argument("--xlsx-repeat", type=int, default=1, help="downloads of the .xlsx timed")
    options = parser.parse_args()
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
    with production_like_database("opsdesk_rollup_bench", redis_url=redis_url) as env:
        run(options, env)


def run(options, env: dict) -> None:
    import datetime as dt

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsdesk.settings")
    import django

    django.setup()
    from django.db import connection

    from reports import jobs, services
    from reports.models import StoreRollup
    from stores import periods
    from stores.models import DailyMetric, Store

    yesterday = periods.yesterday()
    first = dt.date(yesterday.year - options.years, yesterday.month, yesterday.day) + dt.timedelta(days=1)
    before_yesterday = yesterday - dt.timedelta(days=1)
    with connection.cursor() as cursor:
        started = time.perf_counter()
        rows = generate(cursor, stores=options.stores, first=first, last=before_yesterday)
        if options.xlsx_only:
            rows += new_day(cursor, yesterday)  # the nightly runs' day, rolled up by the rebuild
        cursor.execute("ANALYZE")
    seconds = time.perf_counter() - started
    days = f"{first} … {before_yesterday}" + (f", and {yesterday}" if options.xlsx_only else "")
    print(f"{rows:,} daily rows ({options.stores} stores, {days}) in {seconds:.1f} s")

    started = time.perf_counter()
    written = services.rollups_rebuild(stores=Store.objects.all())
    rebuild = time.perf_counter() - started
    if options.xlsx_only:
        print(f"full rebuild: {rebuild:.2f} s ({written:,} rollup rows)")
        report_timings(options)
        return
    with connection.cursor() as cursor:
        hand = hand_written_seconds(cursor)
    print(
        f"full rebuild: {rebuild:.2f} s ({written:,} rollup rows); hand-written GROUP BY per level: "
        f"{hand:.2f} s; ratio {rebuild / hand:.2f}× (goal ≤ 2×)"
    )

    # A new day for every store, then the nightly run on Redis worked off by one real worker:
    # docker-compose's nightly-worker (no fork per job), then for comparison a forking one.
    import django_rq

    queue = django_rq.get_queue("nightly")
    for label, worker_options in WORKERS.items():
        with connection.cursor() as cursor:
            new_day(cursor, yesterday)
        queue.empty()
        started = time.perf_counter()
        queued = jobs.rollup_nightly(yesterday.isoformat())
        worker = [sys.executable, "manage.py", "rqworker", "nightly", "--burst", *worker_options]
        subprocess.run(worker, cwd=ROOT, env=env, check=True, capture_output=True)
        nightly = time.perf_counter() - started
        assert StoreRollup.objects.filter(kind="day", period_start=yesterday).count() == options.stores
        print(
            f"nightly run for {yesterday}: {queued} store jobs + totals, one {label} worker "
            f"(start-up included): {nightly:.2f} s (goal < 10 s)"
        )

    client, params, long_history = report_timings(options)

    cut = dt.date(yesterday.year - 1, yesterday.month, yesterday.day)
    DailyMetric.objects.filter(date__lt=cut).delete()
    services.rollups_rebuild(stores=Store.objects.all())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    short_history = median_ms(client, "/reports/weekly/", params, options.repeat)
    print(
        f"weekly report page, {options.stores} stores, 1 year of history: median {short_history:.0f} ms "
        f"(vs {long_history:.0f} ms with {options.years} years; goal: equal within noise)"
    )


def report_timings(options):
    """The weekly report page (median of REPEAT) and its .xlsx (each of XLSX_REPEAT downloads)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from stores import periods
    from stores.models import Organisation
    from tests.factories import OrgMembershipFactory, UserFactory

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after so many new rows
    setup_test_environment()
    organisation = Organisation.objects.get(slug="bench")
    boss = UserFactory(username="bench-boss")
    OrgMembershipFactory(user=boss, organisation=organisation, role="boss")
    client = Client()
    client.force_login(boss)
    week = periods.last_complete_period(periods.PeriodKind.WEEK)
    params = {"org": "bench", "period": week.label}
    long_history = median_ms(client, "/reports/weekly/", params, options.repeat)
    print(
        f"weekly report page, {options.stores} stores, {options.years} years of history: "
        f"median {long_history:.0f} ms (goal < 300 ms)"
    )
    timings = []
    for _ in range(options.xlsx_repeat):
        started = time.perf_counter()
        response = client.get("/reports/weekly/export/", {**params, "format": "xlsx"}, secure=True)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    size = len(response.content) / 1e6
    each = " (" + ", ".join(f"{seconds:.2f}" for seconds in timings) + ")" if len(timings) > 1 else ""
    median = "median " if len(timings) > 1 else ""
    print(
        f"weekly report .xlsx, {options.stores} stores: {median}{statistics.median(timings):.2f} s{each}, "
        f"{size:.1f} MB (goal < 3 s)"
    )
    return client, params, long_history


if __name__ == "__main__":
    main()
