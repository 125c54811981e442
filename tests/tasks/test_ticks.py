"""Tick, untick, note, number and link: validated, one row at a time, with who and when kept."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tasks import services
from tasks.models import ChecklistEvent, Needs
from tests.factories import UserFactory
from tests.tasks.factories import ChecklistItemFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 10, 13)


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def tick(item, **kwargs):
    kwargs.setdefault("done", True)
    kwargs.setdefault("at", at(DAY))
    return services.checklist_item_tick(item=item, user=item.checklist.user, **kwargs)


def test_a_tick_records_who_and_when_and_an_untick_clears_it():
    item = ChecklistItemFactory(checklist__day=DAY)
    tick(item, at=at(DAY, 9, 15))
    assert (item.done, item.done_by, item.done_at) == (True, item.checklist.user, at(DAY, 9, 15))
    tick(item, done=False, at=at(DAY, 9, 20))
    assert (item.done, item.done_by, item.done_at) == (False, None, None)
    trail = list(ChecklistEvent.objects.filter(item=item).values_list("action", "user", "at"))
    user = item.checklist.user.pk
    assert trail == [("tick", user, at(DAY, 9, 15)), ("untick", user, at(DAY, 9, 20))]


def test_ticking_a_done_item_again_keeps_the_first_tick():
    item = ChecklistItemFactory(checklist__day=DAY)
    tick(item, at=at(DAY, 9, 0))
    tick(item, at=at(DAY, 11, 0))
    assert item.done_at == at(DAY, 9, 0)
    assert ChecklistEvent.objects.filter(item=item).count() == 1


def test_an_item_that_needs_a_note_cannot_be_ticked_without_one():
    item = ChecklistItemFactory(checklist__day=DAY, needs=Needs.NOTE)
    with pytest.raises(ValidationError, match="备注"):
        tick(item, note="   ")
    item.refresh_from_db()
    assert not item.done
    tick(item, note=" 达成日目标 ")
    assert (item.done, item.note) == (True, "达成日目标")


def test_a_note_alone_saves_without_ticking_and_a_done_items_note_cannot_be_emptied():
    item = ChecklistItemFactory(checklist__day=DAY, needs=Needs.NOTE)
    tick(item, done=None, note="先记一笔")
    assert (item.done, item.note) == (False, "先记一笔")
    tick(item)
    with pytest.raises(ValidationError):
        tick(item, done=None, note="")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("12", Decimal("12.00")),
        ("1,234.5", Decimal("1234.50")),
        (" ３.２ ", Decimal("3.20")),
        ("-5", Decimal("-5.00")),
    ],
)
def test_a_number_is_read_as_typed_on_a_phone(typed, stored):
    item = ChecklistItemFactory(checklist__day=DAY, needs=Needs.NUMBER)
    tick(item, number=typed)
    assert (item.done, item.number) == (True, stored)


@pytest.mark.parametrize("typed", ["abc", "1.2.3", "NaN", "1e20", "Infinity"])
def test_a_bad_number_is_refused_with_a_clear_error(typed):
    item = ChecklistItemFactory(checklist__day=DAY, needs=Needs.NUMBER)
    with pytest.raises(ValidationError) as refused:
        tick(item, number=typed)
    assert refused.value.code == "number"
    item.refresh_from_db()
    assert (item.done, item.number) == (False, None)


def test_an_item_that_needs_a_number_cannot_be_ticked_without_one():
    item = ChecklistItemFactory(checklist__day=DAY, needs=Needs.NUMBER)
    with pytest.raises(ValidationError) as refused:
        tick(item)
    assert refused.value.code == "number"


def test_a_link_must_be_a_full_web_address():
    item = ChecklistItemFactory(checklist__day=DAY, needs=Needs.LINK)
    with pytest.raises(ValidationError) as refused:
        tick(item, link="javascript:alert(1)")
    assert refused.value.code == "link"
    tick(item, link="https://example.com/复盘")
    assert item.done and item.link == "https://example.com/复盘"


def test_a_day_is_read_only_after_the_grace_period(settings):
    settings.TASKS_EDIT_GRACE_DAYS = 1
    item = ChecklistItemFactory(checklist__day=DAY)
    tick(item, at=at(DAY + dt.timedelta(days=1), 23, 59))  # yesterday's list: still allowed
    with pytest.raises(ValidationError) as refused:
        tick(item, done=False, at=at(DAY + dt.timedelta(days=2), 0, 1))
    assert refused.value.code == "locked"
    item.refresh_from_db()
    assert item.done


def test_a_day_that_has_not_started_cannot_be_ticked():
    item = ChecklistItemFactory(checklist__day=DAY)
    with pytest.raises(ValidationError) as refused:
        tick(item, at=at(DAY - dt.timedelta(days=1), 23, 0))
    assert refused.value.code == "future"


def test_nobody_ticks_another_persons_list():
    item = ChecklistItemFactory(checklist__day=DAY)
    with pytest.raises(PermissionDenied):
        services.checklist_item_tick(item=item, user=UserFactory(), done=True, at=at(DAY))


def test_an_unchanged_value_writes_no_trail():
    item = ChecklistItemFactory(checklist__day=DAY, needs=Needs.NOTE)
    tick(item, done=None, note="同一句")
    tick(item, done=None, note="同一句")
    assert list(ChecklistEvent.objects.filter(item=item).values_list("action", "value")) == [
        ("note", "同一句")
    ]
