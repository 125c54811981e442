"""The tasks app's column of the team page (stores.team.columns): each person's checklist of the
day, items done out of items given, and whether their 日报 is in. Two queries for the whole team."""

import datetime as dt

from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stores.team.columns import PeopleColumn, people_column_register
from tasks import selectors
from tasks.models import DailyReport


def day_cells(*, organisation, people, day: dt.date) -> dict[int, object]:
    person_ids = [person.pk for person in people]
    completions = selectors.completions_get(user_ids=person_ids, day=day, organisation=organisation)
    reported = set(
        DailyReport.objects.filter(user_id__in=person_ids, day=day).values_list("user_id", flat=True)
    )
    return {
        person_id: format_html(
            "{} · {}", completion.html, _("日报 in") if person_id in reported else _("no 日报 yet")
        )
        for person_id, completion in completions.items()
    }


def team_columns_register() -> None:
    people_column_register(PeopleColumn("checklist_today", gettext_lazy("Today's checklist"), 10, day_cells))
