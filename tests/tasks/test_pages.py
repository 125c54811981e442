"""The staff page: today's items by time of day, one-tap ticks as a plain form or with JSON, past
days, the 日报; and the ops lead's template editing."""

import datetime as dt

import pytest
from django.urls import reverse

from stores import periods
from tasks.models import ChecklistItem, ChecklistTemplate, DailyChecklist, DailyReport

pytestmark = pytest.mark.django_db


def item_of(user, title, day=None):
    return ChecklistItem.objects.get(checklist__user=user, checklist__day=day or periods.today(), title=title)


def test_opening_the_page_gives_todays_list_grouped_by_time_of_day(overdue_first, client_for):
    page = client_for(overdue_first.operator).get(reverse("tasks:checklist"))
    html = page.content.decode()
    assert DailyChecklist.objects.filter(user=overdue_first.operator, day=periods.today()).count() == 1
    morning, afternoon, evening = (html.index(title) for title in ("店铺自检", "活动报名", "规则学习"))
    assert morning < afternoon < evening
    first = item_of(overdue_first.operator, "店铺自检")
    assert f'id="item-{first.pk}"' in html
    assert 'class="check-item is-overdue"' in html
    assert html.count("is-overdue") == 1
    assert "tasks/items/" in html and 'name="done" value="1"' in html


def test_a_plain_form_tick_saves_and_returns_to_the_item(every_day, client_for):
    client = client_for(every_day.operator)
    client.get(reverse("tasks:checklist"))
    item = item_of(every_day.operator, "店铺自检")
    response = client.post(reverse("tasks:tick", args=[item.pk]), {"done": "1"})
    assert response.status_code == 302 and response["Location"] == f"/tasks/#item-{item.pk}"
    item.refresh_from_db()
    assert item.done and item.done_by == every_day.operator


def test_the_script_gets_the_item_back_as_json(every_day, client_for):
    client = client_for(every_day.operator)
    client.get(reverse("tasks:checklist"))
    item = item_of(every_day.operator, "库存检查")  # needs a number
    url = reverse("tasks:tick", args=[item.pk])
    refused = client.post(
        url, {"done": "1", "number": "很多", "number_was": ""}, HTTP_ACCEPT="application/json"
    )
    assert refused.status_code == 400 and "很多" in refused.json()["error"]
    saved = client.post(url, {"done": "1", "number": "3", "number_was": ""}, HTTP_ACCEPT="application/json")
    answer = saved.json()
    # A count reads as typed, not "3.00" (issue 16: the journey's 库存检查 came back as 36.00).
    assert answer["ok"] and answer["done"] and 'name="number" value="3"' in answer["html"]
    assert 'name="number_was" value="3"' in answer["html"]
    fraction = client.post(url, {"number": "3.5", "number_was": "3"}, HTTP_ACCEPT="application/json")
    assert 'name="number" value="3.50"' in fraction.json()["html"]


def test_a_refused_plain_tick_says_why_on_the_page(every_day, client_for):
    client = client_for(every_day.operator)
    client.get(reverse("tasks:checklist"))
    item = item_of(every_day.operator, "目标对比")  # needs a note
    page = client.post(reverse("tasks:tick", args=[item.pk]), {"done": "1"}, follow=True).content.decode()
    assert "目标对比" in page and 'class="message error"' in page
    item.refresh_from_db()
    assert not item.done


def test_a_past_day_is_shown_read_only_after_the_grace_period(every_day, client_for, settings):
    settings.TASKS_EDIT_GRACE_DAYS = 1
    old = periods.today() - dt.timedelta(days=2)
    checklist = DailyChecklist.objects.create(
        user=every_day.operator, store=every_day.store_a, role="operator", day=old
    )
    ChecklistItem.objects.create(checklist=checklist, title="旧事项", position=1, done=True)
    page = client_for(every_day.operator).get(reverse("tasks:checklist_day", args=[old.isoformat()]))
    html = page.content.decode()
    assert page.status_code == 200 and "旧事项" in html
    assert 'name="done"' not in html and "report-form" not in html
    # Old days are shown as they were: the page generates no list for them.
    assert not DailyChecklist.objects.filter(user=every_day.operator, day=old - dt.timedelta(days=1)).exists()


def test_yesterday_can_still_be_ticked_and_tomorrow_is_not_there(every_day, client_for):
    client = client_for(every_day.operator)
    yesterday = periods.yesterday()
    html = client.get(reverse("tasks:checklist_day", args=[yesterday.isoformat()])).content.decode()
    assert 'name="done" value="1"' in html  # generated on demand, still within the grace period
    tomorrow = periods.today() + dt.timedelta(days=1)
    assert client.get(reverse("tasks:checklist_day", args=[tomorrow.isoformat()])).status_code == 404
    assert client.get("/tasks/2025-13-45/").status_code == 404


def test_the_daily_report_is_submitted_and_refused_when_empty(every_day, client_for):
    client = client_for(every_day.operator)
    url = reverse("tasks:report_submit", args=[periods.today().isoformat()])
    refused = client.post(url, {"done_today": "", "problems": "", "plan_tomorrow": ""})
    assert refused.status_code == 400 and 'class="error"' in refused.content.decode()
    response = client.post(url, {"done_today": "完成数据登记", "problems": "", "plan_tomorrow": "报名活动"})
    assert response.status_code == 302
    assert DailyReport.objects.get(user=every_day.operator, day=periods.today()).plan_tomorrow == "报名活动"


def test_someone_without_a_store_role_writes_no_report(personas, client_for):
    url = reverse("tasks:report_submit", args=[periods.today().isoformat()])
    response = client_for(personas.lead).post(url, {"done_today": "x", "plan_tomorrow": "y"})
    assert response.status_code == 404


def test_the_lead_edits_a_template_and_only_later_lists_follow(every_day, client_for):
    operator = ChecklistTemplate.objects.get(organisation=every_day.acme, role="operator", store=None)
    client_for(every_day.operator).get(reverse("tasks:checklist"))  # today's list exists already
    client = client_for(every_day.lead)
    assert client.get(reverse("tasks:template_edit", args=[operator.pk])).status_code == 200
    response = client.post(
        reverse("tasks:template_item_add", args=[operator.pk]),
        {"new-title": "直播复盘", "new-time_of_day": "evening", "new-due_time": "21:30", "new-needs": "note"},
    )
    assert response.status_code == 302
    added = operator.items.get(title="直播复盘")
    assert (added.due_time, added.needs, added.position) == (dt.time(21, 30), "note", 12)
    assert not ChecklistItem.objects.filter(title="直播复盘").exists()

    refused = client.post(reverse("tasks:template_item_add", args=[operator.pk]), {"new-title": ""})
    assert refused.status_code == 400

    first = operator.items.get(position=1)
    client.post(reverse("tasks:template_item_move", args=[operator.pk, first.pk]), {"direction": "down"})
    first.refresh_from_db()
    assert first.position == 2


def test_the_lead_creates_a_stores_own_list_from_the_shared_one(every_day, client_for):
    response = client_for(every_day.lead).post(
        reverse("tasks:template_list"), {"role": "operator", "store": every_day.store_b.pk}
    )
    own = ChecklistTemplate.objects.get(store=every_day.store_b, role="operator")
    assert response.status_code == 302 and own.items.count() == 11
