"""The demo's checklist history: believable, and safe to seed again."""

import datetime as dt

import pytest

from tasks.demo import tasks_demo_seed
from tasks.models import ChecklistItem, DailyChecklist, DailyReport
from tasks.selectors import checklist_completion_get

pytestmark = pytest.mark.django_db

END = dt.date(2025, 10, 24)  # a Friday; the ten working days before it are 13–24 October


def test_ten_working_days_of_lists_mostly_done_and_the_last_day_under_way(personas):
    lists = tasks_demo_seed(organisation=personas.acme, end_date=END)
    assert lists == 30  # operator, promotion and customer service in store A, ten days each
    days = set(DailyChecklist.objects.values_list("day", flat=True))
    assert min(days) == dt.date(2025, 10, 13) and max(days) == END and dt.date(2025, 10, 18) not in days

    past = ChecklistItem.objects.filter(checklist__day__lt=END)
    assert 0.7 < past.filter(done=True).count() / past.count() < 0.99
    assert past.exclude(note="").exists() and past.filter(number__isnull=False).exists()
    last = ChecklistItem.objects.filter(checklist__day=END)
    assert last.filter(done=True).exists()
    assert not last.filter(done=True).exclude(time_of_day="morning").exists()
    assert all(
        item.done_at.date() == item.checklist.day
        for item in past.filter(done=True).select_related("checklist")
    )

    reports = DailyReport.objects.filter(day__lt=END).count()
    assert 0.6 * 27 < reports < 27  # 3 people × 9 past days: most, not all
    assert not DailyReport.objects.filter(day=END).exists()
    week = checklist_completion_get(organisation=personas.acme, week_start=dt.date(2025, 10, 13))
    assert week.total.rate is not None and len(week.people) == 3


def test_seeding_again_duplicates_nothing(personas):
    tasks_demo_seed(organisation=personas.acme, end_date=END)
    counts = (DailyChecklist.objects.count(), ChecklistItem.objects.count(), DailyReport.objects.count())
    tasks_demo_seed(organisation=personas.acme, end_date=END)
    assert (
        DailyChecklist.objects.count(),
        ChecklistItem.objects.count(),
        DailyReport.objects.count(),
    ) == counts
