"""Two tabs (or two phones) on one list: each change is one small write, so both survive."""

import pytest
from django.test import Client
from django.urls import reverse

from stores import periods
from tasks.models import ChecklistItem

pytestmark = pytest.mark.django_db


def tab(user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get(reverse("tasks:checklist")).status_code == 200  # both pages loaded first
    return client


def item(user, title):
    return ChecklistItem.objects.get(checklist__user=user, checklist__day=periods.today(), title=title)


def test_two_tabs_ticking_different_items_both_survive(every_day):
    phone, laptop = tab(every_day.operator), tab(every_day.operator)
    first, second = item(every_day.operator, "店铺自检"), item(every_day.operator, "数据登记")
    phone.post(reverse("tasks:tick", args=[first.pk]), {"done": "1"})
    laptop.post(reverse("tasks:tick", args=[second.pk]), {"done": "1"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.done and second.done


def test_a_note_from_one_tab_and_a_tick_from_a_stale_tab_both_survive(every_day):
    phone, laptop = tab(every_day.operator), tab(every_day.operator)
    target = item(every_day.operator, "目标对比")  # needs a note
    url = reverse("tasks:tick", args=[target.pk])
    # The phone saves the note without ticking…
    phone.post(url, {"done": "", "note": "流量下降，未达成", "note_was": ""})
    # …the laptop, whose page still shows an empty note field, ticks: its empty field is not a change.
    laptop.post(url, {"done": "1", "note": "", "note_was": ""})
    target.refresh_from_db()
    assert target.done and target.note == "流量下降，未达成"
    assert list(target.events.values_list("action", flat=True)) == ["note", "tick"]
