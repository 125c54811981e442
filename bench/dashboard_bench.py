"""Dashboard benchmark (issue: the morning dashboard and alerts).

    .venv/bin/python bench/dashboard_bench.py [--stores 20] [--years 3] [--repeat 30]

On a throwaway PostgreSQL database (PG_URL) with STORES stores × YEARS years of daily metrics,
rolled up and with yesterday's alerts evaluated, prints the median server time of the ops lead's
dashboard (`/`, through Django's test client) and of the login page measured in the same run,
their ratio (goal ≤ 3×, and the dashboard < 150 ms), the first visit after a change (nothing kept,
every card computed and rendered), then the dashboard again with 1 year of history (goal: equal
within noise).
"""

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from rollup_bench import generate, median_ms, production_like_database

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stores", type=int, default=20)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=30)
    options = parser.parse_args()
    with production_like_database("opsdesk_dashboard_bench", redis_url=None):
        run(options)


def run(options) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsdesk.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from reports import services
    from stores import periods
    from stores.models import DailyMetric, Organisation, Store
    from tests.factories import OrgMembershipFactory, UserFactory

    yesterday = periods.yesterday()
    first = dt.date(yesterday.year - options.years, yesterday.month, yesterday.day) + dt.timedelta(days=1)
    with connection.cursor() as cursor:
        rows = generate(cursor, stores=options.stores, first=first, last=yesterday)
        cursor.execute("ANALYZE")
    stores = list(Store.objects.all())
    services.rollups_rebuild(stores=Store.objects.all())
    services.alerts_evaluate(stores=stores, day=yesterday)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after so many new rows
    print(f"{rows:,} daily rows ({options.stores} stores, {first} … {yesterday})")

    setup_test_environment()
    lead = UserFactory(username="bench-lead")
    OrgMembershipFactory(user=lead, organisation=Organisation.objects.get(slug="bench"), role="lead")
    anonymous, client = Client(), Client()
    client.force_login(lead)
    login = median_ms(anonymous, "/login/", {}, options.repeat)
    board = median_ms(client, "/", {}, options.repeat)
    # The first visit after a change (the night's rollups, a correction) renders afresh.
    first_visit = median_ms(client, "/", {}, options.repeat, before=cache.clear)
    print(f"login page: median {login:.1f} ms")
    print(
        f"dashboard, {options.stores} stores, {options.years} years: median {board:.1f} ms, "
        f"{board / login:.1f}× the login page (goals: ≤ 3×, < 150 ms)"
    )
    print(f"dashboard, first visit after a change (nothing kept): median {first_visit:.1f} ms")

    DailyMetric.objects.filter(date__lt=yesterday - dt.timedelta(days=365)).delete()
    services.rollups_rebuild(stores=Store.objects.all())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    short = median_ms(client, "/", {}, options.repeat)
    print(
        f"dashboard, {options.stores} stores, 1 year: median {short:.1f} ms "
        f"(vs {board:.1f} ms; goal: equal within noise)"
    )


if __name__ == "__main__":
    main()
