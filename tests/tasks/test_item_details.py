"""Item details of another app (tasks.item_details) under a checklist item's title: on one's own
checklist (the page and a tick's JSON answer) and under the team's day matrix, from one
registration made here (a fake of what kpi will register: the store's daily target and
yesterday's actual on the 目标对比 item)."""

import copy
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stores import periods
from stores.models import Store
from tasks import defaults, item_details
from tasks.item_details import TARGET_COMPARISON, ItemDetail, titled
from tasks.models import ChecklistItem
from tests.factories import StoreAssignmentFactory, StoreFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "tests/fake_target_detail.html"


class FakeTarget:
    calls = 0

    @classmethod
    def compute(cls, checklists) -> dict:
        cls.calls += 1
        # One query whatever the number of checklists, as a detail must.
        names = dict(Store.objects.filter(pk__in={c.store_id for c in checklists}).values_list("pk", "name"))
        return {
            c.pk: {"store": names[c.store_id], "target": "¥3,000.00", "actual": "¥2,500.00"}
            for c in checklists
        }


FAKE = ItemDetail(
    code="fake_target", applies_to=titled(TARGET_COMPARISON), compute=FakeTarget.compute, template=TEMPLATE
)
SHOWN = (
    '<p class="fake-target">{{ item.title }} {{ figures.store }}: '
    "{{ figures.target }} / {{ figures.actual }}</p>"
)


def templates_with(settings, templates: dict[str, str]) -> None:
    """The project's templates, and the test's own ones (a locmem loader first)."""
    engine = copy.deepcopy(settings.TEMPLATES[0])
    engine["APP_DIRS"] = False
    engine["OPTIONS"]["loaders"] = [
        ("django.template.loaders.locmem.Loader", templates),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    settings.TEMPLATES = [engine]


@pytest.fixture
def no_details(monkeypatch):
    """No detail registered (those of other apps, such as kpi's, set aside for the test)."""
    monkeypatch.setattr(item_details, "_registry", {})


@pytest.fixture
def fake_target(no_details, settings):
    templates_with(settings, {TEMPLATE: SHOWN})
    FakeTarget.calls = 0
    item_details.item_detail_register(FAKE)
    item_details.item_detail_register(FAKE)  # twice is harmless
    yield FAKE
    item_details.item_detail_unregister(FAKE.code)
    assert item_details.item_details_all() == []


def _item_html(page: str, item: ChecklistItem) -> str:
    """The page's <li> of the item."""
    start = page.index(f'id="item-{item.pk}"')
    return page[start : page.index("</li>", start)]


def _item(user, title: str) -> ChecklistItem:
    return ChecklistItem.objects.get(checklist__user=user, checklist__day=periods.today(), title=title)


def test_the_default_operator_list_has_the_item(every_day):
    assert TARGET_COMPARISON in [item.title for item in defaults.OPERATOR.items]


def test_the_item_shows_its_detail_under_its_title(every_day, fake_target, client_for):
    client = client_for(every_day.operator)
    page = client.get(reverse("tasks:checklist")).content.decode()
    target = _item(every_day.operator, TARGET_COMPARISON)
    html = _item_html(page, target)
    shown = '<p class="fake-target">目标对比 A店: ¥3,000.00 / ¥2,500.00</p>'
    assert shown in html
    assert html.index('class="check-title"') < html.index(shown), "under the title"
    assert page.count('class="fake-target"') == 1, "on that item only"
    assert FakeTarget.calls == 1


def test_a_ticks_json_answer_keeps_the_detail(every_day, fake_target, client_for):
    client = client_for(every_day.operator)
    client.get(reverse("tasks:checklist"))
    target = _item(every_day.operator, TARGET_COMPARISON)
    answer = client.post(
        reverse("tasks:tick", args=[target.pk]),
        {"done": "1", "note": "未达成：主图点击率低", "note_was": ""},
        HTTP_ACCEPT="application/json",
    ).json()
    assert answer["ok"] and "¥3,000.00 / ¥2,500.00" in answer["html"]


def test_an_item_renamed_by_the_lead_shows_none(every_day, fake_target, client_for):
    client = client_for(every_day.operator)
    client.get(reverse("tasks:checklist"))
    ChecklistItem.objects.filter(title=TARGET_COMPARISON).update(title="目标达成")
    page = client.get(reverse("tasks:checklist")).content.decode()
    assert "fake-target" not in page
    assert FakeTarget.calls == 1, "not computed when no item applies"


def test_the_team_day_matrix_shows_the_details(every_day, fake_target, client_for):
    client_for(every_day.operator).get(reverse("tasks:checklist"))
    page = client_for(every_day.lead).get(reverse("tasks:team")).content.decode()
    assert re.search(r"operator · 目标对比:</strong> <p class=\"fake-target\">目标对比 A店: ¥3,000.00", page)
    assert page.count('class="fake-target"') == 1, "the day's matrix, not the week's"


def test_without_registrations_no_detail(every_day, no_details, client_for):
    page = client_for(every_day.operator).get(reverse("tasks:checklist")).content.decode()
    assert "fake-target" not in page and TARGET_COMPARISON in page


def _page_queries(client) -> int:
    client.get(reverse("tasks:checklist"))  # the day's lists generated
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("tasks:checklist")).status_code == 200
    return len(queries)


def test_the_detail_adds_one_query_to_the_page_whatever_the_stores(every_day, fake_target, client_for):
    """(The page itself reads a little more per store: generating the day's lists, on every visit,
    looks each list up.)"""
    client = client_for(every_day.operator)

    def added() -> int:
        with_detail = _page_queries(client)
        item_details.item_detail_unregister(FAKE.code)
        without = _page_queries(client)
        item_details.item_detail_register(FAKE)
        return with_detail - without

    assert added() == 1
    for _ in range(3):
        StoreAssignmentFactory(
            user=every_day.operator, store=StoreFactory(organisation=every_day.acme), role="operator"
        )
    assert added() == 1
    FakeTarget.calls = 0
    page = client.get(reverse("tasks:checklist")).content.decode()
    assert page.count('class="fake-target"') == 4, "the fake is wired: one per store's list"
    assert FakeTarget.calls == 1, "once per page"
