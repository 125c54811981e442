"""Pages under the Content-Security-Policy in a real Chromium: none reports a violation, and what
their inline handlers used to do (the entry page's date picker, the import's "undo?") still works
from our static files."""

import datetime as dt

import pytest

from stores import periods
from stores.imports.services import import_batch_create, import_batch_run
from stores.models import ImportBatch
from tests.browser import browser_page, log_in, problems_watched  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = "统计日期,访客数,支付金额\n2026-11-01,1000,4500\n2026-11-02,1100,4700\n".encode()


@pytest.fixture
def watched(browser_page):  # noqa: F811
    """The page, its base address, and what went wrong on it (tests.browser.problems_watched)."""
    page, base_url = browser_page
    return page, base_url, problems_watched(page)


def _violations(page) -> list[str]:
    return page.evaluate("window.cspViolations")


def test_the_pages_of_the_day_report_no_violation(personas, watched):
    page, base_url, problems = watched
    log_in(page, base_url, "lead")
    for path in ("/", "/alerts/", "/tasks/", "/tasks/team/", "/stores/", "/imports/", "/reports/jobs/"):
        page.goto(f"{base_url}{path}")
        assert _violations(page) == [], path
    assert problems == []


def test_the_entry_pages_date_picker_opens_that_day(personas, watched):
    page, base_url, problems = watched
    log_in(page, base_url, "operator")
    page.goto(f"{base_url}/stores/store-a/entry/")
    day = periods.yesterday() - dt.timedelta(days=3)
    page.fill("#day-picker input[name=day]", day.isoformat())
    page.click("#day-picker button[type=submit]")
    page.wait_for_url(f"{base_url}/stores/store-a/entry/{day.isoformat()}/")
    assert _violations(page) == []
    assert problems == []


def test_undoing_an_import_asks_first(personas, watched):
    page, base_url, problems = watched
    batch = import_batch_run(
        batch=import_batch_create(content=CSV, file_name="x.csv", user=personas.lead, store=personas.store_a),
        dry_run=False,
    )
    log_in(page, base_url, "lead")
    page.goto(f"{base_url}/imports/{batch.pk}/")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.click("form[data-confirm] button[type=submit]")
    assert questions == ["确定撤销这次导入？"]  # in Chinese, from the data-confirm attribute
    page.wait_for_timeout(300)
    assert (
        ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.APPLIED
    )  # dismissed: nothing sent

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    with page.expect_navigation():
        page.click("form[data-confirm] button[type=submit]")
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.REVERTED
    assert _violations(page) == []
    assert problems == []


def test_the_admin_reports_no_violation(personas, watched):
    page, base_url, problems = watched
    log_in(page, base_url, "root")
    for path in ("/admin/", "/admin/axes/accessattempt/", "/admin/stores/store/", "/admin/stores/store/add/"):
        page.goto(f"{base_url}{path}")
        assert _violations(page) == [], path
    # django-rq's own pages keep their inline scripts and styles (allowed there alone).
    page.goto(f"{base_url}/admin/django-rq/")
    assert _violations(page) == []
    assert problems == []
