"""Done when: on a 375 px phone a staff member ticks the morning and submits a 日报, and the ops
lead sees it on the team view."""

import pytest

from stores import periods
from tasks.models import ChecklistItem, DailyReport
from tests.browser import browser_page, log_in  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tick_the_morning_and_submit_a_daily_report_then_the_lead_sees_it(every_day, browser_page):  # noqa: F811
    page, base_url = browser_page
    log_in(page, base_url, "operator")
    page.goto(f"{base_url}/tasks/")
    morning = list(
        ChecklistItem.objects.filter(
            checklist__user=every_day.operator, checklist__day=periods.today(), time_of_day="morning"
        ).order_by("position")
    )
    assert len(morning) == 5
    for item in morning:
        selector = f"#item-{item.pk}"
        if item.needs == "note":
            page.fill(f"{selector} input[name=note]", f"{item.title}：正常")
        page.click(f"{selector} button.tick")
        page.wait_for_selector(f"{selector}.is-done")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert "5" in page.text_content("[data-progress]")

    page.fill("textarea[name=done_today]", "上午事项全部完成")
    page.fill("textarea[name=plan_tomorrow]", "跟进活动报名")
    page.click("form.report-form button[type=submit]")
    page.wait_for_selector(".message.success")
    assert DailyReport.objects.get(user=every_day.operator).done_today == "上午事项全部完成"
    assert ChecklistItem.objects.filter(pk__in=[item.pk for item in morning], done=True).count() == 5
    assert ChecklistItem.objects.get(pk=morning[2].pk).note == "目标对比：正常"

    page.context.clear_cookies()
    log_in(page, base_url, "lead")
    page.goto(f"{base_url}/tasks/team/")
    page.click("details.report-card summary")
    assert page.is_visible("text=上午事项全部完成")
    assert page.locator("table.matrix td.cell-done").count() >= 5
