"""Load benchmark (issue 12: when Redis, a worker or the network misbehaves).

    .venv/bin/python bench/load/run.py [--users 50] [--seconds 60] [--think 5] [--stores 20] [--years 3]

A bounded run of the production set-up on this machine, everything of its own and thrown away after:
- a PostgreSQL database (PG_URL, as bench/rollup_bench.py) with STORES stores × YEARS years of daily
  numbers, rolled up, with yesterday's alerts, and today's checklists;
- a Redis (`redis-server` on a free port, no persistence; never the shared one on 6379);
- the two RQ workers, started with the `worker` and `nightly-worker` commands of docker-compose.yml
  (read at run time);
- gunicorn with gunicorn.conf.py (WEB_CONCURRENCY and WEB_THREADS from the environment), its access
  and error logs in files;
- USERS users through locust (headless, in a process of its own: its gevent monkey-patching never
  meets this process's Django; the `bench` extra, installed when missing), one in five an
  ops lead (dashboard, store pages, daily and weekly reports, the weekly .xlsx, alerts, a correction
  of yesterday's GMV through the entry form, which queues its rollups) and the others
  staff with a role in two stores (checklist and its ticks, dashboard, store pages, daily report,
  alerts), each logged in, each reading a page for about THINK seconds, for SECONDS.

Halfway through, the bench's Redis is stopped (terminated) and the load goes on. For each half it
prints requests/s and, per page, the requests, errors (status ≥ 500 or a failed connection), 3xx/4xx, and
client-side and server-side (gunicorn's access log) p50 / p95 / p99; the errors by page and by
exception (gunicorn's error log); then the checklist ticks found in the database against the
successful tick POSTs; then Redis is started again and the bench waits for the follow-up work the
second half's corrections left in the database (docs/jobs.md) to be done by the workers.
Goal: 0 errors, 0 lost or duplicated ticks, client-side p95 < 500 ms, every follow-up job done.
"""

import argparse
import contextlib
import datetime as dt
import importlib.util
import json
import os
import re
import runpy
import shlex
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
import report  # noqa: E402
from rollup_bench import generate, production_like_database  # noqa: E402

PASSWORD = "bench-password-1"
ROLES = ("operator", "promotion", "designer", "customer_service", "content")


RECORDS_SEEN: list[dict] = []  # the run's requests, for the summary of the follow-up work


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--think", type=float, default=5.0)
    parser.add_argument("--stores", type=int, default=20)
    parser.add_argument("--years", type=int, default=3)
    options = parser.parse_args()
    if importlib.util.find_spec("locust") is None:
        project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
        extra = project["optional-dependencies"]["bench"]
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *extra], check=True)
    folder = Path(tempfile.mkdtemp(prefix="opsdesk-load-"))
    with contextlib.ExitStack() as stack:
        redis_port = _free_port()
        redis_server = ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1"]
        no_persistence = ["--save", "", "--appendonly", "no", "--daemonize", "no"]
        redis = _start(stack, [*redis_server, *no_persistence], folder / "redis.log")
        _wait(lambda: _answers(redis_port, b"PING\r\n", b"+PONG"), "redis-server")
        redis_url = f"redis://127.0.0.1:{redis_port}/0"
        environment = stack.enter_context(production_like_database("opsdesk_load_bench", redis_url=redis_url))

        def redis_restart():
            _start(stack, [*redis_server, *no_persistence], folder / "redis-again.log")
            _wait(lambda: _answers(redis_port, b"PING\r\n", b"+PONG"), "redis-server again")

        run(options, environment, stack, redis, folder, redis_restart)
    print(f"\nlogs: {folder}")


def run(options, environment: dict, stack: contextlib.ExitStack, redis, folder: Path, redis_restart) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsdesk.settings")
    import django

    django.setup()
    from tasks.models import ChecklistEvent

    accounts = _organisation(options)

    workers = {}
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    for name in ("worker", "nightly-worker"):
        command = services[name]["command"]
        command = shlex.split(command) if isinstance(command, str) else [str(part) for part in command]
        command = [sys.executable if part == "python" else part for part in command]
        workers[name] = _start(stack, command, folder / f"{name}.log", env=environment)
    port = _free_port()
    gunicorn_settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    web_command = [str(part) for part in services["web"]["command"]]
    assert web_command[0] == "gunicorn", web_command
    access_log, error_log = folder / "access.log", folder / "error.log"
    gunicorn = [sys.executable, "-m", "gunicorn", *web_command[1:], "--bind", f"127.0.0.1:{port}"]
    gunicorn += ["--access-logfile", str(access_log), "--error-logfile", "-"]  # with Django's log (stderr)
    gunicorn += ["--access-logformat", gunicorn_settings["access_log_format"] + " %({x-bench-request}i)s"]
    _start(stack, gunicorn, error_log, env={**environment, "ALLOWED_HOSTS": "127.0.0.1"})
    healthz = b"GET /healthz/ HTTP/1.0\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n\r\n"
    _wait(lambda: _answers(port, healthz, b" 200 "), "gunicorn")
    for account in accounts:
        account.update(_logged_in(port, account["username"]))
    (folder / "accounts.json").write_text(json.dumps(accounts))
    _warm_up(port, accounts)
    leads = sum(1 for account in accounts if account["role"] == "lead")
    load = "/".join(f"{value:.1f}" for value in os.getloadavg())
    overrides = os.environ.get("GUNICORN_CMD_ARGS")  # gunicorn reads them after gunicorn.conf.py
    print(
        f"machine load average (1/5/15 min) before the run: {load} on {os.cpu_count()} cores\n"
        f"{options.users} users ({leads} ops leads, {len(accounts) - leads} staff), {options.seconds} s, "
        f"reading ~{options.think:g} s a page; gunicorn {gunicorn_settings['worker_class']}, "
        f"{gunicorn_settings['workers']} processes × {gunicorn_settings['threads']} threads"
        f"{' + GUNICORN_CMD_ARGS ' + overrides if overrides else ''}; "
        f"workers: {', '.join(' '.join(w.args[2:]) for w in workers.values())}"
    )

    started_file, records_file = folder / "started", folder / "records.json"
    locust = [sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless"]
    locust += ["--only-summary", "--users", str(options.users), "--spawn-rate", str(options.users)]
    locust += [
        "--run-time",
        f"{options.seconds}s",
        "--stop-timeout",
        "10",
        "--host",
        f"http://127.0.0.1:{port}",
    ]
    files = {
        "LOAD_ACCOUNTS": folder / "accounts.json",
        "LOAD_STARTED": started_file,
        "LOAD_RECORDS": records_file,
    }
    env = {
        **os.environ,
        **{name: str(path) for name, path in files.items()},
        "LOAD_THINK": str(options.think),
    }
    locust = _start(stack, locust, folder / "locust.log", env=env)
    _wait(started_file.exists, "locust", timeout=60)
    began = float(started_file.read_text())
    time.sleep(max(0.0, began + options.seconds / 2 - time.time()))
    halfway = {name: worker.poll() for name, worker in workers.items()}
    if redis.poll() is not None:
        print(f"warning: the bench's Redis had already exited (code {redis.returncode}) before halfway")
    redis.terminate()
    redis.wait()
    stopped = time.time()
    error_offset = error_log.stat().st_size
    locust.wait(timeout=options.seconds + 120)
    ended = time.time()
    exited = {name: worker.poll() for name, worker in workers.items()}

    records = json.loads(records_file.read_text()) if records_file.exists() else []
    RECORDS_SEEN[:] = records
    if not records:
        raise SystemExit(f"locust recorded nothing; see {folder / 'locust.log'}")
    server = report.server_times(access_log)
    text = error_log.read_text(errors="replace")
    met, before = [], [r for r in records if r["start"] < stopped]
    after = [r for r in records if r["start"] >= stopped]
    half, end = stopped - began, ended - began
    halves = [
        (f"with Redis (0–{half:.0f} s)", before, half, text[:error_offset]),
        (f"Redis stopped ({half:.0f}–{end:.0f} s)", after, end - half, text[error_offset:]),
    ]
    for title, rows, seconds, log in halves:
        met.append(report.half(title, rows, seconds, server, report.exceptions(log)))
    notes = ChecklistEvent.objects.filter(action="note", value__startswith="load ")
    notes = notes.values_list("value", flat=True)
    met.append(report.ticks(records, Counter(value.removeprefix("load ") for value in notes)))
    for name, worker in workers.items():
        log = (folder / f"{name}.log").read_text(errors="replace").strip().splitlines() or ["—"]
        states = f"at halfway {_state(halfway[name])}, at the end {_state(exited[name])}"
        print(f"{name} ({' '.join(worker.args[2:])}): {states}; its last line: {log[-1]}")
    met.append(_follow_up_after_redis_returns(redis_restart))
    load = "/".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine load average (1/5/15 min) after the run: {load}")
    goal = f"0 errors, 0 lost ticks, p95 < {report.GOAL_P95_MS} ms"
    print(f"\ngoal ({goal}): {'met' if all(met) else 'NOT met'}")


def _follow_up_after_redis_returns(redis_restart, timeout: float = 180) -> bool:
    """Redis back on its port: the follow-up work the second half's corrections left waiting in
    the database (their rollups, then the totals and alerts) done by the workers (docs/jobs.md)."""
    from opsdesk.models import BackgroundJob
    from reports.models import RollupRun

    unfinished = BackgroundJob.objects.filter(status__in=["waiting", "running"])
    waiting = unfinished.count()
    entries = [r for r in RECORDS_SEEN if report.page_of(r["path"]) == "entry (POST)" and r["status"] == 302]
    redis_restart()
    returned = time.monotonic()
    while (unfinished.exists() or RollupRun.objects.filter(status__in=RollupRun.UNFINISHED).exists()) and (
        time.monotonic() - returned < timeout
    ):
        time.sleep(0.5)
    took = time.monotonic() - returned
    left = unfinished.count() + RollupRun.objects.filter(status__in=RollupRun.UNFINISHED).count()
    failed = BackgroundJob.objects.filter(status="failed").count()
    outcome = "all done" if not left else f"{left} still unfinished"
    print(
        f"\nfollow-up work: {len(entries)} corrections saved; {waiting} jobs waiting in the database"
        f" when Redis came back; {outcome} {took:.0f} s later, {failed} failed"
    )
    return not left and not failed


def _organisation(options) -> list[dict]:
    """The bench organisation: its stores' history, rollups and alerts, one ops lead in five users and
    the others staff with a role in two stores and today's checklists. The accounts for locust."""
    from django.db import connection

    from reports import services
    from stores import periods
    from stores.models import Organisation, Store, StoreAssignment
    from tasks.models import ChecklistItem, Needs
    from tasks.services import checklist_generate, checklist_templates_seed
    from tests.factories import OrgMembershipFactory, UserFactory

    yesterday = periods.yesterday()
    first = dt.date(yesterday.year - options.years, yesterday.month, yesterday.day) + dt.timedelta(days=1)
    with connection.cursor() as cursor:
        generate(cursor, stores=options.stores, first=first, last=yesterday)
    organisation = Organisation.objects.get(slug="bench")
    stores = list(Store.objects.order_by("slug"))
    services.rollups_rebuild(stores=Store.objects.all())
    services.alerts_evaluate(stores=stores, day=yesterday)
    checklist_templates_seed(organisation=organisation)
    accounts = []
    leads = max(1, options.users // 5)
    for number in range(options.users):
        if number < leads:
            user = UserFactory(username=f"load-lead-{number}", password=PASSWORD)
            OrgMembershipFactory(user=user, organisation=organisation, role="lead")
            accounts.append(
                {
                    "role": "lead",
                    "username": user.username,
                    "stores": [s.slug for s in stores],
                    "yesterday": yesterday.isoformat(),
                }
            )
            continue
        user = UserFactory(username=f"load-staff-{number}", password=PASSWORD)
        own = [stores[number % len(stores)], stores[(number + 1) % len(stores)]]
        for store in own:
            StoreAssignment.objects.create(user=user, store=store, role=ROLES[number % len(ROLES)])
        accounts.append({"role": "staff", "username": user.username, "stores": [s.slug for s in own]})
    checklist_generate(day=periods.today(), organisation=organisation)
    tickable = ChecklistItem.objects.filter(checklist__day=periods.today(), needs=Needs.NOTHING)
    for account in accounts:
        mine = tickable.filter(checklist__user__username=account["username"])
        account["items"] = list(mine.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    if not any(account["items"] for account in accounts):
        print("note: today is a rest day for every role given a list: no checklist items to tick")
    connection.close()  # the orchestrator does not hold a connection through the run
    return accounts


def _logged_in(port: int, username: str) -> dict:
    """A session through the login form, as a browser gets one: its session and CSRF cookies."""
    import requests

    site, headers = f"http://127.0.0.1:{port}", {"X-Forwarded-Proto": "https"}
    page = requests.get(f"{site}/login/", headers=headers, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    csrf = page.cookies["csrftoken"]
    answer = requests.post(
        f"{site}/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={**headers, "Cookie": f"csrftoken={csrf}", "Referer": f"https://127.0.0.1:{port}/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, (username, answer.status_code)
    return {"csrf": answer.cookies.get("csrftoken", csrf), "session": answer.cookies["sessionid"]}


def _warm_up(port: int, accounts: list[dict]) -> None:
    """Each page a few times before anything is timed, so that both processes have compiled its
    templates and imported what it needs (openpyxl…): the figures are those of running processes."""
    import requests

    lead = next(account for account in accounts if account["role"] == "lead")
    staff = next((account for account in accounts if account["role"] == "staff"), lead)
    lead_pages = [
        "/",
        "/reports/daily/",
        "/reports/weekly/",
        "/reports/weekly/export/?format=xlsx",
        "/alerts/",
    ]
    lead_pages += [f"/dashboard/{lead['stores'][0]}/", f"/stores/{lead['stores'][0]}/"]
    for account, paths in ((lead, lead_pages), (staff, ["/dashboard/", "/tasks/"])):
        cookie = f"csrftoken={account['csrf']}; sessionid={account['session']}"
        for path in paths:
            for _ in range(6):  # a new connection each: most likely both processes get some
                headers = {"X-Forwarded-Proto": "https", "Cookie": cookie}
                answer = requests.get(f"http://127.0.0.1:{port}{path}", headers=headers, timeout=60)
                assert answer.status_code == 200, (path, answer.status_code)


def _state(code: int | None) -> str:
    return "running" if code is None else f"exited with code {code}"


def _start(stack: contextlib.ExitStack, command: list[str], log: Path, env: dict | None = None):
    """A process of the bench, its output in `log`, terminated (then killed) on the way out."""
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)

    def stop():
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    stack.callback(stop)
    return process


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port: int, request: bytes, expected: bytes) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
            connection.sendall(request)
            return expected in connection.recv(64)
    except OSError:
        return False


def _wait(ready, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not start")
        time.sleep(0.2)


if __name__ == "__main__":
    main()
