"""The 日报: one per person and day, corrected in place within the grace period, then kept."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tasks import services
from tasks.models import DailyReport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 10, 13)


def at(day: dt.date, hour: int = 18) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def submit(user, **fields):
    values = {"done_today": "完成数据登记", "problems": "", "plan_tomorrow": "报名活动", "at": at(DAY)}
    values.update(fields)
    return services.daily_report_submit(user=user, day=DAY, **values)


def test_submitting_again_corrects_the_one_report_of_the_day():
    user = UserFactory()
    first = submit(user, at=at(DAY, 18))
    second = submit(user, problems="直通车超预算", at=at(DAY, 21))
    assert DailyReport.objects.filter(user=user, day=DAY).count() == 1
    assert second.pk == first.pk
    assert (second.problems, second.submitted_at, second.updated_at) == (
        "直通车超预算",
        at(DAY, 18),
        at(DAY, 21),
    )


def test_what_was_done_and_tomorrows_plan_are_required():
    with pytest.raises(ValidationError) as refused:
        submit(UserFactory(), done_today=" ", plan_tomorrow="")
    assert set(refused.value.message_dict) == {"done_today", "plan_tomorrow"}
    assert not DailyReport.objects.exists()


def test_a_report_is_read_only_after_the_grace_period(settings):
    settings.TASKS_EDIT_GRACE_DAYS = 1
    user = UserFactory()
    submit(user, at=at(DAY + dt.timedelta(days=1)))  # written the next morning: allowed
    with pytest.raises(ValidationError) as refused:
        submit(user, done_today="改写历史", at=at(DAY + dt.timedelta(days=2)))
    assert refused.value.code == "locked"
    assert DailyReport.objects.get(user=user).done_today == "完成数据登记"
