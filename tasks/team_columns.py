"""The tasks app's column of the team page (stores.team.columns): each person's checklist of the
day, items done out of items given, and whether their 日报 is in. Two queries for the whole team."""

import datetime as dt

from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stores.team.columns import PeopleColumn, people_column_register
from tasks.models import ChecklistItem, DailyReport
from tasks.selectors import Completion


def day_cells(*, organisation, people, day: dt.date) -> dict[int, object]:
    person_ids = [person.pk for person in people]
    counts = (
        ChecklistItem.objects.filter(
            checklist__user_id__in=person_ids, checklist__day=day, checklist__store__organisation=organisation
        )
        .values("checklist__user_id")
        .annotate(done=Count("pk", filter=Q(done=True)), total=Count("pk"))
    )
    reported = set(
        DailyReport.objects.filter(user_id__in=person_ids, day=day).values_list("user_id", flat=True)
    )
    cells = {}
    for row in counts:
        completion = Completion(row["done"], row["total"])
        report = _("日报 in") if row["checklist__user_id"] in reported else _("no 日报 yet")
        cells[row["checklist__user_id"]] = format_html("{} · {}", completion.html, report)
    return cells


def team_columns_register() -> None:
    people_column_register(PeopleColumn("checklist_today", gettext_lazy("Today's checklist"), 10, day_cells))
