"""Completion rates for KPIs: items done / items given, per person, store and week, by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from tasks.models import DailyReport
from tasks.selectors import Completion, checklist_completion_get
from tests.factories import OrganisationFactory, StoreFactory, UserFactory
from tests.tasks.factories import ChecklistItemFactory, DailyChecklistFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2025, 10, 13)
TUESDAY = MONDAY + dt.timedelta(days=1)


def a_list(user, store, day, *done: bool):
    checklist = DailyChecklistFactory(user=user, store=store, day=day)
    for flag in done:
        ChecklistItemFactory(checklist=checklist, done=flag)


def test_the_weeks_completion_per_person_store_and_in_total():
    organisation = OrganisationFactory()
    store_a, store_b = StoreFactory(organisation=organisation), StoreFactory(organisation=organisation)
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    a_list(alice, store_a, MONDAY, True, True, False)
    a_list(alice, store_a, TUESDAY, True, True, True)
    a_list(bob, store_b, MONDAY, False, False)
    a_list(alice, store_a, MONDAY + dt.timedelta(days=7), True)  # next week: not counted
    a_list(UserFactory(), StoreFactory(), MONDAY, True)  # another organisation: not counted
    for day in (MONDAY, MONDAY + dt.timedelta(days=2)):  # Wednesday: no list that day, not counted
        DailyReport.objects.create(
            user=alice,
            day=day,
            done_today="x",
            plan_tomorrow="y",
            submitted_at=dt.datetime.now(dt.UTC),
            updated_at=dt.datetime.now(dt.UTC),
        )

    week = checklist_completion_get(organisation=organisation, week_start=MONDAY)

    people = {row.user.username: row for row in week.people}
    assert people["alice"].completion == Completion(done=5, total=6)
    assert people["alice"].completion.rate == Decimal("0.8333")
    assert (people["alice"].reports_submitted, people["alice"].reports_expected) == (1, 2)
    assert people["bob"].completion.rate == Decimal("0.0000")
    assert (people["bob"].reports_submitted, people["bob"].reports_expected) == (0, 1)
    assert week.stores == {store_a: Completion(5, 6), store_b: Completion(0, 2)}
    assert week.total == Completion(5, 8) and week.total.rate == Decimal("0.6250")
    assert week.week.label == "2025-W42"


def test_a_week_without_lists_has_no_rate_not_zero():
    week = checklist_completion_get(organisation=OrganisationFactory(), week_start=MONDAY)
    assert week.people == [] and week.total.rate is None and week.total.percent is None


def test_any_day_of_the_week_means_that_week():
    organisation = OrganisationFactory()
    a_list(UserFactory(), StoreFactory(organisation=organisation), MONDAY, True)
    assert checklist_completion_get(
        organisation=organisation, week_start=MONDAY + dt.timedelta(days=4)
    ).total == (Completion(1, 1))
