"""Dashboard benchmark (issue 11: a dashboard that is simple to change).

    .venv/bin/python bench/dashboard_bench.py [--stores 20] [--years 3] [--repeat 40]
                                              [--users 50] [--seconds 60] [--think 5]

On a throwaway PostgreSQL database (PG_URL) with STORES stores × YEARS years of daily metrics,
rolled up, with yesterday's alerts evaluated and a checklist for one operator per store, prints
(each through Django's test client, median of REPEAT requests, measured in the same run):
- the login page, the baseline;
- the ops lead's dashboard on a first visit with nothing kept (the cache cleared before each)
  and on the visit after it (goal for the first visit: ≤ 20× the login page), and the number of
  queries of a visit (goal: the same for 1 store and for STORES, whatever the history);
- the dashboard again with 1 year of history (goal: equal within noise);
- under load: gunicorn as docker-compose runs it (sync workers, WEB_CONCURRENCY=3 by default)
  and USERS logged-in users, each opening the dashboard, reading it for about THINK seconds
  (uniformly 0.5–1.5 × THINK) and opening it again, for SECONDS: the time each user waited,
  p50 / p95 / max (goal: p95 < 300 ms).
"""

import argparse
import datetime as dt
import http.client
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from rollup_bench import generate, production_like_database

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-password-1"
PORT = 8731


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stores", type=int, default=20)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--think", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 3)))
    options = parser.parse_args()
    with production_like_database("opsdesk_dashboard_bench", redis_url=None) as environment:
        run(options, environment)


def run(options, environment: dict) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsdesk.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from reports import services
    from stores import periods
    from stores.models import DailyMetric, Organisation, Store, StoreAssignment
    from tasks.services import checklist_generate, checklist_templates_seed
    from tests.factories import OrgMembershipFactory, UserFactory

    yesterday = periods.yesterday()
    first = dt.date(yesterday.year - options.years, yesterday.month, yesterday.day) + dt.timedelta(days=1)
    with connection.cursor() as cursor:
        rows = generate(cursor, stores=options.stores, first=first, last=yesterday)
        cursor.execute("ANALYZE")
    organisation = Organisation.objects.get(slug="bench")
    stores = list(Store.objects.all())
    services.rollups_rebuild(stores=Store.objects.all())
    services.alerts_evaluate(stores=stores, day=yesterday)
    # The routine: one operator per store with yesterday's and today's lists (the SQL above made
    # the organisation without its default checklists).
    checklist_templates_seed(organisation=organisation)
    for store in stores:
        operator = UserFactory(username=f"bench-operator-{store.pk}")
        StoreAssignment.objects.create(user=operator, store=store, role="operator")
    for day in (yesterday, periods.today()):
        checklist_generate(day=day, organisation=organisation)
    lead = UserFactory(username="bench-lead", password=PASSWORD)
    OrgMembershipFactory(user=lead, organisation=organisation, role="lead")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after so many new rows
    print(f"{rows:,} daily rows ({options.stores} stores, {first} … {yesterday})")

    setup_test_environment()
    anonymous, client = Client(), Client()
    client.force_login(lead)
    # Interleaved, so that the page and its baseline see the same machine: a first visit (the
    # cache cleared before it), the visit after it, the login page; medians of each.
    login, first_visit, second_visit = interleaved_medians(
        [
            lambda: anonymous.get("/login/", secure=True),
            lambda: client.get("/", secure=True),
            lambda: client.get("/", secure=True),
        ],
        untimed=[None, cache.clear, None],
        repeat=options.repeat,
    )
    with CaptureQueriesContext(connection) as queries:
        client.get("/", secure=True)
    print(f"login page: median {login:.1f} ms")
    print(
        f"dashboard, {options.stores} stores, {options.years} years, first visit (nothing kept): "
        f"median {first_visit:.1f} ms, {first_visit / login:.1f}× the login page (goal ≤ 20×)"
    )
    print(
        f"dashboard, the visit after it: median {second_visit:.1f} ms, {second_visit / login:.1f}× "
        f"the login page; {len(queries)} queries a visit"
    )

    DailyMetric.objects.filter(date__lt=yesterday - dt.timedelta(days=365)).delete()
    services.rollups_rebuild(stores=Store.objects.all())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    (short,) = interleaved_medians(
        [lambda: client.get("/", secure=True)], untimed=[cache.clear], repeat=options.repeat
    )
    print(
        f"dashboard, {options.stores} stores, 1 year: median {short:.1f} ms "
        f"(vs {first_visit:.1f} ms with {options.years}; goal: equal within noise)"
    )
    connection.close()
    under_load(options, environment)


def interleaved_medians(requests, *, untimed, repeat: int) -> list[float]:
    """Median ms of each request, taken in turn REPEAT times (after two warm-up rounds);
    `untimed[i]`, when given, runs just before request i, outside its timing."""
    timings: list[list[float]] = [[] for _ in requests]
    for round_number in range(repeat + 2):
        for index, request in enumerate(requests):
            if untimed[index]:
                untimed[index]()
            started = time.perf_counter()
            response = request()
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, response.status_code
            if round_number >= 2:
                timings[index].append(elapsed)
    return [statistics.median(values) for values in timings]


def under_load(options, environment: dict) -> None:
    """USERS users on a real gunicorn, each logged in with their own session."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "opsdesk.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(options.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**environment, "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false"},
    )
    try:
        _wait_for(PORT)
        sessions = [_logged_in() for _ in range(options.users)]
        waits: list[float] = []
        stop = time.monotonic() + options.seconds
        threads = [
            threading.Thread(target=_user, args=(cookie, stop, options.think, waits)) for cookie in sessions
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait()
    waits.sort()
    p95 = waits[int(len(waits) * 0.95) - 1]
    print(
        f"under load, {options.users} users reading for ~{options.think:g} s between visits, "
        f"{options.workers} gunicorn workers, {options.seconds} s: {len(waits)} visits, waited "
        f"p50 {statistics.median(waits):.0f} ms, p95 {p95:.0f} ms, max {waits[-1]:.0f} ms (goal p95 < 300 ms)"
    )


def _wait_for(port: int) -> None:
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz/", headers={"X-Forwarded-Proto": "https"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def _logged_in() -> str:
    """A session cookie of the bench lead, got through the login form as a browser does."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    headers = {"X-Forwarded-Proto": "https"}
    connection.request("GET", "/login/", headers=headers)
    response = connection.getresponse()
    page = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = f"username=bench-lead&password={PASSWORD}&csrfmiddlewaretoken={token}"
    connection.request(
        "POST",
        "/login/",
        body=body,
        headers={
            **headers,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": f"https://127.0.0.1:{PORT}/login/",
        },
    )
    response = connection.getresponse()
    response.read()
    assert response.status == 302, response.status
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie")).group(1)
    return f"csrftoken={csrf_cookie}; sessionid={session}"


def _user(cookie: str, stop: float, think: float, waits: list[float]) -> None:
    time.sleep(random.uniform(0, think))  # users do not all arrive at once
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    while time.monotonic() < stop:
        started = time.perf_counter()
        connection.request("GET", "/", headers={"Cookie": cookie, "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        response.read()
        assert response.status == 200, response.status
        waits.append((time.perf_counter() - started) * 1000)
        time.sleep(random.uniform(0.5, 1.5) * think)


if __name__ == "__main__":
    main()
