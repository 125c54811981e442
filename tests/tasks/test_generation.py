"""Each working day every staff member gets their list per store and role; twice is once."""

import datetime as dt

import pytest

from stores.models import StoreRole
from tasks import jobs, services
from tasks.models import ChecklistItem, ChecklistTemplate, DailyChecklist
from tests.factories import StoreAssignmentFactory, StoreFactory
from tests.tasks.factories import ChecklistTemplateFactory, ChecklistTemplateItemFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2025, 10, 13)
SATURDAY = dt.date(2025, 10, 18)
NATIONAL_DAY = dt.date(2025, 10, 1)
MAKE_UP_SATURDAY = dt.date(2025, 10, 11)  # 调休


@pytest.fixture
def designer():
    """A designer in one store, with a three-item designer list for the organisation."""
    store = StoreFactory()
    template = ChecklistTemplateFactory(organisation=store.organisation, role=StoreRole.DESIGNER)
    for title in ("主图检查", "详情页", "活动海报"):
        ChecklistTemplateItemFactory(template=template, title=title)
    return StoreAssignmentFactory(store=store, role=StoreRole.DESIGNER)


def _lists(assignment, day):
    return DailyChecklist.objects.filter(user=assignment.user, store=assignment.store, day=day)


def test_a_working_day_gives_the_list_with_a_copy_of_each_item(designer):
    assert services.checklist_generate(day=MONDAY) == 1
    (checklist,) = _lists(designer, MONDAY)
    assert [item.title for item in checklist.items.order_by("position")] == ["主图检查", "详情页", "活动海报"]
    assert checklist.role == StoreRole.DESIGNER


@pytest.mark.parametrize(
    ("day", "given"), [(SATURDAY, False), (NATIONAL_DAY, False), (MAKE_UP_SATURDAY, True)]
)
def test_rest_days_give_no_list_but_make_up_working_days_do(designer, day, given):
    services.checklist_generate(day=day)
    assert _lists(designer, day).exists() is given


def test_a_template_can_also_run_on_rest_days(designer):
    ChecklistTemplate.objects.filter(role=StoreRole.DESIGNER).update(also_on_rest_days=True)
    services.checklist_generate(day=NATIONAL_DAY)
    assert _lists(designer, NATIONAL_DAY).count() == 1


def test_generating_twice_creates_nothing_twice(designer):
    assert services.checklist_generate(day=MONDAY) == 1
    assert services.checklist_generate(day=MONDAY) == 0
    assert jobs.checklists_generate(MONDAY.isoformat()) == 0
    assert _lists(designer, MONDAY).count() == 1
    assert ChecklistItem.objects.filter(checklist__user=designer.user).count() == 3


def test_the_morning_job_generates_today_by_default(designer, monkeypatch):
    monkeypatch.setattr("stores.periods.today", lambda: MONDAY)
    assert jobs.checklists_generate() == 1
    assert _lists(designer, MONDAY).exists()


@pytest.mark.parametrize(("day", "given"), [(dt.date(2027, 1, 4), True), (dt.date(2027, 1, 2), False)])
def test_beyond_the_published_calendar_monday_to_friday_are_working_days(designer, day, given):
    services.checklist_generate(day=day)
    assert _lists(designer, day).exists() is given


def test_every_store_and_role_a_person_holds_gets_its_own_list(designer):
    other_store = StoreFactory(organisation=designer.store.organisation)
    StoreAssignmentFactory(user=designer.user, store=other_store, role=StoreRole.DESIGNER)
    services.checklist_generate(day=MONDAY)
    assert DailyChecklist.objects.filter(user=designer.user, day=MONDAY).count() == 2


def test_a_stores_own_template_replaces_the_organisations_there(designer):
    own = ChecklistTemplateFactory(
        organisation=designer.store.organisation, role=StoreRole.DESIGNER, store=designer.store
    )
    ChecklistTemplateItemFactory(template=own, title="本店专属")
    services.checklist_generate(day=MONDAY)
    (checklist,) = _lists(designer, MONDAY)
    assert [item.title for item in checklist.items.all()] == ["本店专属"]


def test_an_inactive_template_or_a_role_without_one_gives_no_list(designer):
    ChecklistTemplate.objects.filter(role=StoreRole.DESIGNER).update(active=False)
    content = StoreAssignmentFactory(store=designer.store, role=StoreRole.CONTENT)  # no content list
    assert services.checklist_generate(day=MONDAY) == 0
    assert not DailyChecklist.objects.filter(user__in=[designer.user, content.user]).exists()


def test_editing_a_template_never_changes_a_day_already_given(designer):
    services.checklist_generate(day=MONDAY)
    first = ChecklistTemplate.objects.get(role=StoreRole.DESIGNER).items.order_by("position").first()
    services.checklist_template_item_save(
        template=first.template, item=first, by=None, title="新标题", guidance="新说明", needs="number"
    )
    services.checklist_template_item_delete(item=first.template.items.order_by("position").last(), by=None)
    services.checklist_template_item_save(
        template=first.template, by=None, title="新增事项", time_of_day="evening"
    )

    monday = _lists(designer, MONDAY).get()
    assert [(i.title, i.needs) for i in monday.items.order_by("position")] == [
        ("主图检查", "nothing"),
        ("详情页", "nothing"),
        ("活动海报", "nothing"),
    ]
    services.checklist_generate(day=MONDAY + dt.timedelta(days=1))
    tuesday = _lists(designer, MONDAY + dt.timedelta(days=1)).get()
    assert [(i.title, i.needs) for i in tuesday.items.order_by("position")] == [
        ("新标题", "number"),
        ("详情页", "nothing"),
        ("新增事项", "nothing"),
    ]


def test_a_new_organisation_starts_with_the_domain_checklists(personas):
    templates = {t.role: t for t in ChecklistTemplate.objects.filter(organisation=personas.acme)}
    assert set(templates) == {StoreRole.OPERATOR, StoreRole.PROMOTION, StoreRole.CUSTOMER_SERVICE}
    operator_titles = [item.title for item in templates[StoreRole.OPERATOR].items.order_by("position")]
    assert operator_titles[:3] == ["店铺自检", "数据登记", "目标对比"]
    # The standard items 1–11 (docs/checklists.md); the 日报 is the daily report itself.
    assert len(operator_titles) == 11
    assert services.checklist_templates_seed(organisation=personas.acme) == 0  # already there
