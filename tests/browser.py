"""Real-browser tests: Debian's Chromium driven by Playwright (never a downloaded browser)."""

import os
import shutil

import pytest
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser_page(live_server, monkeypatch):
    """A fresh page in headless Chromium, and the live server's address."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs {CHROMIUM} (Debian package chromium)")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 800})
        yield page, live_server.url
        browser.close()
        # ORM calls made while Playwright's loop runs get a connection of their own context:
        # close it here, or the test database cannot be dropped at the end.
        connections.close_all()


def log_in(page, base_url: str, username: str, password: str = "pw-for-tests-1") -> None:
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
