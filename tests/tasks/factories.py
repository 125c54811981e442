"""Factories of the tasks app: a template with the items a test needs, a day's list, an item."""

import datetime as dt

import factory

from tasks.models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateItem,
    DailyChecklist,
    Needs,
    TimeOfDay,
)
from tests.factories import OrganisationFactory, StoreFactory, UserFactory


class ChecklistTemplateFactory(factory.django.DjangoModelFactory):
    """A role's list; organisations come with default lists, so tests mostly use the designer role,
    which has none."""

    class Meta:
        model = ChecklistTemplate

    organisation = factory.SubFactory(OrganisationFactory)
    role = "designer"
    store = None


class ChecklistTemplateItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistTemplateItem

    template = factory.SubFactory(ChecklistTemplateFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"事项{n}")
    time_of_day = TimeOfDay.MORNING
    due_time = dt.time(10, 30)
    needs = Needs.NOTHING


class DailyChecklistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DailyChecklist

    user = factory.SubFactory(UserFactory)
    store = factory.SubFactory(StoreFactory)
    role = "operator"
    day = dt.date(2025, 10, 13)


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    checklist = factory.SubFactory(DailyChecklistFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"事项{n}")
    time_of_day = TimeOfDay.MORNING
    due_time = dt.time(10, 30)
    needs = Needs.NOTHING
