"""The users' journeys (issue 16): Debian's Chromium, headless, against a live server on loopback
with PostgreSQL, a Redis of the test's own and a real `rqworker`, so jobs run as in production.

Each journey runs at 1366 × 900 and at 375 × 812 (the `journey` fixture is parametrised), on the
demo's data (`seed_demo --stores 3 --years 1`, seeded with jobs in this process before the worker
starts). It saves full-page screenshots into one folder per run, printed at the end of the run
(JOURNEY_SHOTS, default /tmp/opsdesk-journeys/<time>/). It fails on any JavaScript console error or
warning, any failed request, any CSP violation, and, on the phone, any page wider than the screen.

Outside CI, without Chromium, PostgreSQL or redis-server, the journeys skip and say why; in CI a
missing part fails.
"""

import datetime as dt
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.test import override_settings

from tests.browser import CHROMIUM, CHROMIUM_ARGS, problems_watched
from tests.workers import worker_start

VIEWPORTS = {"desktop": (1366, 900), "phone": (375, 812)}
PASSWORD = "demo12345"  # the demo's (stores.demo.PASSWORD)
SHOTS_ROOT = Path(
    os.environ.get("JOURNEY_SHOTS") or f"/tmp/opsdesk-journeys/{dt.datetime.now():%Y%m%d-%H%M%S}"
)
WORKER = """
import django
django.setup()
from django.core.management import call_command
call_command("rqworker", "default", "nightly", "--worker-class", "opsdesk.worker.Worker")
"""
_shots_taken: list[Path] = []


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI runs the journeys: {reason}")
    pytest.skip(reason)


def pytest_terminal_summary(terminalreporter):
    if _shots_taken:
        terminalreporter.write_sep("-", f"journey screenshots: {len(_shots_taken)} in {SHOTS_ROOT}")


@pytest.fixture
def journey_parts():
    """Skip (or, in CI, fail) when a real part is missing."""
    if not shutil.which(CHROMIUM):
        _missing(f"the journeys need {CHROMIUM} (apt-get install chromium)")
    if connection.vendor != "postgresql":
        pytest.skip(
            "the journeys run on PostgreSQL: the rqworker is another process, and the SQLite test "
            "database lives in this one"
        )
    if shutil.which("redis-server") is None:
        _missing("the journeys need redis-server")


@pytest.fixture
def demo_world(journey_parts, transactional_db, jobs_in_process):
    """The demo organisation, seeded with every job run here (as `make demo` does)."""
    with override_settings(DEBUG=True):
        call_command("seed_demo", "--stores", "3", "--years", "1", stdout=open(os.devnull, "w"))
    yield


@pytest.fixture
def worker(demo_world, own_redis):
    """A real `rqworker` on the queues of the test's own Redis, reaching the test database."""
    process = worker_start(WORKER, redis_url=own_redis.url, JOB_HEARTBEAT_SECONDS="1")
    yield process
    process.terminate()
    try:
        _out, log = process.communicate(timeout=30)
    except Exception:  # noqa: BLE001 - a worker that will not stop is killed
        process.kill()
        _out, log = process.communicate()
    print(log.decode()[-3000:])


@dataclass
class Journey:
    """One browser page at one viewport, with what went wrong on it so far."""

    page: object
    base_url: str
    viewport: str
    folder: Path
    problems: list[str] = field(default_factory=list)
    shots: int = 0

    @property
    def phone(self) -> bool:
        return self.viewport == "phone"

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def log_in(self, username: str, password: str = PASSWORD) -> None:
        self.page.context.clear_cookies()
        self.page.goto(self.url("/login/"))
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("main form button[type=submit]")
        self.page.wait_for_url(lambda url: "/login/" not in url)
        self.check()

    def visit(self, path: str) -> None:
        self.page.goto(self.url(path))
        self.check()

    def check(self) -> None:
        """What each page must be: no page wider than a phone's screen."""
        self.page.wait_for_load_state("load")
        if self.phone:
            width = self.page.evaluate("document.documentElement.scrollWidth")
            if width > VIEWPORTS["phone"][0]:
                self.problems.append(f"{self.page.url} is {width} px wide on a 375 px phone")

    def shot(self, name: str) -> Path:
        self.check()
        self.shots += 1
        path = self.folder / f"{self.viewport}-{self.shots:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        _shots_taken.append(path)
        return path

    def text(self, selector: str = "main") -> str:
        return self.page.inner_text(selector)

    def assert_clean(self) -> None:
        violations = self.page.evaluate("window.cspViolations || []")
        assert not (self.problems + violations), "\n".join(self.problems + violations)


@pytest.fixture(params=list(VIEWPORTS))
def journey(request, worker, live_server, monkeypatch):
    """A logged-out page in Chromium at the parametrised viewport; at the end of the test, nothing
    may have gone wrong on it."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in this thread
    width, height = VIEWPORTS[request.param]
    folder = SHOTS_ROOT / re.sub(r"[^\w-]+", "-", request.node.originalname)
    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": width, "height": height},
            accept_downloads=True,
            is_mobile=request.param == "phone",
            has_touch=request.param == "phone",
        )
        page = context.new_page()
        walk = Journey(page=page, base_url=live_server.url, viewport=request.param, folder=folder)
        walk.problems = problems_watched(page)
        try:
            yield walk
            walk.assert_clean()
        finally:
            browser.close()
            connections.close_all()


def wait_for(condition, seconds: float = 60, every: float = 0.25):
    """Until `condition()` is true (a worker's job, a page's update), or fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s")
        time.sleep(every)


@pytest.fixture
def english(journey):
    """The journey in English (the language cookie, as the switch sets it)."""
    journey.page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": journey.base_url}]
    )
    return journey
