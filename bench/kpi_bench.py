"""KPI scorecards benchmark (issue 14: KPI scorecards).

    .venv/bin/python bench/kpi_bench.py [--stores 500] [--people 2000] [--repeat 3]

On a throwaway PostgreSQL database (PG_URL) with STORES stores × this month and the last of daily
numbers, rolled up, every store planned, and PEOPLE staff (each in one or two stores, the five staff
roles in turn, with a checklist and a 日报 on some days), prints:
- a month's scores of everyone (`kpi.jobs.kpi_scores_for`, the job one worker runs per
  organisation), first time and again, best of REPEAT, against reading their inputs alone
  (`kpi.scorecard_inputs.inputs_get`) — goal < 10 s;
- the team table page for 200 people and for all PEOPLE: its queries — goal: a fixed number.
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
ROLES = ("operator", "promotion", "designer", "customer_service", "content")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stores", type=int, default=500)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    with production_like_database("opsdesk_kpi_bench", redis_url=None):
        run(options)


def run(options) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsdesk.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from kpi import jobs
    from kpi.scorecard_inputs import holders_get, inputs_get
    from kpi.services.kpi_templates import kpi_templates_seed
    from kpi.services.plans import PlanOrder, targets_set
    from kpi.services.scores import period_of
    from reports import services
    from stores import periods
    from stores.models import Organisation, OrgMembership, Store, StoreAssignment

    today = periods.today()
    month = periods.previous_period(period_of("month", today))  # the last whole month
    first = month.start
    with connection.cursor() as cursor:
        rows = generate(cursor, stores=options.stores, first=first, last=today - dt.timedelta(days=1))
        cursor.execute("ANALYZE")
    organisation = Organisation.objects.get(slug="bench")
    stores = list(Store.objects.order_by("pk"))
    services.rollups_rebuild(stores=Store.objects.all())
    targets_set(
        orders=[PlanOrder(store, Decimal("3650000.00")) for store in stores], year=today.year, today=today
    )
    kpi_templates_seed(organisation=organisation)
    user_model = get_user_model()
    people = user_model.objects.bulk_create(
        user_model(username=f"bench-{number:05d}") for number in range(options.people)
    )
    assignments = []
    for number, person in enumerate(people):
        role = ROLES[number % len(ROLES)]
        held = {stores[number % len(stores)].pk, stores[(number * 7) % len(stores)].pk}
        assignments += [StoreAssignment(user=person, store_id=store_id, role=role) for store_id in held]
    StoreAssignment.objects.bulk_create(assignments)
    lead = user_model.objects.create(username="bench-lead")
    OrgMembership.objects.create(user=lead, organisation=organisation, role="lead")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{rows:,} daily rows ({options.stores} stores, {first} … {today - dt.timedelta(days=1)}), "
        f"{options.people:,} people in {len(assignments):,} store roles"
    )

    reads, first_runs, again = [], [], []
    for attempt in range(options.repeat):
        started = time.perf_counter()
        holders = holders_get(organisation=organisation)
        inputs_get(
            organisation=organisation, holders=holders, period=month, as_of=today - dt.timedelta(days=1)
        )
        reads.append(time.perf_counter() - started)
        if attempt == 0:
            started = time.perf_counter()
            scored = jobs.kpi_scores_for(organisation.pk, "month", month.start.isoformat())
            first_runs.append(time.perf_counter() - started)
        started = time.perf_counter()
        jobs.kpi_scores_for(organisation.pk, "month", month.start.isoformat())
        again.append(time.perf_counter() - started)
    # Every score moves: a correction of every store's first day.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE stores_dailymetric SET gmv = gmv * 1.1, uv = uv + 100 WHERE date = %s", [month.start]
        )
    services.rollups_rebuild(stores=Store.objects.all())
    started = time.perf_counter()
    jobs.kpi_scores_for(organisation.pk, "month", month.start.isoformat())
    moved = time.perf_counter() - started
    read, fresh, repeated = min(reads), first_runs[0], min(again)
    print(
        f"a month's scores of {scored:,} people and roles: first {fresh:.2f} s; again with nothing moved "
        f"{repeated:.2f} s (best of {options.repeat}, median {statistics.median(again):.2f} s); again after "
        f"every store's numbers moved {moved:.2f} s; reading the inputs alone {read:.2f} s "
        f"({fresh / read:.1f}× and {moved / read:.1f}× the reads); goal < 10 s"
    )
    team_table(options, organisation, month, lead)


def team_table(options, organisation, month, lead) -> None:
    """The team table's queries for a few people and for everyone (once its page exists)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import NoReverseMatch, reverse

    try:
        address = reverse("kpi:scores")
    except NoReverseMatch:
        print("team table: no page yet")
        return
    setup_test_environment()
    client = Client()
    client.force_login(lead)
    params = {"kind": "month", "period": month.label}
    for role, label in (("designer", "one role"), ("", "everyone")):
        client.get(address, {**params, "role": role}, secure=True)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address, {**params, "role": role}, secure=True)
        took = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        print(f"team table, {label}: {len(queries)} queries, {took:.0f} ms")


if __name__ == "__main__":
    main()
