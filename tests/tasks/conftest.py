import datetime as dt

import pytest

from stores.models import StoreRole
from tasks.models import ChecklistTemplate


@pytest.fixture
def every_day(personas):
    """Acme's default lists given on every day, so page tests do not depend on today's calendar."""
    ChecklistTemplate.objects.filter(organisation=personas.acme).update(also_on_rest_days=True)
    return personas


@pytest.fixture
def overdue_first(every_day):
    """The operator's first item (店铺自检) is due at midnight, overdue for the rest of the day; the
    others have no due time, so none of them is overdue before the day is over, whatever the clock."""
    template = ChecklistTemplate.objects.get(organisation=every_day.acme, role=StoreRole.OPERATOR, store=None)
    template.items.update(due_time=None)
    template.items.filter(title="店铺自检").update(due_time=dt.time(0, 0))
    return every_day
