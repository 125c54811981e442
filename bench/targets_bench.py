"""Sales targets benchmark (issue 13: sales targets and pacing).

    .venv/bin/python bench/targets_bench.py [--stores 500] [--repeat 15]

On a throwaway PostgreSQL database (PG_URL) with STORES stores × last year and this year to
yesterday of daily metrics, rolled up, prints (each measured in the same run as its baseline):
- planning every store for next year from its history (`targets_set`: the calendar, the matching
  days, last year's numbers, weights, allocation, the rows), against writing the same number of
  plan days with `bulk_create` alone — goal < 10 s;
- one override's re-balance (`plan_override` of a month, saved; median of REPEAT), against reading
  the plan's days — goal < 200 ms;
- the dashboard and the weekly report (through Django's test client, median of REPEAT) for 20
  stores and for all STORES, without any target and then with every store planned: their
  server time and their number of queries — goal: the same number of queries with targets as
  without, and for 20 stores as for STORES.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

from rollup_bench import generate, production_like_database

ROOT = Path(__file__).resolve().parents[1]
FEW = 20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stores", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=15)
    options = parser.parse_args()
    with production_like_database("opsdesk_targets_bench", redis_url=None):
        run(options)


def run(options) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsdesk.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from kpi import selectors
    from kpi.allocation import financial_year_days
    from kpi.models import PlanDay, SalesTarget
    from kpi.services.changes import plan_override
    from kpi.services.plans import PlanOrder, targets_set
    from reports import services
    from stores import periods
    from stores.models import Organisation, Store, StoreAssignment
    from tests.factories import OrgMembershipFactory, UserFactory

    today = periods.today()
    yesterday = periods.yesterday()
    with connection.cursor() as cursor:
        rows = generate(cursor, stores=options.stores, first=dt.date(today.year - 1, 1, 1), last=yesterday)
        cursor.execute("ANALYZE")
    organisation = Organisation.objects.get(slug="bench")
    stores = list(Store.objects.order_by("pk"))
    services.rollups_rebuild(stores=Store.objects.all())
    lead = UserFactory(username="bench-lead")
    OrgMembershipFactory(user=lead, organisation=organisation, role="lead")
    operator = UserFactory(username="bench-operator")
    StoreAssignment.objects.bulk_create(
        StoreAssignment(user=operator, store=store, role="operator") for store in stores[:FEW]
    )
    print(f"{rows:,} daily rows ({options.stores} stores, {today.year - 1}-01-01 … {yesterday})")

    setup_test_environment()
    clients = {"lead": Client(), "operator": Client()}
    clients["lead"].force_login(lead)
    clients["operator"].force_login(operator)
    few = "&".join(f"store={store.slug}" for store in stores[:FEW])
    pages = {
        f"dashboard, {FEW} stores": ("operator", "/dashboard/"),
        f"dashboard, {options.stores} stores": ("lead", "/dashboard/"),
        f"weekly report, {FEW} stores": ("lead", f"/reports/weekly/?{few}"),
        f"weekly report, {options.stores} stores": ("lead", "/reports/weekly/"),
    }
    without = measure_pages(pages, clients, options.repeat, CaptureQueriesContext, connection)

    year = today.year + 1
    days = financial_year_days(year=year)
    baseline = write_only_baseline(stores, days, SalesTarget, PlanDay)
    started = time.perf_counter()
    targets_set(orders=[PlanOrder(store, Decimal("3650000.00")) for store in stores], year=year, today=today)
    planned = time.perf_counter() - started
    print(
        f"planning {len(stores)} stores for {year} ({len(stores) * len(days):,} days): {planned:.2f} s, "
        f"{planned / baseline:.1f}× writing the same rows with bulk_create alone ({baseline:.2f} s); "
        "goal < 10 s"
    )
    # This year too, so that the pages pace against a plan.
    targets_set(
        orders=[PlanOrder(store, Decimal("3650000.00")) for store in stores], year=today.year, today=today
    )

    plan = SalesTarget.objects.get(store=stores[0], year=year)
    overrides, reads = [], []
    for attempt in range(options.repeat + 2):
        started = time.perf_counter()
        selectors.plan_day_states(plan=plan)
        read = time.perf_counter() - started
        plan.refresh_from_db()
        started = time.perf_counter()
        amount = Decimal("400000.00") + attempt * 1000
        plan_override(plan=plan, label=f"{year}-05", amount=amount, reason="bench", today=today)
        took = time.perf_counter() - started
        if attempt >= 2:
            overrides.append(took * 1000)
            reads.append(read * 1000)
    override_ms, read_ms = statistics.median(overrides), statistics.median(reads)
    print(
        f"an override's re-balance (a month of a {len(days)}-day plan, saved): median {override_ms:.1f} ms, "
        f"{override_ms / read_ms:.1f}× reading the plan's days ({read_ms:.1f} ms); goal < 200 ms"
    )

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with_targets = measure_pages(pages, clients, options.repeat, CaptureQueriesContext, connection)
    for name in pages:
        (ms_without, queries_without), (ms_with, queries_with) = without[name], with_targets[name]
        print(
            f"{name}: without targets {ms_without:.0f} ms, {queries_without} queries; with targets "
            f"{ms_with:.0f} ms, {queries_with} queries"
        )


def measure_pages(pages, clients, repeat, capture, connection) -> dict[str, tuple[float, int]]:
    """Each page's median server time over REPEAT visits (after two warm-ups) and its queries."""
    results = {}
    for name, (who, address) in pages.items():
        client = clients[who]
        timings = []
        for round_number in range(repeat + 2):
            started = time.perf_counter()
            response = client.get(address, secure=True)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (address, response.status_code)
            if round_number >= 2:
                timings.append(elapsed)
        with capture(connection) as queries:
            client.get(address, secure=True)
        results[name] = (statistics.median(timings), len(queries))
    return results


def write_only_baseline(stores, days, target_model, day_model) -> float:
    """Seconds to write one plan per store and its days with bulk_create, nothing computed (a
    throwaway year, deleted after)."""
    started = time.perf_counter()
    plans = target_model.objects.bulk_create(
        target_model(store=store, year=2090, first_day=days[0], last_day=days[-1], annual=Decimal("365.00"))
        for store in stores
    )
    day_model.objects.bulk_create(
        (
            day_model(
                plan=plan,
                store_id=plan.store_id,
                date=day,
                target=Decimal("1.00"),
                weight=1,
                source="default",
            )
            for plan in plans
            for day in days
        ),
        batch_size=2000,
    )
    took = time.perf_counter() - started
    target_model.objects.filter(year=2090).delete()
    return took


if __name__ == "__main__":
    main()
